/** The side menu by role: inbox views with live counts, cases, the dashboard for team leads. */
import { Badge, Box, List, ListItem, ListItemButton, ListItemIcon, ListItemText, ListSubheader } from '@mui/material';
import InboxIcon from '@mui/icons-material/InboxOutlined';
import GroupsIcon from '@mui/icons-material/GroupsOutlined';
import BusinessIcon from '@mui/icons-material/ApartmentOutlined';
import DoneIcon from '@mui/icons-material/TaskAltOutlined';
import FolderIcon from '@mui/icons-material/FolderOpenOutlined';
import InsightsIcon from '@mui/icons-material/InsightsOutlined';
import AccountTreeIcon from '@mui/icons-material/AccountTreeOutlined';
import ReportProblemIcon from '@mui/icons-material/ReportProblemOutlined';
import PeopleIcon from '@mui/icons-material/PeopleOutlined';
import ApartmentIcon from '@mui/icons-material/ApartmentOutlined';
import HistoryIcon from '@mui/icons-material/HistoryOutlined';
import EventBusyIcon from '@mui/icons-material/EventBusyOutlined';
import { useQuery } from '@tanstack/react-query';
import type { ReactElement } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useDataProvider, useGetIdentity, usePermissions, useSidebarState, useTranslate } from 'react-admin';
import { inboxViews, type BackofficeDataProvider, type InboxView } from '../dataProvider';
import { formatCappedCount } from '../format';
import { isCaseWorkerRole, isLeadRole, isUserAdminRole } from '../session';
import { theme } from '../theme';

export const taskViewPath = (view: InboxView) => `/tasks?${new URLSearchParams({ filter: JSON.stringify({ view }) })}`;

function currentView(search: string): InboxView | undefined {
  try {
    return (JSON.parse(new URLSearchParams(search).get('filter') ?? '{}') as { view?: InboxView }).view;
  } catch {
    return undefined;
  }
}

export function useTaskCounts() {
  const dp = useDataProvider<BackofficeDataProvider>();
  const { identity } = useGetIdentity();
  // only case workers have an inbox (process owners and organisation admins get 403)
  const { permissions } = usePermissions<string[]>();
  return useQuery({ queryKey: ['inbox', 'counts'], queryFn: () => dp.taskCounts(), refetchInterval: 5000, enabled: Boolean(identity) && isCaseWorkerRole(permissions) });
}

/** Unresolved incidents, for process owners and admins only. */
function useIncidentCount(enabled: boolean) {
  const dp = useDataProvider<BackofficeDataProvider>();
  return useQuery({ queryKey: ['incidents', 'count'], queryFn: () => dp.incidentCount(), refetchInterval: 10_000, enabled });
}

function Item(props: { to: string; label: string; icon: ReactElement; selected: boolean; count?: number; countCapped?: boolean; highlight?: boolean; testId: string }) {
  const [open] = useSidebarState();
  // a list item around the link: a <ul> may hold only <li> (axe "list", serious)
  return (
    <ListItem disablePadding sx={{ display: 'block' }}>
      <ListItemButton component={Link} to={props.to} selected={props.selected} data-testid={props.testId} sx={{ borderRadius: 1, mx: 1, my: 0.25, py: 0.75 }}>
        <ListItemIcon sx={{ minWidth: 36 }}>
          {open || props.count === undefined ? (
            props.icon
          ) : (
            <Badge badgeContent={props.count} color="primary" max={999}>
              {props.icon}
            </Badge>
          )}
        </ListItemIcon>
        {open && <ListItemText primary={props.label} slotProps={{ primary: { noWrap: true, sx: { fontSize: 14 } } }} sx={{ mr: 1, minWidth: 0 }} />}
        {open && props.count !== undefined && (
          <Box
            component="span"
            data-testid={`${props.testId}-count`}
            // the label gives way (ellipsis), never the count ("10'000+")
            sx={{
              flexShrink: 0,
              whiteSpace: 'nowrap',
              fontSize: 12,
              fontWeight: 600,
              px: 1,
              py: 0.125,
              borderRadius: 8,
              bgcolor: props.highlight && props.count > 0 ? 'primary.main' : '#e8ecf1',
              color: props.highlight && props.count > 0 ? '#fff' : 'text.secondary',
            }}
          >
            {formatCappedCount(props.count, Boolean(props.countCapped))}
          </Box>
        )}
      </ListItemButton>
    </ListItem>
  );
}

export function Menu() {
  const translate = useTranslate();
  const location = useLocation();
  const [open] = useSidebarState();
  const { permissions } = usePermissions<string[]>();
  const roles = permissions ?? [];
  const { data: counts } = useTaskCounts();
  const isLead = isLeadRole(roles);
  const works = roles.includes('clerk') || isLead;
  const ownsProcesses = roles.includes('process_owner') || roles.includes('admin');
  const seesCases = isCaseWorkerRole(roles);
  const administers = isUserAdminRole(roles);
  const { data: incidentCount } = useIncidentCount(ownsProcesses);
  const view = location.pathname === '/tasks' ? (currentView(location.search) ?? 'mine') : undefined;
  const icons: Record<InboxView, ReactElement> = { mine: <InboxIcon />, groups: <GroupsIcon />, organisation: <BusinessIcon />, completed: <DoneIcon /> };
  return (
    // as wide as the sidebar (react-admin's own Menu does the same): the items lay out in it, a
    // long label gives way to its count instead of both running under the sidebar's edge
    <Box sx={{ pt: 1, pb: 2, width: open ? theme.sidebar?.width : theme.sidebar?.closedWidth }}>
      {isLead && (
        <List dense disablePadding>
          <Item to="/" testId="menu-dashboard" label={translate('app.menu.dashboard')} icon={<InsightsIcon />} selected={location.pathname === '/'} />
        </List>
      )}
      {works && (
        <List dense subheader={open ? <ListSubheader sx={{ bgcolor: 'transparent', lineHeight: '32px', mt: 1 }}>{translate('app.menu.inbox')}</ListSubheader> : undefined}>
          {inboxViews.map((v) => (
            <Item
              key={v}
              testId={`menu-tasks-${v}`}
              to={taskViewPath(v)}
              label={translate(`app.menu.${v}`)}
              icon={icons[v]}
              selected={view === v}
              count={counts?.[v]}
              countCapped={counts?.capped?.includes(v)}
              highlight={v === 'mine' || v === 'groups'}
            />
          ))}
        </List>
      )}
      <List dense subheader={open ? <ListSubheader sx={{ bgcolor: 'transparent', lineHeight: '32px', mt: 1 }}>{translate('app.menu.cases')}</ListSubheader> : undefined}>
        {seesCases && <Item to="/cases" testId="menu-cases" label={translate('app.menu.cases')} icon={<FolderIcon />} selected={location.pathname.startsWith('/cases')} />}
        {ownsProcesses && <Item to="/processes" testId="menu-processes" label={translate('app.menu.processes')} icon={<AccountTreeIcon />} selected={location.pathname.startsWith('/processes')} />}
        {ownsProcesses && (
          <Item
            to="/incidents"
            testId="menu-incidents"
            label={translate('app.menu.incidents')}
            icon={<ReportProblemIcon />}
            selected={location.pathname.startsWith('/incidents')}
            count={incidentCount?.unresolved}
            highlight
          />
        )}
      </List>
      {(works || administers) && (
        <List dense disablePadding>
          <Item to="/absences" testId="menu-absences" label={translate('app.absences.menu')} icon={<EventBusyIcon />} selected={location.pathname.startsWith('/absences')} />
        </List>
      )}
      {administers && (
        <List dense subheader={open ? <ListSubheader sx={{ bgcolor: 'transparent', lineHeight: '32px', mt: 1 }}>{translate('app.administration.menu')}</ListSubheader> : undefined}>
          <Item to="/users" testId="menu-users" label={translate('resources.users.name', { smart_count: 2 })} icon={<PeopleIcon />} selected={location.pathname.startsWith('/users')} />
          <Item
            to="/organisations"
            testId="menu-organisations"
            label={translate('resources.organisations.name', { smart_count: 2 })}
            icon={<ApartmentIcon />}
            selected={location.pathname.startsWith('/organisations')}
          />
          <Item
            to="/audit-events"
            testId="menu-audit"
            label={translate('resources.audit-events.name', { smart_count: 2 })}
            icon={<HistoryIcon />}
            selected={location.pathname.startsWith('/audit-events')}
          />
        </List>
      )}
    </Box>
  );
}
