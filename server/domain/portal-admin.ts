/**
 * Admin management of portal clients and their status callbacks (DESIGN.md §6): registration of
 * the callback URL and secret, the outbox's dead-letter view and manual retries. Admins only.
 *
 * The project has no general audit table (the case timeline records case events only): every
 * change here is logged at info level with `audit: true`, the admin and what changed (never the
 * secret itself).
 */
import type { Logger } from 'pino';
import type { Repositories } from '../repositories';
import type { PortalClientChange, PortalClientRecord } from '../repositories/portal-clients';
import type { CallbackState, StatusCallback } from '../repositories/status-callbacks';
import type { ListPage } from '../repositories/list-page';
import type { User } from '../repositories/users';
import { isAdmin } from './auth';
import { conflict, forbidden, notFound, validationFailed } from './errors';
import type { SecretBox } from './secret-box';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Why a callback URL is refused, or undefined when it is acceptable: absolute https without
 * credentials or fragment; plain http only to a loopback host and only when allowed (demo mode,
 * where tests and the demo run their receivers on this machine).
 */
export function callbackUrlProblem(raw: string, allowLoopbackHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Keine gültige absolute URL';
  }
  if (url.username || url.password) return 'Die URL darf keine Zugangsdaten enthalten';
  if (raw.includes('#')) return 'Die URL darf kein Fragment (#) enthalten';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && allowLoopbackHttp && LOOPBACK_HOSTS.has(url.hostname)) return undefined;
  return allowLoopbackHttp ? 'Nur https-URLs (http nur zu localhost im Demo-Modus)' : 'Nur https-URLs sind erlaubt';
}

export class PortalAdminService {
  constructor(
    private readonly repos: Repositories,
    private readonly log: Logger,
    /** seals callback secrets before they are stored */
    private readonly secrets: SecretBox,
  ) {}

  listClients(user: User): Promise<PortalClientRecord[]> {
    requireAdmin(user);
    return this.repos.portalClients.list();
  }

  /** Creates or updates a client; a callback URL needs a secret (given now or stored before). */
  async putClient(user: User, clientId: string, change: PortalClientChange): Promise<PortalClientRecord> {
    requireAdmin(user);
    const before = await this.repos.portalClients.get(clientId);
    const hasSecret = change.callbackSecret !== undefined ? change.callbackSecret !== null : Boolean(before?.hasCallbackSecret);
    const url = change.callbackUrl !== undefined ? change.callbackUrl : before?.callbackUrl;
    if (url && !hasSecret) {
      throw validationFailed([{ path: 'callbackSecret', message: 'Für eine Callback-URL ist ein Geheimnis (mindestens 32 Zeichen) nötig' }]);
    }
    const sealed = change.callbackSecret ? this.secrets.seal(change.callbackSecret) : change.callbackSecret;
    const saved = await this.repos.portalClients.upsert(clientId, { ...change, callbackSecret: sealed });
    this.log.info(
      {
        audit: true,
        actor: user.username,
        action: before ? 'portal-client.updated' : 'portal-client.created',
        clientId,
        fields: Object.entries(change)
          .filter(([, v]) => v !== undefined)
          .map(([k]) => k),
        callbackUrl: saved.callbackUrl,
        active: saved.active,
      },
      'admin change',
    );
    return saved;
  }

  listCallbacks(user: User, query: { state?: CallbackState; clientId?: string; reference?: string; order: 'ASC' | 'DESC'; range: [number, number] }): Promise<ListPage<StatusCallback>> {
    requireAdmin(user);
    return this.repos.statusCallbacks.list(query);
  }

  /** Puts a dead (or skipped) event back to pending; 409 for one still pending or delivered. */
  async retryCallback(user: User, id: number): Promise<StatusCallback> {
    requireAdmin(user);
    const event = await this.repos.statusCallbacks.get(id);
    if (!event) throw notFound('Unbekanntes Callback-Ereignis');
    if (!(await this.repos.statusCallbacks.retry(id))) {
      throw conflict(`Nur fehlgeschlagene oder übersprungene Ereignisse können erneut gesendet werden (Zustand: ${event.state})`);
    }
    this.log.info(
      { audit: true, actor: user.username, action: 'status-callback.retried', callbackId: id, eventId: event.eventId, clientId: event.clientId, previousState: event.state },
      'admin change',
    );
    return (await this.repos.statusCallbacks.get(id))!;
  }
}

function requireAdmin(user: User): void {
  if (!isAdmin(user)) throw forbidden('Nur für Administratorinnen und Administratoren');
}
