/** Failed service steps (process owners, admins): case, step, error and time; retry after a fix or cancel the case. */
import { useState } from 'react';
import { Button, Chip, Dialog, DialogActions, DialogContent, DialogTitle, Stack, TextField as MuiTextField, Typography } from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { Datagrid, FunctionField, List, SelectInput, TextField, useDataProvider, useNotify, useRefresh, useTranslate } from 'react-admin';
import { errorMessage, type BackofficeDataProvider } from '../dataProvider';
import { DateTimeField } from '../layout/DateTimeField';

export interface Incident {
  id: number;
  caseReference: string;
  step: string;
  errorMessage: string;
  state: 'open' | 'retrying' | 'resolved' | 'cancelled';
  createdAt: string;
}

const STATES = ['unresolved', 'open', 'retrying', 'resolved', 'cancelled', 'all'] as const;

function useIncidentAction() {
  const dp = useDataProvider<BackofficeDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const queryClient = useQueryClient();
  return async (action: (dp: BackofficeDataProvider) => Promise<unknown>, done: string) => {
    try {
      await action(dp);
      notify(done, { type: 'success' });
      void queryClient.invalidateQueries({ queryKey: ['incidents', 'count'] });
      refresh();
      return true;
    } catch (err) {
      notify(errorMessage(err), { type: 'error' });
      return false;
    }
  };
}

function CancelCaseButton({ incident }: { incident: Incident }) {
  const translate = useTranslate();
  const run = useIncidentAction();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    if (await run((dp) => dp.cancelIncidentCase(incident.id, reason.trim()), 'app.incidents.cancelled_message')) setOpen(false);
    setBusy(false);
  };
  return (
    <>
      <Button size="small" color="warning" onClick={() => setOpen(true)} data-testid={`incident-cancel-${incident.id}`}>
        {translate('app.incidents.cancel_case')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm">
        <DialogTitle>{translate('app.incidents.cancel_title', { reference: incident.caseReference })}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" sx={{ mb: 2 }}>
            {translate('app.incidents.cancel_hint')}
          </Typography>
          <MuiTextField
            label={translate('app.incidents.reason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            multiline
            minRows={3}
            fullWidth
            required
            slotProps={{ htmlInput: { maxLength: 1000, 'data-testid': 'incident-cancel-reason' } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate('ra.action.cancel')}</Button>
          <Button variant="contained" color="warning" disabled={reason.trim().length < 5 || busy} onClick={submit} data-testid="incident-cancel-confirm">
            {translate('app.incidents.cancel_case')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

function IncidentActions({ incident }: { incident: Incident }) {
  const translate = useTranslate();
  const run = useIncidentAction();
  if (incident.state !== 'open' && incident.state !== 'retrying') return null;
  return (
    <Stack direction="row" spacing={1} onClick={(e) => e.stopPropagation()}>
      {incident.state === 'open' && (
        <Button size="small" variant="outlined" onClick={() => void run((dp) => dp.retryIncident(incident.id), 'app.incidents.retry_message')} data-testid={`incident-retry-${incident.id}`}>
          {translate('app.incidents.retry')}
        </Button>
      )}
      <CancelCaseButton incident={incident} />
    </Stack>
  );
}

export function IncidentList() {
  const translate = useTranslate();
  const filters = [
    <SelectInput
      key="state"
      source="state"
      alwaysOn
      label="resources.incidents.fields.state"
      choices={STATES.map((s) => ({ id: s, name: translate(`app.incidents.state.${s}`) }))}
      emptyText={translate('app.incidents.state.unresolved')}
      emptyValue="unresolved"
    />,
  ];
  return (
    <List exporter={false} filters={filters} sort={{ field: 'createdAt', order: 'DESC' }} title={translate('app.menu.incidents')} queryOptions={{ refetchInterval: 10_000 }}>
      <Datagrid bulkActionButtons={false} rowClick={false} data-testid="incident-table">
        <DateTimeField source="createdAt" />
        <FunctionField
          source="caseReference"
          sortable={false}
          render={(r: Incident) => (
            <Link to={`/cases/${encodeURIComponent(r.caseReference)}/show`} onClick={(e) => e.stopPropagation()}>
              {r.caseReference}
            </Link>
          )}
        />
        <TextField source="step" sortable={false} />
        <TextField source="errorMessage" sortable={false} sx={{ fontFamily: 'monospace', fontSize: 13, wordBreak: 'break-word' }} />
        <FunctionField
          source="state"
          sortable={false}
          render={(r: Incident) => <Chip size="small" label={translate(`app.incidents.state.${r.state}`)} color={r.state === 'open' ? 'error' : 'default'} data-testid={`incident-state-${r.id}`} />}
        />
        <FunctionField label="" render={(r: Incident) => <IncidentActions incident={r} />} />
      </Datagrid>
    </List>
  );
}
