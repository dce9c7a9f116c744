/**
 * Job type `escalate-to-teamlead`: reached from the non-interrupting timer on a human task when
 * the target processing time has passed. Writes a timeline event and e-mails the team leads of
 * the organisation the task belongs to. The task itself stays open.
 *
 * Organisation: variable `escalationOrganisation` (an organisation id) or
 * `escalationMunicipality` (a BFS number, e.g. the municipality moved to), else the case's
 * responsible organisation. Header `taskName` names the overdue task.
 */
import type { WorkerHandler } from './ports.js';
import { readReference } from './job-input.js';

export const escalateToTeamlead: WorkerHandler = async (job, ports) => {
  const reference = readReference(job);
  const v = job.variables as Record<string, unknown>;
  const taskName = job.headers.taskName?.trim() || 'Aufgabe';
  let organisationId: string;
  if (typeof v.escalationOrganisation === 'string' && v.escalationOrganisation) organisationId = v.escalationOrganisation;
  else if (Number.isInteger(v.escalationMunicipality)) organisationId = `municipality:${v.escalationMunicipality}`;
  else organisationId = (await ports.organisations.forCase(reference)).id;

  const leads = await ports.organisations.teamLeads(organisationId);
  const recipients = leads.filter((l) => l.email);
  for (const lead of recipients) {
    await ports.mail.enqueue({
      caseReference: reference,
      dedupeKey: `${job.key}:${lead.username}`.slice(0, 100),
      to: lead.email!,
      subject: `Frist überschritten: «${taskName}» (Referenz ${reference})`,
      text: [
        `Guten Tag ${lead.displayName}`,
        '',
        `Die Aufgabe «${taskName}» zum Gesuch ${reference} ist nach Ablauf der Bearbeitungsfrist noch offen.`,
        'Bitte prüfen Sie die Zuweisung im Backoffice.',
        '',
        'Diese Nachricht wurde automatisch erstellt.',
      ].join('\n'),
    });
  }
  await ports.timeline.append(reference, {
    type: 'task.escalated',
    label: `Frist für «${taskName}» überschritten: an die Teamleitung eskaliert (${recipients.length} benachrichtigt)`,
    details: { organisationId, teamLeads: recipients.map((l) => l.username), jobKey: job.key },
  });
  return { variables: { escalated: true } };
};

export default escalateToTeamlead;
