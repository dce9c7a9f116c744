/** The dossier: status, applicant, data, documents, tasks, timeline, notes and the process diagram. */
import { Box, Card, CardContent, List, ListItem, ListItemButton, ListItemText, Stack, Typography } from '@mui/material';
import { Link } from 'react-router-dom';
import { useQuery } from '@tanstack/react-query';
import { Loading, Show, useDataProvider, useRecordContext, useTranslate } from 'react-admin';
import type { BackofficeDataProvider } from '../dataProvider';
import { formatDateTime } from '../format';
import { useDisplayName, useMunicipalityName } from '../lookups';
import { DueChip } from '../tasks/DueChip';
import { BpmnDiagram } from './BpmnDiagram';
import { CaseNotes } from './CaseNotes';
import { ApplicantSection, DataSection, DocumentsSection, InfoRequestsSection, Section, StatusChip, TimelineSection, isCaseDetail, type CaseDetail } from './CaseParts';

function ProcessSection({ reference }: { reference: string }) {
  const dp = useDataProvider<BackofficeDataProvider>();
  const translate = useTranslate();
  const { data } = useQuery({ queryKey: ['case-diagram', reference], queryFn: () => dp.caseDiagram(reference) });
  if (!data?.xml) return null;
  return (
    <Section title={translate('app.cases.process')} testId="case-process">
      <BpmnDiagram diagram={data} />
    </Section>
  );
}

function TasksSection({ detail }: { detail: CaseDetail }) {
  const translate = useTranslate();
  const displayName = useDisplayName();
  const nameOf = (u: string | null) => (u ? displayName(u) : translate('app.common.unassigned'));
  if (detail.tasks.length === 0) return null;
  return (
    <Section title={translate('app.cases.tasks')} testId="case-tasks">
      <List dense disablePadding>
        {detail.tasks.map((t) => (
          // the link inside the list item: a <ul> may hold only <li> (axe "list")
          <ListItem key={t.id} disablePadding secondaryAction={t.state === 'open' ? <DueChip dueDate={t.dueDate} state={t.state} /> : undefined}>
            <ListItemButton component={Link} to={`/tasks/${t.id}/show`} sx={{ px: 0 }}>
              <ListItemText
                primary={t.name}
                secondary={
                  t.state === 'completed'
                    ? `${translate('app.state.completed')} · ${formatDateTime(t.completedAt)} · ${nameOf(t.completedBy)}`
                    : `${translate(`app.state.${t.state}`)} · ${nameOf(t.assignee)}`
                }
              />
            </ListItemButton>
          </ListItem>
        ))}
      </List>
    </Section>
  );
}

function CasePage() {
  const detail = useRecordContext<CaseDetail>();
  const translate = useTranslate();
  const municipalityName = useMunicipalityName();
  // the list row (from the list cache) is shown until the detail arrives: wait for the full dossier
  if (!isCaseDetail(detail)) return <Loading />;
  return (
    <Box sx={{ mt: 2 }}>
      <Card variant="outlined" sx={{ mb: 2 }}>
        <CardContent sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap', '&:last-child': { pb: 2 } }}>
          <Box sx={{ flex: 1, minWidth: 240 }}>
            <Typography variant="overline" color="text.secondary">
              {detail.serviceName} · {municipalityName(detail.municipality)}
            </Typography>
            <Typography variant="h5" component="h1" data-testid="case-title">
              {detail.reference} · {detail.applicantName}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {translate('app.cases.submitted', { date: formatDateTime(detail.submittedAt) })}
            </Typography>
          </Box>
          <StatusChip status={detail.status} />
        </CardContent>
      </Card>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 7fr) minmax(0, 5fr)' }, gap: 2 }}>
        <Stack spacing={2}>
          <ProcessSection reference={detail.reference} />
          <DocumentsSection detail={detail} />
          <InfoRequestsSection detail={detail} />
          <TasksSection detail={detail} />
          <TimelineSection detail={detail} />
        </Stack>
        <Stack spacing={2}>
          <ApplicantSection detail={detail} municipalityName={municipalityName(detail.municipality)} />
          <DataSection detail={detail} />
          <CaseNotes reference={detail.reference} />
        </Stack>
      </Box>
    </Box>
  );
}

function CaseTitle() {
  const record = useRecordContext<CaseDetail>();
  return <span>{record?.reference ?? ''}</span>;
}

export function CaseShow() {
  return (
    <Show title={<CaseTitle />} component="div" actions={false} queryOptions={{ refetchInterval: 10_000 }}>
      <CasePage />
    </Show>
  );
}
