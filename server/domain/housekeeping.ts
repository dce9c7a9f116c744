/**
 * Hourly clean-up of what only grows: expired staff and citizen sessions (refused at once, deleted
 * here), abandoned citizen sign-ins, idempotency keys past their retention, all but the newest
 * task changes (the live inbox reads only the last few), and document content that a crash left
 * unlinked (written, never named by a document). Runs in the processes that serve HTTP; in each
 * hour the first of them takes the lease `housekeeping` and does it (the deletes are idempotent:
 * the lease only spares the others the work).
 */
import type { Logger } from 'pino';
import { processName } from '../lib/process-name';
import type { Repositories } from '../repositories';

const EVERY_MS = 3600_000;
/** task_changes kept: far more than the live inbox's feeds read back (task-events.ts) */
const TASK_CHANGES_KEPT = 10_000;
/** an upload links its content within its request: an hour later, unlinked content is left over */
const UNLINKED_CONTENT_AGE_MS = 3600_000;
/** a little under the period: the process whose timer fires first in each hour does the work */
const LEASE_MS = EVERY_MS - 5 * 60_000;

export class Housekeeping {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly repos: Repositories,
    private readonly log: Logger,
    private readonly idempotencyKeyTtlHours: number,
  ) {}

  start(): void {
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async runOnce(now = new Date()): Promise<{ sessions: number; idempotencyKeys: number; citizenSessions: number; citizenLoginStates: number; documentContents: number }> {
    try {
      const leased = await this.repos.installation.tryLease('housekeeping', processName, now.toISOString(), new Date(now.getTime() + LEASE_MS).toISOString());
      if (!leased) return { sessions: 0, idempotencyKeys: 0, citizenSessions: 0, citizenLoginStates: 0, documentContents: 0 };
      const sessions = await this.repos.users.deleteExpiredSessions(now.toISOString());
      const keyCutoff = new Date(now.getTime() - this.idempotencyKeyTtlHours * 3600_000).toISOString();
      const idempotencyKeys = await this.repos.cases.deleteIdempotencyKeysBefore(keyCutoff);
      const citizen = await this.repos.citizenSessions.deleteExpired(now.toISOString());
      const staffSso = await this.repos.staffSso.deleteExpired(now.toISOString());
      await this.repos.tasks.pruneChanges(TASK_CHANGES_KEPT);
      const documentContents = await this.repos.documents.removeUnlinkedContentBefore(new Date(now.getTime() - UNLINKED_CONTENT_AGE_MS).toISOString());
      const deleted = { sessions, idempotencyKeys, citizenSessions: citizen.sessions, citizenLoginStates: citizen.loginStates, documentContents };
      if (Object.values(deleted).some((n) => n > 0) || staffSso > 0) this.log.info({ ...deleted, staffSignIns: staffSso }, 'housekeeping: deleted');
      return deleted;
    } catch (err) {
      this.log.warn({ err }, 'housekeeping failed; next try in an hour');
      return { sessions: 0, idempotencyKeys: 0, citizenSessions: 0, citizenLoginStates: 0, documentContents: 0 };
    }
  }
}
