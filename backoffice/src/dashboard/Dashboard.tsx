/** The start page. The charts (recharts) are a separate chunk, loaded only when a team lead opens it. */
import { lazy } from 'react';
import { Navigate } from 'react-router-dom';
import { Loading, usePermissions } from 'react-admin';
import { taskViewPath } from '../layout/Menu';
import { isLeadRole } from '../session';

const LeadDashboard = lazy(() => import('./LeadDashboard').then((m) => ({ default: m.LeadDashboard })));

/** "/" is the dashboard for team leads; everyone else starts in the inbox (or the case list). */
export function Dashboard() {
  const { permissions, isPending } = usePermissions<string[]>();
  if (isPending) return <Loading />;
  const roles = permissions ?? [];
  if (isLeadRole(roles)) return <LeadDashboard />;
  if (roles.includes('clerk')) return <Navigate to={taskViewPath('groups')} replace />;
  // no case data for process owners and organisation admins: their own pages
  if (roles.includes('process_owner')) return <Navigate to="/processes" replace />;
  if (roles.includes('org_admin')) return <Navigate to="/users" replace />;
  return <Navigate to="/cases" replace />;
}
