/** Pieces of a case shown on the task page and in the dossier: applicant, data, documents, timeline. */
import type { ReactNode } from 'react';
import { Box, Card, CardContent, Chip, Divider, Link, List, ListItem, ListItemIcon, ListItemText, Stack, Typography } from '@mui/material';
import PdfIcon from '@mui/icons-material/PictureAsPdfOutlined';
import FileIcon from '@mui/icons-material/InsertDriveFileOutlined';
import { useTranslate } from 'react-admin';
import { useDisplayName, useStartFormText } from '../lookups';
import { formatChf, formatDate, formatDateTime } from '../format';

export interface CaseDetail {
  id: string;
  reference: string;
  serviceKey: string;
  serviceName: string;
  municipality: number;
  status: string;
  applicantName: string;
  submittedAt: string;
  closedAt: string | null;
  applicant: {
    firstName: string;
    lastName: string;
    dateOfBirth: string;
    email: string;
    address: { street: string; houseNumber: string; postalCode: string; town: string };
  };
  data: Record<string, unknown>;
  timeline: Array<{ id: number; at: string; type: string; actor: string; label: string; status: string | null }>;
  tasks: Array<{ id: string; name: string; state: string; assignee: string | null; createdAt: string; dueDate: string | null; completedAt: string | null; completedBy: string | null }>;
  documents: Array<{ id: string; kind: string; name: string; contentType: string; size: number; createdAt: string; url: string }>;
  invoices: Array<{ id: string; amount: number; currency: string; status: string; description: string }>;
  infoRequests: Array<{
    id: string;
    message: string;
    status: 'open' | 'answered' | 'cancelled';
    requestedAt: string;
    answer: string | null;
    answerData: Record<string, unknown> | null;
    answeredAt: string | null;
    /** files the applicant sent with the answer */
    attachments?: Array<{ id: string; name: string; contentType: string; size: number; url: string }>;
  }>;
}

/**
 * Whether a record is the full dossier (GET /api/cases/:ref) rather than a row of the case list:
 * react-admin seeds the getOne cache with list rows, which lack applicant, documents, tasks,
 * timeline and info requests, and renders them until the detail arrives.
 */
export function isCaseDetail(record: unknown): record is CaseDetail {
  if (!record || typeof record !== 'object') return false;
  const r = record as Partial<CaseDetail>;
  return (
    typeof r.applicant === 'object' &&
    r.applicant !== null &&
    Array.isArray(r.timeline) &&
    Array.isArray(r.tasks) &&
    Array.isArray(r.documents) &&
    Array.isArray(r.invoices) &&
    Array.isArray(r.infoRequests)
  );
}

export function Section({ title, children, action, testId }: { title: string; children: ReactNode; action?: ReactNode; testId?: string }) {
  return (
    <Card variant="outlined" data-testid={testId}>
      <CardContent sx={{ '&:last-child': { pb: 2 } }}>
        <Box sx={{ display: 'flex', alignItems: 'center', mb: 1.5 }}>
          <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
            {title}
          </Typography>
          {action}
        </Box>
        {children}
      </CardContent>
    </Card>
  );
}

function Row({ label, value }: { label: string; value: ReactNode }) {
  return (
    <Box sx={{ display: 'grid', gridTemplateColumns: '38% 1fr', gap: 1, py: 0.5 }}>
      <Typography variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography variant="body2" component="div">
        {value}
      </Typography>
    </Box>
  );
}

const statusColours: Record<string, { bg: string; fg: string }> = {
  received: { bg: '#e8ecf1', fg: '#334e68' },
  in_progress: { bg: '#e3effa', fg: '#1d5a99' },
  waiting_for_applicant: { bg: '#fff3d6', fg: '#6b4200' },
  completed: { bg: '#e3f4e4', fg: '#1e5e22' },
  rejected: { bg: '#fde7e6', fg: '#8c1d18' },
  withdrawn: { bg: '#eeeeee', fg: '#555555' },
};

export function StatusChip({ status }: { status: string }) {
  const translate = useTranslate();
  const c = statusColours[status] ?? statusColours.received!;
  return <Chip size="small" data-testid={`status-${status}`} label={translate(`app.status.${status}`, { _: status })} sx={{ bgcolor: c.bg, color: c.fg }} />;
}

export function ApplicantSection({ detail, municipalityName }: { detail: CaseDetail; municipalityName: string }) {
  const translate = useTranslate();
  const a = detail.applicant;
  return (
    <Section title={translate('app.cases.applicant')} testId="case-applicant">
      <Row label={translate('app.cases.name')} value={`${a.firstName} ${a.lastName}`} />
      <Row label={translate('app.cases.date_of_birth')} value={formatDate(a.dateOfBirth)} />
      <Row
        label={translate('app.cases.address')}
        value={
          <>
            {a.address.street} {a.address.houseNumber}
            <br />
            {a.address.postalCode} {a.address.town}
          </>
        }
      />
      <Row label={translate('app.cases.email')} value={<Link href={`mailto:${a.email}`}>{a.email}</Link>} />
      <Row label={translate('app.cases.municipality')} value={municipalityName} />
    </Section>
  );
}

function displayValue(v: unknown, translate: (k: string) => string): string {
  if (v === true) return translate('app.common.yes');
  if (v === false) return translate('app.common.no');
  if (v === null || v === undefined || v === '') return '–';
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return formatDate(v);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A service's fields in words: the form's label for a key, an option's label for a value ("guide" → "Blinden- oder Assistenzhund"). */
function useFieldText(serviceKey: string) {
  const translate = useTranslate();
  const { labels, options } = useStartFormText(serviceKey);
  const label = (key: string) => labels[key] ?? key;
  const shown = (key: string, v: unknown) => {
    const named = options[key];
    if (!named) return displayValue(v, translate);
    return Array.isArray(v) ? v.map((x) => named[String(x)] ?? String(x)).join(', ') : (named[String(v)] ?? displayValue(v, translate));
  };
  return { label, shown };
}

export function DataSection({ detail }: { detail: CaseDetail }) {
  const translate = useTranslate();
  const entries = Object.entries(detail.data ?? {});
  const { label, shown } = useFieldText(detail.serviceKey);
  return (
    <Section title={translate('app.cases.data')} testId="case-data">
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {detail.serviceName} · {translate('app.cases.submitted', { date: formatDateTime(detail.submittedAt) })}
      </Typography>
      {entries.length === 0 && <Typography variant="body2">–</Typography>}
      {entries.map(([k, v]) => (
        <Row key={k} label={label(k)} value={shown(k, v)} />
      ))}
      {detail.invoices.map((i) => (
        <Row key={i.id} label={translate('app.cases.fee')} value={`${formatChf(i.amount)} · ${translate(i.status === 'paid' ? 'app.cases.invoice_paid' : 'app.cases.invoice_open')}`} />
      ))}
    </Section>
  );
}

const kb = (n: number) => (n < 1024 ? `${n} B` : `${Math.round(n / 1024)} KB`);

export function DocumentsSection({ detail }: { detail: CaseDetail }) {
  const translate = useTranslate();
  return (
    <Section title={translate('app.cases.documents')} testId="case-documents">
      {detail.documents.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate('app.cases.no_documents')}
        </Typography>
      ) : (
        <List dense disablePadding>
          {detail.documents.map((d) => (
            <ListItem
              key={d.id}
              disableGutters
              secondaryAction={
                <Stack direction="row" spacing={1}>
                  <Link href={d.url} target="_blank" rel="noopener" variant="body2">
                    {translate('app.common.view')}
                  </Link>
                  <Link href={d.url} download={d.name} variant="body2">
                    {translate('app.common.download')}
                  </Link>
                </Stack>
              }
            >
              <ListItemIcon sx={{ minWidth: 32 }}>{d.contentType === 'application/pdf' ? <PdfIcon fontSize="small" color="error" /> : <FileIcon fontSize="small" />}</ListItemIcon>
              <ListItemText primary={d.name} secondary={`${formatDateTime(d.createdAt)} · ${kb(d.size)}`} data-testid="case-document" sx={{ pr: 16 }} />
            </ListItem>
          ))}
        </List>
      )}
    </Section>
  );
}

/** Questions sent to the applicant and their answers: what the clerk decides the next task on. */
export function InfoRequestsSection({ detail }: { detail: CaseDetail }) {
  const translate = useTranslate();
  const { label, shown } = useFieldText(detail.serviceKey);
  if (detail.infoRequests.length === 0) return null;
  return (
    <Section title={translate('app.cases.info_requests')} testId="case-info-requests">
      <Stack spacing={1.5} divider={<Divider flexItem />}>
        {[...detail.infoRequests].reverse().map((r) => (
          <Box key={r.id} data-testid="case-info-request">
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 0.5 }}>
              <Typography variant="caption" color="text.secondary" sx={{ flex: 1 }}>
                {translate('app.cases.info_request_asked', { date: formatDateTime(r.requestedAt) })}
              </Typography>
              <Chip size="small" variant="outlined" label={translate(`app.cases.info_request_status.${r.status}`)} />
            </Stack>
            <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }}>
              {r.message}
            </Typography>
            {r.answer !== null && (
              <Box sx={{ mt: 1, pl: 1.5, borderLeft: 3, borderColor: 'primary.main' }}>
                <Typography variant="caption" color="text.secondary">
                  {translate('app.cases.info_request_answered', { date: formatDateTime(r.answeredAt) })}
                </Typography>
                <Typography variant="body2" sx={{ whiteSpace: 'pre-wrap' }} data-testid="case-info-answer">
                  {r.answer}
                </Typography>
                {r.answerData && Object.keys(r.answerData).length > 0 && (
                  <Typography variant="caption" color="text.secondary" component="div">
                    {Object.entries(r.answerData)
                      .map(([k, v]) => `${label(k)}: ${shown(k, v)}`)
                      .join(' · ')}
                  </Typography>
                )}
                {r.attachments && r.attachments.length > 0 && (
                  <Box component="ul" aria-label={translate('app.cases.info_request_attachments')} sx={{ listStyle: 'none', m: 0, mt: 0.5, p: 0 }}>
                    {r.attachments.map((a) => (
                      <Box component="li" key={a.id} sx={{ display: 'flex', alignItems: 'center', gap: 0.75, py: 0.25 }}>
                        {a.contentType === 'application/pdf' ? <PdfIcon fontSize="small" color="error" /> : <FileIcon fontSize="small" />}
                        <Link href={a.url} download={a.name} variant="body2" data-testid="case-info-attachment">
                          {a.name}
                        </Link>
                        <Typography variant="caption" color="text.secondary">
                          {kb(a.size)}
                        </Typography>
                      </Box>
                    ))}
                  </Box>
                )}
              </Box>
            )}
          </Box>
        ))}
      </Stack>
    </Section>
  );
}

export function TimelineSection({ detail, compact = false }: { detail: CaseDetail; compact?: boolean }) {
  const translate = useTranslate();
  const events = [...detail.timeline].reverse();
  const displayName = useDisplayName();
  const actor = (a: string) => (a === 'applicant' ? translate('app.cases.actor_applicant') : displayName(a));
  return (
    <Section title={translate('app.cases.timeline')} testId="case-timeline">
      <Box component="ol" sx={{ listStyle: 'none', m: 0, p: 0 }}>
        {(compact ? events.slice(0, 8) : events).map((e, i) => (
          <Box component="li" key={e.id} sx={{ display: 'grid', gridTemplateColumns: '14px 1fr', gap: 1.5, pb: 1.25 }}>
            <Box sx={{ position: 'relative' }}>
              <Box sx={{ width: 9, height: 9, borderRadius: '50%', mt: 0.75, bgcolor: e.status ? 'primary.main' : '#9aa5b1' }} />
              {i < events.length - 1 && <Box sx={{ position: 'absolute', left: 4, top: 18, bottom: -10, width: '1px', bgcolor: 'divider' }} />}
            </Box>
            <Box>
              <Typography variant="body2">{e.label}</Typography>
              <Typography variant="caption" color="text.secondary">
                {formatDateTime(e.at)} · {actor(e.actor)}
              </Typography>
            </Box>
          </Box>
        ))}
      </Box>
      {compact && events.length > 8 && <Divider />}
    </Section>
  );
}
