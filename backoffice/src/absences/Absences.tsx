/**
 * Absences with their deputies (Stellvertretung): everyone who works on cases sets their own; team
 * leads and organisation admins also those of their organisation's people. While an absence runs,
 * the absent person's open tasks lie with the deputy; deleting it (or its end) hands them back.
 */
import { Alert, Chip, Typography } from '@mui/material';
import {
  Create,
  CreateButton,
  Datagrid,
  DeleteButton,
  FunctionField,
  List,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  TopToolbar,
  required,
  useGetIdentity,
  useNotify,
  usePermissions,
  useRedirect,
  useTranslate,
} from 'react-admin';
import { errorMessage } from '../dataProvider';
import { formatDateTime } from '../format';
import { useColleagues } from '../lookups';
import { isCaseWorkerRole, isLeadRole, isUserAdminRole, session } from '../session';

export interface AbsenceRecord {
  id: number;
  username: string;
  displayName: string;
  organisationId: string;
  deputy: string;
  deputyName: string;
  from: string;
  to: string;
  note: string | null;
  active: boolean;
  deletable: boolean;
}

function StateChip({ record }: { record: AbsenceRecord }) {
  const translate = useTranslate();
  const state = record.active ? 'active' : new Date(record.to) <= new Date() ? 'past' : 'planned';
  return (
    <Chip
      size="small"
      color={state === 'active' ? 'warning' : 'default'}
      variant={state === 'active' ? 'filled' : 'outlined'}
      label={translate(`app.absences.state.${state}`)}
      data-testid={`absence-state-${state}`}
    />
  );
}

export function AbsenceList() {
  const translate = useTranslate();
  return (
    <List
      title={translate('app.absences.title')}
      pagination={false}
      perPage={500}
      empty={false}
      exporter={false}
      actions={
        <TopToolbar>
          <CreateButton label="app.absences.create" data-testid="absence-create" />
        </TopToolbar>
      }
    >
      <Typography variant="body2" color="text.secondary" sx={{ px: 2, pt: 2 }}>
        {translate('app.absences.explanation')}
      </Typography>
      <Datagrid
        bulkActionButtons={false}
        rowClick={false}
        data-testid="absence-list"
        empty={
          <Alert severity="info" sx={{ m: 2 }}>
            {translate('app.absences.empty')}
          </Alert>
        }
      >
        <TextField source="displayName" sortable={false} />
        <TextField source="deputyName" sortable={false} />
        <FunctionField source="from" sortable={false} render={(r: AbsenceRecord) => formatDateTime(r.from)} />
        <FunctionField source="to" sortable={false} render={(r: AbsenceRecord) => formatDateTime(r.to)} />
        <TextField source="organisationId" sortable={false} />
        <FunctionField source="active" sortable={false} render={(r: AbsenceRecord) => <StateChip record={r} />} />
        <TextField source="note" sortable={false} emptyText="–" />
        <FunctionField
          label=""
          render={(r: AbsenceRecord) => (r.deletable ? <DeleteButton mutationMode="pessimistic" label="app.absences.end" confirmTitle="app.absences.end_confirm" redirect={false} /> : null)}
        />
      </Datagrid>
    </List>
  );
}

/** Local date and time of the picker as an ISO instant with the zone (the API wants the zone). */
const toInstant = (value: string) => (value && !Number.isNaN(new Date(value).getTime()) ? new Date(value).toISOString() : value);
/** An ISO instant as the picker's local YYYY-MM-DDTHH:mm. */
const toLocal = (value: string | undefined) => {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

export function AbsenceCreate() {
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const { identity } = useGetIdentity();
  const { permissions } = usePermissions<string[]>();
  const colleagues = useColleagues();
  const user = session.get();
  const manages = isLeadRole(permissions) || isUserAdminRole(permissions);
  const caseWorkers = colleagues.filter((c) => c.roles.some((r) => r === 'clerk' || r === 'teamlead'));
  const people = caseWorkers.map((c) => ({ id: c.username, name: c.displayName }));
  const organisations = (user?.organisations ?? []).map((id) => ({ id, name: id }));
  return (
    <Create
      title={translate('app.absences.create')}
      redirect="list"
      transform={(data: Record<string, unknown>) => Object.fromEntries(Object.entries(data).filter(([, v]) => v !== '' && v !== null && v !== undefined))}
      mutationOptions={{
        onSuccess: () => {
          notify('app.absences.created', { type: 'success' });
          redirect('list', 'absences');
        },
        onError: (err: unknown) => notify(errorMessage(err), { type: 'error' }),
      }}
    >
      <SimpleForm defaultValues={{ username: isCaseWorkerRole(permissions) ? identity?.id : undefined }}>
        {manages && people.length > 0 ? (
          <SelectInput source="username" label="app.absences.person" choices={people} helperText="app.absences.person_hint" fullWidth />
        ) : manages ? (
          <TextInput source="username" label="app.absences.person" helperText="app.absences.person_hint" fullWidth />
        ) : null}
        {organisations.length > 1 && <SelectInput source="organisationId" label="app.absences.organisation" choices={organisations} fullWidth />}
        {people.length > 0 ? (
          <SelectInput source="deputy" label="app.absences.deputy" choices={people} validate={required()} fullWidth />
        ) : (
          <TextInput source="deputy" label="app.absences.deputy" validate={required()} fullWidth />
        )}
        <TextInput source="from" type="datetime-local" label="app.absences.from" validate={required()} format={toLocal} parse={toInstant} slotProps={{ inputLabel: { shrink: true } }} />
        <TextInput source="to" type="datetime-local" label="app.absences.to" validate={required()} format={toLocal} parse={toInstant} slotProps={{ inputLabel: { shrink: true } }} />
        <TextInput source="note" label="app.absences.note" multiline fullWidth />
      </SimpleForm>
    </Create>
  );
}
