/** The administration's audit trail: who changed what, before and after; filtered, exported as CSV by the server. */
import { Box, Button, Typography } from '@mui/material';
import DownloadIcon from '@mui/icons-material/FileDownloadOutlined';
import { Datagrid, FunctionField, List, SelectInput, TextField, TextInput, TopToolbar, useListContext, useRecordContext, useTranslate } from 'react-admin';
import { DateTimeField } from '../layout/DateTimeField';

const ACTIONS = ['user.create', 'user.update', 'user.deactivate', 'user.activate', 'user.password_reset', 'organisation.create', 'organisation.update'];

interface AuditEvent {
  id: number;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The fields that changed: before → after. */
function Changes() {
  const event = useRecordContext<AuditEvent>();
  const translate = useTranslate();
  if (!event) return null;
  const keys = [...new Set([...Object.keys(event.before ?? {}), ...Object.keys(event.after ?? {})])];
  const show = (v: unknown) => (v === undefined ? '–' : JSON.stringify(v));
  const changed = keys.filter((k) => show(event.before?.[k]) !== show(event.after?.[k]));
  return (
    <Box sx={{ p: 1 }} data-testid="audit-changes">
      <Typography variant="subtitle2">{translate('app.administration.changes')}</Typography>
      {changed.map((k) => (
        <Typography key={k} variant="body2" sx={{ fontFamily: 'monospace' }}>
          {k}: {event.before ? show(event.before[k]) : '–'} → {show(event.after?.[k])}
        </Typography>
      ))}
    </Box>
  );
}

function ExportCsv() {
  const { filterValues } = useListContext();
  const translate = useTranslate();
  const href = `/api/admin/exports/audit-events.csv?${new URLSearchParams({ filter: JSON.stringify(filterValues ?? {}) })}`;
  return (
    <Button href={href} startIcon={<DownloadIcon />} size="small" data-testid="audit-export">
      {translate('app.administration.export_csv')}
    </Button>
  );
}

export function AuditList() {
  const translate = useTranslate();
  const filters = [
    <TextInput key="entityId" source="entityId" alwaysOn />,
    <TextInput key="actor" source="actor" />,
    <SelectInput key="action" source="action" choices={ACTIONS.map((id) => ({ id, name: translate(`app.administration.actions.${id}`) }))} />,
  ];
  return (
    <List
      sort={{ field: 'at', order: 'DESC' }}
      filters={filters}
      actions={
        <TopToolbar>
          <ExportCsv />
        </TopToolbar>
      }
    >
      <Datagrid bulkActionButtons={false} expand={<Changes />} rowClick="expand" data-testid="audit-list">
        <DateTimeField source="at" sortable />
        <TextField source="actor" sortable={false} />
        <FunctionField source="action" sortable={false} render={(e: { action: string }) => translate(`app.administration.actions.${e.action}`, { _: e.action })} />
        <TextField source="entityId" sortable={false} />
        <FunctionField source="organisations" sortable={false} render={(e: { organisations: string[] }) => e.organisations.join(', ')} />
      </Datagrid>
    </List>
  );
}
