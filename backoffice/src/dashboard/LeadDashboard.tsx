/**
 * The team-lead dashboard ("Cockpit"): workload, throughput and processing time as charts
 * (recharts, loaded only for team leads). A bar or a figure opens the list behind it: the inbox
 * of the organisation or the dossiers, filtered (issue 18).
 */
import type { ReactNode } from 'react';
import { Box, Card, CardActionArea, CardContent, Typography } from '@mui/material';
import { Link, useNavigate } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Loading, Title, useDataProvider, useTranslate } from 'react-admin';
import type { BackofficeDataProvider } from '../dataProvider';
import { formatDate } from '../format';

interface DashboardData {
  perAssignee: Array<{ assignee: string | null; displayName: string | null; open: number; overdue: number }>;
  perService: Array<{ serviceKey: string; serviceName: string; open: number; overdue: number }>;
  throughput: Array<{ week: string; casesClosed: number; tasksCompleted: number }>;
  processingTime: Array<{ serviceKey: string; serviceName: string; cases: number; averageDays: number; targetDays: number | null }>;
}

/** The organisation's open tasks ("Alle meiner Organisation") with these filters (see dataProvider taskFilter). */
const inboxWith = (filter: Record<string, unknown>) => `/tasks?${new URLSearchParams({ filter: JSON.stringify({ view: 'organisation', ...filter }) })}`;
const casesWith = (filter: Record<string, unknown>) => `/cases?${new URLSearchParams({ filter: JSON.stringify(filter) })}`;

const BLUE = '#1d5a99';
const RED = '#c8553d';
const GREEN = '#5b8c5a';

function ChartCard({ title, children, testId }: { title: string; children: ReactNode; testId: string }) {
  return (
    <Card variant="outlined" data-testid={testId}>
      <CardContent>
        <Typography variant="h6" component="h2" sx={{ mb: 2 }}>
          {title}
        </Typography>
        <Box sx={{ height: 260 }}>{children}</Box>
      </CardContent>
    </Card>
  );
}

function Kpi({ label, value, tone, to, testId }: { label: string; value: number; tone?: 'alert'; to: string; testId: string }) {
  return (
    <Card variant="outlined">
      <CardActionArea component={Link} to={to} data-testid={testId}>
        <CardContent sx={{ '&:last-child': { pb: 2 } }}>
          <Typography variant="body2" color="text.secondary">
            {label}
          </Typography>
          <Typography variant="h4" sx={{ fontWeight: 600, color: tone === 'alert' && value > 0 ? RED : 'text.primary' }}>
            {value}
          </Typography>
        </CardContent>
      </CardActionArea>
    </Card>
  );
}

function Empty() {
  const translate = useTranslate();
  return (
    <Box sx={{ height: '100%', display: 'grid', placeItems: 'center', color: 'text.secondary' }}>
      <Typography variant="body2">{translate('app.dashboard.no_data')}</Typography>
    </Box>
  );
}

/** A bar's row and whether the overdue bar was clicked: `open` turns it into the list to show. */
type OpenList<T> = (row: T, overdue: boolean) => void;

/** Open and overdue tasks as bars, one group per person (horizontal) or per service; a click opens those tasks. */
function OpenOverdueBars<T extends object>({ data, horizontal, openKey, overdueKey, open }: { data: T[]; horizontal?: boolean; openKey: string; overdueKey: string; open: OpenList<T> }) {
  if (data.length === 0) return <Empty />;
  return (
    <ResponsiveContainer>
      <BarChart data={data} layout={horizontal ? 'vertical' : 'horizontal'} margin={horizontal ? { left: 24 } : undefined}>
        <CartesianGrid strokeDasharray="3 3" horizontal={!horizontal} vertical={Boolean(horizontal)} />
        {horizontal ? (
          <>
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="name" width={200} tick={{ fontSize: 12 }} />
          </>
        ) : (
          <>
            <XAxis dataKey="name" tick={{ fontSize: 12 }} />
            <YAxis allowDecimals={false} />
          </>
        )}
        <Tooltip />
        <Legend />
        <Bar isAnimationActive={false} dataKey={openKey} fill={BLUE} cursor="pointer" onClick={(bar) => open(bar.payload as T, false)} />
        <Bar isAnimationActive={false} dataKey={overdueKey} fill={RED} cursor="pointer" onClick={(bar) => open(bar.payload as T, true)} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function LeadDashboard() {
  const dp = useDataProvider<BackofficeDataProvider>();
  const translate = useTranslate();
  const navigate = useNavigate();
  const { data } = useQuery({ queryKey: ['dashboard'], queryFn: () => dp.dashboard() as Promise<DashboardData>, refetchInterval: 30_000 });
  if (!data) return <Loading />;
  const open = translate('app.dashboard.open');
  const overdue = translate('app.dashboard.overdue');
  const perPerson = data.perAssignee.map((r) => ({ assignee: r.assignee, name: r.displayName ?? translate('app.common.unassigned'), [open]: r.open, [overdue]: r.overdue }));
  const perService = data.perService.map((r) => ({ serviceKey: r.serviceKey, name: r.serviceName, [open]: r.open, [overdue]: r.overdue }));
  const overdueOnly = (overdue: boolean) => (overdue ? { overdue: true } : {});
  const openPerson: OpenList<(typeof perPerson)[number]> = (r, overdue) => navigate(inboxWith({ ...(r.assignee === null ? { unassigned: true } : { assignee: r.assignee }), ...overdueOnly(overdue) }));
  const openService: OpenList<(typeof perService)[number]> = (r, overdue) => navigate(inboxWith({ serviceKey: r.serviceKey, ...overdueOnly(overdue) }));
  const closed = translate('app.dashboard.cases_closed');
  const done = translate('app.dashboard.tasks_completed');
  const throughput = data.throughput.map((w) => ({ week: w.week, name: formatDate(w.week).slice(0, 6), [closed]: w.casesClosed, [done]: w.tasksCompleted }));
  // a click anywhere in a week's column opens the cases closed that week (Monday to Monday, UTC as the server counts)
  const openWeek = (state: { activeTooltipIndex?: number | string | null } | null) => {
    const week = throughput[Number(state?.activeTooltipIndex)]?.week;
    if (week) navigate(casesWith({ closedFrom: week, closedBefore: new Date(Date.parse(week) + 7 * 86_400_000).toISOString().slice(0, 10) }));
  };
  const avg = translate('app.dashboard.average_days');
  const target = translate('app.dashboard.target_days');
  const times = data.processingTime.map((p) => ({ serviceKey: p.serviceKey, name: p.serviceName, [avg]: p.averageDays, [target]: p.targetDays ?? 0 }));
  const openCases = (bar: { payload?: unknown }) => navigate(casesWith({ serviceKey: (bar.payload as (typeof times)[number]).serviceKey }));
  const totalOpen = data.perAssignee.reduce((a, r) => a + r.open, 0);
  const totalOverdue = data.perAssignee.reduce((a, r) => a + r.overdue, 0);
  const unassigned = data.perAssignee.find((r) => r.assignee === null)?.open ?? 0;
  return (
    <Box sx={{ mt: 2 }} data-testid="dashboard">
      <Title title={translate('app.dashboard.title')} />
      <Typography variant="h5" sx={{ mb: 0.5 }}>
        {translate('app.dashboard.title')}
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {translate('app.dashboard.subtitle')} · {translate('app.dashboard.drill_hint')}
      </Typography>
      <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gap: 2, mb: 2 }}>
        <Kpi label={translate('app.dashboard.total_open')} value={totalOpen} to={inboxWith({})} testId="kpi-open" />
        <Kpi label={translate('app.dashboard.total_overdue')} value={totalOverdue} tone="alert" to={inboxWith({ overdue: true })} testId="kpi-overdue" />
        <Kpi label={translate('app.dashboard.total_unassigned')} value={unassigned} to={inboxWith({ unassigned: true })} testId="kpi-unassigned" />
      </Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: '1fr 1fr' }, gap: 2 }}>
        <ChartCard title={translate('app.dashboard.per_person')} testId="chart-per-person">
          <OpenOverdueBars data={perPerson} horizontal openKey={open} overdueKey={overdue} open={openPerson} />
        </ChartCard>
        <ChartCard title={translate('app.dashboard.per_service')} testId="chart-per-service">
          <OpenOverdueBars data={perService} openKey={open} overdueKey={overdue} open={openService} />
        </ChartCard>
        <ChartCard title={translate('app.dashboard.throughput')} testId="chart-throughput">
          <ResponsiveContainer>
            <LineChart data={throughput} onClick={openWeek} style={{ cursor: 'pointer' }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="name" tick={{ fontSize: 12 }} />
              <YAxis allowDecimals={false} />
              <Tooltip />
              <Legend />
              <Line isAnimationActive={false} type="monotone" dataKey={closed} stroke={BLUE} strokeWidth={2} dot={false} />
              <Line isAnimationActive={false} type="monotone" dataKey={done} stroke={GREEN} strokeWidth={2} dot={false} />
            </LineChart>
          </ResponsiveContainer>
        </ChartCard>
        <ChartCard title={translate('app.dashboard.processing_time')} testId="chart-processing-time">
          {times.length === 0 ? (
            <Empty />
          ) : (
            <ResponsiveContainer>
              <BarChart data={times}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="name" tick={{ fontSize: 12 }} />
                <YAxis />
                <Tooltip />
                <Legend />
                <Bar isAnimationActive={false} dataKey={avg} fill={BLUE} cursor="pointer" onClick={openCases} />
                <Bar isAnimationActive={false} dataKey={target} fill="#9aa5b1" cursor="pointer" onClick={openCases} />
              </BarChart>
            </ResponsiveContainer>
          )}
        </ChartCard>
      </Box>
    </Box>
  );
}
