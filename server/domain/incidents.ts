/**
 * Incidents for process owners and admins (issue 18): the service steps that failed all their
 * retries (opened by server/engine/worker-runtime.ts), with retry after a fix, cancelling the case
 * with a reason, and an e-mail to the process owners when one opens.
 */
import type { Logger } from 'pino';
import type { Engine } from '../engine/zeebe';
import type { Repositories } from '../repositories';
import type { IncidentRecord, IncidentState } from '../repositories/incidents';
import type { User } from '../repositories/users';
import { conflict, notFound } from './errors';

export function toIncidentDto(i: IncidentRecord) {
  return {
    id: i.id,
    caseReference: i.caseReference,
    serviceKey: i.serviceKey,
    step: i.step,
    elementId: i.elementId,
    jobType: i.jobType,
    errorMessage: i.errorMessage,
    state: i.state,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    resolvedAt: i.resolvedAt,
    resolvedBy: i.resolvedBy,
    processInstanceKey: i.processInstanceKey,
    elementInstanceKey: i.elementInstanceKey,
  };
}

export class IncidentService {
  constructor(
    private readonly repos: Repositories,
    private readonly engine: Engine,
    private readonly log: Logger,
    private readonly backofficeUrl: string,
  ) {}

  async list(query: { states: IncidentState[]; caseReference?: string; range: [number, number] }) {
    const { rows, total } = await this.repos.incidents.list(query);
    return { rows: rows.map(toIncidentDto), total, totalCapped: false };
  }

  async get(id: number) {
    return toIncidentDto(await this.incident(id));
  }

  async unresolvedCount(): Promise<{ unresolved: number }> {
    return { unresolved: await this.repos.incidents.countUnresolved() };
  }

  /**
   * Runs the step once more: the parked job comes back within the worker runtime's parking
   * interval and runs its handler; success resolves the incident, another failure opens it again.
   */
  async retry(user: User, id: number) {
    const incident = await this.incident(id);
    if (!(await this.repos.incidents.transition(id, 'open', 'retrying', null))) throw conflict(`Die Störung ist nicht offen (${incident.state})`);
    await this.repos.timeline.append({ caseId: incident.caseId, type: 'incident.retry', actor: user.username, label: `Störung bei «${incident.step}»: erneuter Versuch`, details: { incidentId: id } });
    return this.get(id);
  }

  /** Ends the case's process with a reason: the case is closed, its open tasks leave the inboxes. */
  async cancelCase(user: User, id: number, reason: string) {
    const incident = await this.incident(id);
    if (incident.state !== 'open' && incident.state !== 'retrying') throw conflict(`Die Störung ist bereits erledigt (${incident.state})`);
    const c = await this.repos.cases.getByReference(incident.caseReference);
    if (!c) throw notFound('Dossier nicht gefunden');
    await this.repos.transaction(async (trx) => {
      // contract v1 has no status "cancelled": the citizen sees the case as ended with the public reason
      await this.repos.cases.setStatus(c.id, 'withdrawn', trx);
      await this.repos.cases.cancelProcessStart(c.id, trx);
      await this.repos.tasks.cancelOpenForCase(c.id, trx);
      await this.repos.infoRequests.cancelOpen(c.id, trx);
      await this.repos.timeline.append(
        { caseId: c.id, type: 'case.cancelled', actor: user.username, label: `Verfahren eingestellt: ${reason}`, status: 'withdrawn', public: true, details: { incidentId: id } },
        trx,
      );
    });
    await this.repos.incidents.cancelForCase(c.id, user.username);
    if (c.processInstanceKey) {
      // unreachable engine: the instance guard cancels the instance at its next job (the case is withdrawn)
      await this.engine.cancelInstance(c.processInstanceKey).catch((err) => this.log.warn({ err, reference: c.reference }, 'cancel failed; the instance guard will cancel it'));
    }
    return this.get(id);
  }

  /** Called once per opening (by the process that opened it): tells every process owner. */
  async opened(jobKey: string): Promise<void> {
    const incident = await this.repos.incidents.getByJobKey(jobKey);
    if (!incident) return;
    const owners = await this.repos.users.processOwnerContacts();
    for (const owner of owners) {
      await this.repos.mail.enqueue({
        caseId: incident.caseId,
        dedupeKey: `incident:${jobKey}:${incident.updatedAt}:${owner.username}`,
        to: owner.email!,
        subject: `Störung im Dossier ${incident.caseReference}: ${incident.step}`,
        body: [
          `Guten Tag ${owner.displayName}`,
          '',
          `Der automatische Schritt «${incident.step}» im Dossier ${incident.caseReference} ist nach allen Wiederholungen fehlgeschlagen.`,
          '',
          `Fehler: ${incident.errorMessage}`,
          `Zeitpunkt: ${incident.updatedAt}`,
          '',
          'Nach der Behebung der Ursache können Sie den Schritt im Backoffice unter «Störungen» erneut ausführen oder das Verfahren einstellen:',
          `${this.backofficeUrl.replace(/\/+$/, '')}/#/incidents`,
        ].join('\n'),
      });
    }
    this.log.warn({ jobKey, reference: incident.caseReference, step: incident.step, owners: owners.length }, 'incident opened');
  }

  private async incident(id: number): Promise<IncidentRecord> {
    const incident = await this.repos.incidents.get(id);
    if (!incident) throw notFound('Störung nicht gefunden');
    return incident;
  }
}
