/** Task actions: claim, release, assign (team leads, also in bulk), ask the applicant. */
import { useState } from 'react';
import { Button, Dialog, IconButton, Tooltip, DialogActions, DialogContent, DialogTitle, MenuItem, Stack, TextField, Typography } from '@mui/material';
import PersonAddIcon from '@mui/icons-material/PersonAddAlt1Outlined';
import HelpIcon from '@mui/icons-material/ContactSupportOutlined';
import { useDataProvider, useGetIdentity, useListContext, useNotify, useRefresh, useTranslate, useUnselectAll } from 'react-admin';
import { errorMessage, type BackofficeDataProvider } from '../dataProvider';
import { useColleagues } from '../lookups';

export interface TaskLike {
  id: string;
  state: string;
  assignee: string | null;
  name: string;
}

// After each action refresh() invalidates every query (ra-core 5), the inbox counts included.

/** Claim when unassigned, release when it is mine (or a lead's call). */
export function ClaimButton({ task, isLead, size = 'small', claimBlocked = false }: { task: TaskLike; isLead: boolean; size?: 'small' | 'medium'; claimBlocked?: boolean }) {
  const dp = useDataProvider<BackofficeDataProvider>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { identity } = useGetIdentity();
  const [busy, setBusy] = useState(false);
  if (task.state !== 'open') return null;
  const mine = task.assignee === identity?.id;
  const run = async (e: React.MouseEvent) => {
    e.stopPropagation();
    setBusy(true);
    try {
      if (task.assignee) {
        await dp.unclaimTask(task.id);
        notify('app.tasks.unclaimed', { type: 'info' });
      } else {
        await dp.claimTask(task.id);
        notify('app.tasks.claimed', { type: 'success' });
      }
      refresh();
    } catch (err) {
      notify(errorMessage(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  if (!task.assignee) {
    return (
      <Button size={size} variant="contained" onClick={run} disabled={busy || claimBlocked} data-testid="claim-task">
        {translate('app.tasks.claim')}
      </Button>
    );
  }
  if (mine || isLead) {
    return (
      <Button size={size} variant="outlined" onClick={run} disabled={busy} data-testid="unclaim-task">
        {translate('app.tasks.unclaim')}
      </Button>
    );
  }
  return null;
}

/** The dialog to (re)assign one or several tasks to a colleague, with a reason. */
export function AssignDialog({ ids, open, onClose, onDone }: { ids: string[]; open: boolean; onClose: () => void; onDone: () => void }) {
  const dp = useDataProvider<BackofficeDataProvider>();
  const translate = useTranslate();
  const notify = useNotify();
  const colleagues = useColleagues();
  const [assignee, setAssignee] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    const failures: string[] = [];
    for (const id of ids) {
      try {
        await dp.assignTask(id, assignee, reason.trim() || undefined);
      } catch (err) {
        failures.push(errorMessage(err));
      }
    }
    setBusy(false);
    const done = ids.length - failures.length;
    if (done > 0) notify('app.tasks.assigned', { type: 'success', messageArgs: { smart_count: done } });
    if (failures.length > 0) notify(failures[0]!, { type: 'error' });
    setAssignee('');
    setReason('');
    onDone();
  };
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="xs" onClick={(e) => e.stopPropagation()}>
      <DialogTitle>{translate('app.tasks.assign_title', { smart_count: ids.length })}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ mt: 1 }}>
          <TextField
            select
            label={translate('app.tasks.assign_to')}
            value={assignee}
            onChange={(e) => setAssignee(e.target.value)}
            fullWidth
            slotProps={{ select: { inputProps: { 'data-testid': 'assign-select' } } }}
          >
            {colleagues.map((c) => (
              <MenuItem key={c.username} value={c.username} data-testid={`assign-option-${c.username}`}>
                {c.displayName}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label={translate('app.common.reason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            multiline
            minRows={2}
            fullWidth
            helperText={translate('app.tasks.assign_reason_hint')}
            slotProps={{ htmlInput: { maxLength: 500, 'data-testid': 'assign-reason' } }}
          />
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button variant="contained" disabled={!assignee || busy} onClick={submit} data-testid="assign-confirm">
          {translate('app.tasks.assign')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export function AssignButton({ task, compact = false }: { task: TaskLike; compact?: boolean }) {
  const translate = useTranslate();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  if (task.state !== 'open') return null;
  return (
    <>
      {compact ? (
        <Tooltip title={translate(task.assignee ? 'app.tasks.reassign' : 'app.tasks.assign')}>
          <IconButton
            size="small"
            color="primary"
            aria-label={translate(task.assignee ? 'app.tasks.reassign' : 'app.tasks.assign')}
            onClick={(e) => {
              e.stopPropagation();
              setOpen(true);
            }}
            data-testid="assign-task"
          >
            <PersonAddIcon fontSize="small" />
          </IconButton>
        </Tooltip>
      ) : (
        <Button
          size="small"
          startIcon={<PersonAddIcon />}
          onClick={(e) => {
            e.stopPropagation();
            setOpen(true);
          }}
          data-testid="assign-task"
        >
          {translate(task.assignee ? 'app.tasks.reassign' : 'app.tasks.assign')}
        </Button>
      )}
      <AssignDialog
        ids={[task.id]}
        open={open}
        onClose={() => setOpen(false)}
        onDone={() => {
          setOpen(false);
          refresh();
        }}
      />
    </>
  );
}

/** Bulk action in the inbox (team leads): assign the selected tasks. */
export function BulkAssignButton() {
  const translate = useTranslate();
  const { selectedIds } = useListContext();
  const unselectAll = useUnselectAll('tasks');
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" startIcon={<PersonAddIcon />} onClick={() => setOpen(true)} data-testid="bulk-assign">
        {translate('app.tasks.assign')}
      </Button>
      <AssignDialog
        ids={selectedIds.map(String)}
        open={open}
        onClose={() => setOpen(false)}
        onDone={() => {
          setOpen(false);
          unselectAll();
          refresh();
        }}
      />
    </>
  );
}

/** "Rückfrage an Gesuchsteller/in": only where the process allows it. */
export function RequestInfoButton({ task }: { task: TaskLike }) {
  const dp = useDataProvider<BackofficeDataProvider>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true);
    try {
      await dp.requestInfo(task.id, message.trim());
      notify('app.tasks.info_requested', { type: 'success' });
      setOpen(false);
      setMessage('');
      refresh();
    } catch (err) {
      notify(errorMessage(err), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="small" startIcon={<HelpIcon />} onClick={() => setOpen(true)} data-testid="request-info">
        {translate('app.tasks.request_info')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} fullWidth maxWidth="sm">
        <DialogTitle>{translate('app.tasks.request_info_title')}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {translate('app.tasks.request_info_hint')}
          </Typography>
          <TextField
            autoFocus
            label={translate('app.tasks.request_info_message')}
            value={message}
            onChange={(e) => setMessage(e.target.value)}
            multiline
            minRows={4}
            fullWidth
            slotProps={{ htmlInput: { maxLength: 5000 } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate('ra.action.cancel')}</Button>
          <Button variant="contained" disabled={!message.trim() || busy} onClick={send}>
            {translate('app.tasks.send')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
