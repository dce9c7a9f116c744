/** The task page: the task's form on the left, the case context on the right. */
import { useMemo, useRef, useState } from 'react';
import { Alert, Box, Button, Card, CardContent, Chip, Stack, Typography } from '@mui/material';
import { Link } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { Confirm, Loading, Show, useDataProvider, useGetIdentity, useGetOne, useNotify, usePermissions, useRecordContext, useRedirect, useRefresh, useTranslate } from 'react-admin';
import { ApplicantSection, DataSection, DocumentsSection, InfoRequestsSection, Section, StatusChip, TimelineSection, isCaseDetail, type CaseDetail } from '../cases/CaseParts';
import { errorMessage, type BackofficeDataProvider } from '../dataProvider';
import { formatDateTime } from '../format';
import { useDisplayName, useMunicipalityName } from '../lookups';
import { isLeadRole } from '../session';
import { CamundaForm, type CamundaFormHandle } from './CamundaForm';
import { DueChip } from './DueChip';
import { DeputyChip } from './DeputyChip';
import { AssignButton, ClaimButton, RequestInfoButton } from './TaskActions';

interface TaskDetail {
  id: string;
  name: string;
  state: 'open' | 'completed' | 'cancelled';
  caseReference: string;
  serviceKey: string;
  municipality: number;
  assignee: string | null;
  candidateGroups: string[];
  createdAt: string;
  dueDate: string | null;
  completedAt: string | null;
  completedBy: string | null;
  form: unknown | null;
  variables: Record<string, unknown>;
  result: Record<string, unknown> | null;
  infoRequestAllowed?: boolean;
  /** four-eyes rule (BPMN property fourEyes): blocked when I completed the earlier task of the case */
  fourEyes?: { earlierTask: string; blocked: boolean; message: string | null } | null;
  deputyFor?: string | null;
  deputyForName?: string | null;
}

function TaskPage() {
  const task = useRecordContext<TaskDetail>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const redirect = useRedirect();
  const queryClient = useQueryClient();
  const dp = useDataProvider<BackofficeDataProvider>();
  const { identity } = useGetIdentity();
  const { permissions } = usePermissions<string[]>();
  const isLead = isLeadRole(permissions);
  const displayName = useDisplayName();
  const municipalityName = useMunicipalityName();
  const formRef = useRef<CamundaFormHandle>(null);
  const [busy, setBusy] = useState(false);
  // a negative or partial decision (the form asks for a decisionReason only then) is sent after a confirmation
  const [rejection, setRejection] = useState<Record<string, unknown> | null>(null);
  const { data: caseRecord } = useGetOne<CaseDetail>('cases', { id: task?.caseReference ?? '' }, { enabled: Boolean(task?.caseReference) });
  // a row of the case list (seeded into the getOne cache) lacks the dossier's parts: wait for the detail
  const detail = isCaseDetail(caseRecord) ? caseRecord : undefined;
  const formData = useMemo(() => ({ ...(task?.variables ?? {}), ...(task?.result ?? {}) }), [task?.variables, task?.result]);
  if (!task) return <Loading />;
  // a reason with a positive decision: granted for less than asked (e.g. a shorter tax deadline)
  const partial = rejection !== null && rejection.approved === true;

  const mine = task.state === 'open' && task.assignee === identity?.id;
  const fourEyesBlocked = task.state === 'open' && task.fourEyes?.blocked === true;
  const nameOf = (u: string | null) => (u ? displayName(u) : translate('app.common.unassigned'));

  const complete = () => {
    const result = formRef.current?.submit();
    if (!result || !result.valid) {
      notify('app.tasks.form_invalid', { type: 'warning' });
      return;
    }
    if (typeof result.data.decisionReason === 'string') setRejection(result.data);
    else void send(result.data);
  };

  const send = async (data: Record<string, unknown>) => {
    setRejection(null);
    setBusy(true);
    try {
      await dp.completeTask(task.id, data);
      notify('app.tasks.completed_message', { type: 'success' });
      void queryClient.invalidateQueries({ queryKey: ['inbox'] });
      redirect(`/cases/${encodeURIComponent(task.caseReference)}/show`);
    } catch (err) {
      notify(errorMessage(err), { type: 'error' });
      refresh();
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 7fr) minmax(0, 5fr)' }, gap: 2, mt: 2 }}>
      <Stack spacing={2}>
        <Card variant="outlined">
          <CardContent>
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
              <Typography variant="h5" component="h1" sx={{ flex: 1 }} data-testid="task-title">
                {task.name}
              </Typography>
              <Chip size="small" label={translate(`app.state.${task.state}`)} data-testid={`task-state-${task.state}`} variant="outlined" />
            </Stack>
            <Stack direction="row" spacing={3} useFlexGap sx={{ flexWrap: 'wrap', rowGap: 1, color: 'text.secondary', mb: 2 }}>
              <Typography variant="body2">
                {translate('resources.tasks.fields.caseReference')}: <Link to={`/cases/${encodeURIComponent(task.caseReference)}/show`}>{task.caseReference}</Link>
              </Typography>
              <Typography variant="body2" component="div" sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
                {translate('resources.tasks.fields.dueDate')}: <DueChip dueDate={task.dueDate} state={task.state} />
              </Typography>
              <Typography variant="body2" data-testid="task-assignee">
                {translate('resources.tasks.fields.assignee')}: {nameOf(task.assignee)}
              </Typography>
              <DeputyChip task={task} />
              <Typography variant="body2">
                {translate('resources.tasks.fields.createdAt')}: {formatDateTime(task.createdAt)}
              </Typography>
            </Stack>
            <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }} data-testid="task-actions">
              <ClaimButton task={task} isLead={isLead} size="medium" claimBlocked={fourEyesBlocked} />
              {isLead && <AssignButton task={task} />}
              {task.state === 'open' && task.infoRequestAllowed && mine && <RequestInfoButton task={task} />}
            </Stack>
          </CardContent>
        </Card>

        <Section title={translate('app.tasks.form_title')} testId="task-form">
          {task.state === 'completed' && (
            <Alert severity="success" sx={{ mb: 2 }}>
              {translate('app.tasks.done_by', { date: formatDateTime(task.completedAt), user: nameOf(task.completedBy) })}
            </Alert>
          )}
          {task.state === 'cancelled' && (
            <Alert severity="info" sx={{ mb: 2 }}>
              {translate('app.tasks.not_open')}
            </Alert>
          )}
          {fourEyesBlocked && (
            <Alert severity="warning" sx={{ mb: 2 }} data-testid="four-eyes-block">
              {task.fourEyes?.message}
            </Alert>
          )}
          {task.state === 'open' && !mine && !fourEyesBlocked && (
            <Alert severity="info" sx={{ mb: 2 }} data-testid="claim-hint">
              {translate('app.tasks.claim_to_edit')}
            </Alert>
          )}
          {task.form ? (
            <CamundaForm ref={formRef} schema={task.form} data={formData} readOnly={!mine} />
          ) : (
            <Typography variant="body2" color="text.secondary">
              {translate('app.tasks.no_form')}
            </Typography>
          )}
          {mine && (
            <Box sx={{ display: 'flex', justifyContent: 'flex-end', mt: 2 }}>
              <Button variant="contained" size="large" onClick={complete} disabled={busy || fourEyesBlocked} data-testid="complete-task">
                {translate('app.tasks.complete')}
              </Button>
            </Box>
          )}
          <Confirm
            isOpen={rejection !== null}
            title={partial ? 'app.tasks.partial_confirm_title' : 'app.tasks.reject_confirm_title'}
            content={translate(partial ? 'app.tasks.partial_confirm_content' : 'app.tasks.reject_confirm_content', { reason: String(rejection?.decisionReason ?? '') })}
            confirm={partial ? 'app.tasks.partial_confirm' : 'app.tasks.reject_confirm'}
            confirmColor="warning"
            onConfirm={() => rejection && void send(rejection)}
            onClose={() => setRejection(null)}
          />
        </Section>
      </Stack>

      <Stack spacing={2} data-testid="case-context">
        {detail ? (
          <>
            <Card variant="outlined">
              <CardContent sx={{ display: 'flex', alignItems: 'center', gap: 1, '&:last-child': { pb: 2 } }}>
                <Box sx={{ flex: 1 }}>
                  <Typography variant="overline" color="text.secondary">
                    {translate('app.cases.context')}
                  </Typography>
                  <Typography variant="h6">{detail.reference}</Typography>
                </Box>
                <StatusChip status={detail.status} />
              </CardContent>
            </Card>
            <ApplicantSection detail={detail} municipalityName={municipalityName(detail.municipality)} />
            <DataSection detail={detail} />
            <InfoRequestsSection detail={detail} />
            <DocumentsSection detail={detail} />
            <TimelineSection detail={detail} compact />
          </>
        ) : (
          <Loading />
        )}
      </Stack>
    </Box>
  );
}

export function TaskShow() {
  return (
    <Show title={<TaskTitle />} component="div" actions={false} queryOptions={{ refetchInterval: 10_000 }}>
      <TaskPage />
    </Show>
  );
}

function TaskTitle() {
  const record = useRecordContext<TaskDetail>();
  return <span>{record ? `${record.name} · ${record.caseReference}` : ''}</span>;
}
