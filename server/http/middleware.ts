/** Cross-cutting HTTP middleware: problem+json errors, JSON bodies, auth. */
import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import type { Logger } from 'pino';
import type { AuthService } from '../domain/auth';
import { DomainError, badRequest } from '../domain/errors';
import type { User } from '../repositories/users';
import { DependencyUnavailableError } from '../lib/unavailable';

export const SESSION_COOKIE = 'lu_session';

export interface AppState {
  user?: User;
  sessionToken?: string;
}

export function problem(ctx: Context, status: number, title: string, detail: string, extra: Record<string, unknown> = {}): void {
  ctx.status = status;
  ctx.body = { type: 'about:blank', title, status, detail, instance: ctx.path, ...extra };
  ctx.type = 'application/problem+json'; // after the body: koa would reset it to application/json
}

/** Every error becomes problem+json; unexpected ones are logged and answered without details. */
export function errorHandler(log: Logger) {
  return async (ctx: Context, next: Next) => {
    try {
      await next();
      answerUnhandledMethod(ctx);
      if (ctx.status === 404 && ctx.body === undefined && ctx.path.startsWith('/api')) {
        problem(ctx, 404, 'Not Found', 'Unbekannte Adresse');
      }
    } catch (err) {
      if (err instanceof DependencyUnavailableError) {
        log.warn({ err: err.cause, method: ctx.method, path: ctx.path, dependency: err.dependency }, 'dependency unavailable');
        problem(ctx, 503, 'Service Unavailable', `${err.dependency} ist vorübergehend nicht erreichbar; bitte später erneut versuchen`);
        ctx.set('Retry-After', String(err.retryAfterSeconds));
      } else if (err instanceof DomainError) {
        problem(ctx, err.status, err.title, err.message, err.errors ? { errors: err.errors } : {});
        if (err.headers) ctx.set(err.headers);
      } else {
        const status = (err as { status?: number; expose?: boolean }).status;
        if (status && status >= 400 && status < 500) {
          problem(ctx, status, 'Bad Request', (err as Error).message);
        } else {
          log.error({ err, method: ctx.method, path: ctx.path }, 'unhandled error');
          problem(ctx, 500, 'Internal Server Error', 'Ein unerwarteter Fehler ist aufgetreten');
        }
      }
    }
  };
}

/**
 * The router answers methods it does not know (TRACE, PROPFIND…) with 501 and a known path's
 * wrong method with 405 and no body. Both are the client's mistake: 405 with Allow when the path
 * exists, 404 when it does not, as problem+json.
 */
function answerUnhandledMethod(ctx: Context): void {
  if (ctx.status !== 501 && !(ctx.status === 405 && ctx.body === undefined)) return;
  const allow = ctx.response.get('Allow');
  if (!allow) {
    ctx.remove('Allow');
    ctx.status = 404;
    return;
  }
  problem(ctx, 405, 'Method Not Allowed', `Erlaubt: ${allow}`);
}

/**
 * Secure cookies follow PUBLIC_BASE_URL (https): TLS may end at a proxy, so the connection koa
 * sees can be plain HTTP, which would otherwise make the cookies module refuse them (a 500).
 */
export function allowSecureCookies(ctx: Context, secure: boolean): void {
  if (secure) (ctx.cookies as { secure?: boolean }).secure = true;
}

/** Answers a new staff session: the token in the body and in the httpOnly cookie lu_session. */
export function answerStaffSession(ctx: Context, session: { token: string; expiresAt: string; user: User }, secureCookies: boolean): void {
  allowSecureCookies(ctx, secureCookies);
  ctx.cookies.set(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'strict', secure: secureCookies, expires: new Date(session.expiresAt), overwrite: true });
  ctx.body = { token: session.token, expiresAt: session.expiresAt, user: session.user };
}

/** Reads a JSON body: 415 for another content type, 413 when too large, 400 when malformed. */
export async function readJson(ctx: Context, limitBytes: number): Promise<unknown> {
  if (!ctx.is('application/json')) {
    throw new DomainError(415, 'Unsupported Media Type', 'Content-Type application/json erwartet');
  }
  const charset = /charset=([^;]+)/i.exec(ctx.get('content-type'))?.[1]?.trim().toLowerCase();
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new DomainError(415, 'Unsupported Media Type', 'JSON muss UTF-8-kodiert sein');
  }
  const raw = (await readRawBody(ctx, limitBytes)).toString('utf8');
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest('Ungültiges JSON');
  }
}

/** The request body up to a limit: 413 when larger, 400 when it cannot be read. */
export async function readRawBody(ctx: Context, limitBytes: number): Promise<Buffer> {
  try {
    return await getRawBody(ctx.req, { limit: limitBytes, length: ctx.get('content-length') || undefined });
  } catch (err) {
    if ((err as { type?: string }).type === 'entity.too.large') throw new DomainError(413, 'Content Too Large', `Höchstens ${limitBytes} Bytes erlaubt`);
    throw badRequest('Der Inhalt konnte nicht gelesen werden');
  }
}

export function bearerToken(ctx: Context): string | undefined {
  const header = ctx.get('authorization');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** Staff authentication: bearer token or the session cookie (with a same-origin check). */
export function requireStaff(auth: AuthService) {
  return async (ctx: Context, next: Next) => {
    const bearer = bearerToken(ctx);
    const token = bearer ?? ctx.cookies.get(SESSION_COOKIE);
    const user = await auth.authenticate(token);
    if (!bearer && !['GET', 'HEAD', 'OPTIONS'].includes(ctx.method)) {
      // cookie-authenticated change: refuse cross-site requests (SameSite=Strict is the first line)
      // behind a TLS-terminating proxy koa sees http while the browser's origin is https
      const origin = ctx.get('origin');
      if (origin && origin !== ctx.origin && origin !== `https://${ctx.host}`) throw new DomainError(403, 'Forbidden', 'Anfrage von fremder Herkunft abgelehnt');
    }
    (ctx.state as AppState).user = user;
    (ctx.state as AppState).sessionToken = token;
    await next();
  };
}

/** Staff of one audience: signed in (401), then the domain's role check (403), before the request is read. */
export function requireAudience(auth: AuthService, authorize: (user: User) => void) {
  return [
    requireStaff(auth),
    async (ctx: Context, next: Next) => {
      authorize(currentUser(ctx));
      await next();
    },
  ];
}

export const currentUser = (ctx: Context): User => {
  const user = (ctx.state as AppState).user;
  if (!user) throw new Error('requireStaff middleware missing');
  return user;
};
