/** The inbox ("Aufgaben"): four views, filters, server-side sort and paging, live updates. */
import { Box, Typography } from '@mui/material';
import {
  AutocompleteInput,
  BooleanInput,
  Datagrid,
  DateInput,
  FilterButton,
  FunctionField,
  List,
  SearchInput,
  SelectInput,
  TextField,
  TopToolbar,
  useGetIdentity,
  useListContext,
  usePermissions,
  useTranslate,
  type RaRecord,
} from 'react-admin';
import { formatDateTime, dueState } from '../format';
import type { InboxView } from '../dataProvider';
import { useDisplayName, useColleagues, useMunicipalities, useMunicipalityName, useServiceName, useServices } from '../lookups';
import { CappedPagination } from '../layout/CappedPagination';
import { keyboardRowsBody } from '../layout/KeyboardRows';
import { actionsCell, listTableSx } from '../layout/listTable';
import { isLeadRole } from '../session';
import { DueChip } from './DueChip';
import { DeputyChip } from './DeputyChip';
import { LiveUpdates } from './LiveUpdates';
import { AssignButton, BulkAssignButton, ClaimButton } from './TaskActions';

interface TaskRecord extends RaRecord {
  id: string;
  name: string;
  state: string;
  caseReference: string;
  serviceKey: string;
  municipality: number;
  assignee: string | null;
  createdAt: string;
  dueDate: string | null;
  completedAt: string | null;
  applicantName: string | null;
  deputyFor?: string | null;
  deputyForName?: string | null;
}

function ListActions() {
  return (
    <TopToolbar>
      <FilterButton />
    </TopToolbar>
  );
}

function ViewTitle() {
  const translate = useTranslate();
  const { filterValues } = useListContext();
  const view = ((filterValues as { view?: InboxView }).view ?? 'mine') as InboxView;
  return (
    <Typography variant="h5" sx={{ mt: 2, mb: 0.5 }} data-testid="inbox-title">
      {translate(`app.tasks.views.${view}`)}
    </Typography>
  );
}

function useTaskFilters() {
  const services = useServices();
  const municipalities = useMunicipalities();
  const colleagues = useColleagues();
  const translate = useTranslate();
  return [
    <SearchInput key="q" source="q" alwaysOn placeholder={translate('resources.tasks.fields.q')} />,
    <SelectInput key="serviceKey" source="serviceKey" choices={services.map((s) => ({ id: s.key, name: s.name }))} />,
    <AutocompleteInput key="municipality" source="municipality" choices={municipalities.map((m) => ({ id: m.bfsNumber, name: m.name }))} />,
    <DateInput key="dueBefore" source="dueBefore" />,
    <SelectInput key="assignee" source="assignee" choices={colleagues.map((c) => ({ id: c.username, name: c.displayName }))} />,
    // what the cockpit's "Nicht zugewiesen" and "Überfällig" open (dataProvider: taskFilter)
    <BooleanInput key="unassigned" source="unassigned" />,
    <BooleanInput key="overdue" source="overdue" />,
  ];
}

function EmptyView() {
  const translate = useTranslate();
  return (
    <Box sx={{ p: 4, textAlign: 'center', color: 'text.secondary' }} data-testid="inbox-empty">
      {translate('app.tasks.empty')}
    </Box>
  );
}

const rowSx = (record: RaRecord) => {
  const due = record.state === 'open' ? dueState(record.dueDate as string | null) : 'ok';
  if (due === 'overdue') return { boxShadow: 'inset 3px 0 0 #b3261e' };
  if (due === 'soon') return { boxShadow: 'inset 3px 0 0 #d99a00' };
  return {};
};

export function TaskList() {
  const translate = useTranslate();
  const { permissions } = usePermissions<string[]>();
  const { identity } = useGetIdentity();
  const isLead = isLeadRole(permissions);
  const serviceName = useServiceName();
  const municipalityName = useMunicipalityName();
  const displayName = useDisplayName();
  const nameOf = (username: string | null) => (username ? displayName(username) : '');
  const filters = useTaskFilters();
  return (
    <List
      resource="tasks"
      title={translate('app.menu.inbox')}
      filters={filters}
      filterDefaultValues={{ view: 'mine' }}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      actions={<ListActions />}
      pagination={<CappedPagination rowsPerPageOptions={[10, 25, 50, 100]} />}
      empty={false}
      storeKey={false}
      disableSyncWithLocation={false}
      sx={{ '& .RaList-main': { mt: 0 } }}
    >
      <ViewTitle />
      <LiveUpdates />
      <Datagrid
        rowClick="show"
        body={keyboardRowsBody}
        rowSx={rowSx}
        bulkActionButtons={isLead ? <BulkAssignButton /> : false}
        empty={<EmptyView />}
        data-testid="task-table"
        sx={{
          ...listTableSx,
          '& .column-dueDate, & .column-caseReference': { whiteSpace: 'nowrap' },
          '& .MuiButton-root': { whiteSpace: 'nowrap' },
        }}
      >
        <FunctionField source="dueDate" sortBy="dueDate" render={(r: TaskRecord) => <DueChip dueDate={r.dueDate} state={r.state} />} />
        <TextField source="name" sortable={false} />
        <TextField source="caseReference" />
        <TextField source="applicantName" sortable={false} />
        {/* one column for both: ten columns beside the menu fit a 1366 px window */}
        <FunctionField
          source="serviceKey"
          label="app.tasks.service_municipality"
          render={(r: TaskRecord) => (
            <>
              {serviceName(r.serviceKey)}
              <Typography variant="body2" color="text.secondary" component="span" sx={{ display: 'block' }}>
                {municipalityName(r.municipality)}
              </Typography>
            </>
          )}
        />
        <FunctionField
          source="assignee"
          render={(r: TaskRecord) =>
            r.assignee ? (
              <>
                {r.assignee === identity?.id ? <strong>{nameOf(r.assignee)}</strong> : nameOf(r.assignee)}
                <DeputyChip task={r} />
              </>
            ) : (
              <Typography variant="body2" color="text.secondary">
                {translate('app.common.unassigned')}
              </Typography>
            )
          }
        />
        <FunctionField source="createdAt" render={(r: TaskRecord) => formatDateTime(r.createdAt)} />
        <FunctionField
          label=""
          cellClassName={actionsCell}
          headerClassName={actionsCell}
          render={(r: TaskRecord) => (
            <Box sx={{ display: 'flex', gap: 1, justifyContent: 'flex-end' }}>
              <ClaimButton task={r} isLead={isLead} />
              {isLead && <AssignButton task={r} compact />}
            </Box>
          )}
        />
      </Datagrid>
    </List>
  );
}
