/**
 * The demo OpenID provider mounted at /idp (DESIGN.md §6): demo mode and tests only, refused with
 * NODE_ENV=production. Our koa app serves the login pages (the interaction routes) itself and
 * hands every other /idp request to oidc-provider, a koa app of its own.
 */
import type { Context, Next } from 'koa';
import type Provider from 'oidc-provider';
import { readRawBody } from '../http/middleware';
import { authenticate, DEMO_ACR, demoAccounts, type StaffDirectory } from './accounts';
import { loadOrCreateSecrets } from './keys';
import { errorPage, loginPage } from './pages';
import { createProvider, type IdpSettings } from './provider';

export interface DemoIdp {
  middleware: (ctx: Context, next: Next) => Promise<void>;
}

const MOUNT = '/idp';
const MAX_FORM_BYTES = 4096;
const clientNames: Record<string, string> = {
  einwohnerportal: 'Einwohnerportal Kanton Luzern',
  'portal-demo': 'Demo-Portal',
  'portal-other': 'Anderes Demo-Portal',
  backoffice: 'Backoffice (Mitarbeitende)',
  zeebe: 'Zeebe-Client (Workflow-Engine)',
};

export async function createDemoIdp(opts: IdpSettings & { nodeEnv: string; dataDir: string; trustProxy: boolean; staffDirectory: StaffDirectory }): Promise<DemoIdp> {
  if (opts.nodeEnv === 'production') throw new Error('the demo OpenID provider (/idp) refuses to run with NODE_ENV=production');
  const provider = createProvider(opts, await loadOrCreateSecrets(opts.dataDir));
  provider.proxy = opts.trustProxy;
  const handle = provider.callback();
  const interactions = interactionRoutes(provider, opts.demoPassword, opts.staffDirectory, opts.nodeEnv === 'test');

  const middleware = async (ctx: Context, next: Next) => {
    if (ctx.path !== MOUNT && !ctx.path.startsWith(`${MOUNT}/`)) return next();
    if (await interactions(ctx)) return;
    // oidc-provider finds its mount path from req.originalUrl minus req.url
    const original = ctx.req.url ?? '/';
    (ctx.req as { originalUrl?: string }).originalUrl = original;
    ctx.req.url = original.slice(MOUNT.length) || '/';
    ctx.respond = false;
    await handle(ctx.req, ctx.res);
  };
  return { middleware };
}

/** GET /idp/interaction/:uid, POST /idp/interaction/:uid/login and …/abort; true when handled. */
function interactionRoutes(provider: Provider, demoPassword: string, staffDirectory: StaffDirectory, allowTestPersons: boolean) {
  return async (ctx: Context): Promise<boolean> => {
    const match = /^\/idp\/interaction\/([\w-]{1,100})(?:\/(login|abort))?$/.exec(ctx.path);
    if (!match) return false;
    const [, uid, step] = match;
    const login = step === 'login';
    const method = step ? 'POST' : 'GET';
    if (ctx.method !== method) {
      ctx.status = 405;
      ctx.set('Allow', method);
      return true;
    }
    ctx.set('Cache-Control', 'no-store');
    let details: Awaited<ReturnType<Provider['interactionDetails']>>;
    try {
      details = await provider.interactionDetails(ctx.req, ctx.res);
    } catch {
      return html(ctx, 400, errorPage(400, 'Die Anmeldesitzung ist abgelaufen oder unbekannt.'));
    }
    if (details.uid !== uid) return html(ctx, 400, errorPage(400, 'Die Anmeldesitzung passt nicht zu dieser Adresse.'));
    const base = ctx.path.replace(/\/(login|abort)$/, '');
    const action = `${base}/login`;
    if (step === 'abort') {
      // the person cancels: the client gets error=access_denied at its redirect URI
      const error = { error: 'access_denied', error_description: 'Die Anmeldung wurde abgebrochen.' };
      return finish(ctx, await provider.interactionResult(ctx.req, ctx.res, error, { mergeWithLastSubmission: false }));
    }
    const clientName = clientNames[details.params.client_id ?? ''] ?? String(details.params.client_id ?? '');

    if (details.prompt.name === 'consent' && !login)
      return finish(ctx, await provider.interactionResult(ctx.req, ctx.res, { consent: { grantId: await grantAll(provider, details) } }, { mergeWithLastSubmission: true }));
    if (details.prompt.name !== 'login') return html(ctx, 400, errorPage(400, 'Unerwarteter Anmeldeschritt.'));
    if (!login) return html(ctx, 200, loginPage({ action, abortAction: `${base}/abort`, clientName, accounts: demoAccounts }));

    const form = new URLSearchParams((await readRawBody(ctx, MAX_FORM_BYTES)).toString('utf8'));
    const username = (form.get('username') ?? '').slice(0, 800);
    const account = await authenticate(username, form.get('password') ?? '', demoPassword, staffDirectory, allowTestPersons);
    if (!account) return html(ctx, 401, loginPage({ action, abortAction: `${base}/abort`, clientName, username, error: 'Benutzername oder Passwort ist falsch.', accounts: demoAccounts }));
    const returnTo = await provider.interactionResult(ctx.req, ctx.res, { login: { accountId: account.sub, acr: DEMO_ACR, amr: ['pwd'] } }, { mergeWithLastSubmission: false });
    return finish(ctx, returnTo);
  };
}

/** Our clients are all first-party: consent to what they ask is given without asking. */
async function grantAll(provider: Provider, details: Awaited<ReturnType<Provider['interactionDetails']>>): Promise<string> {
  const grant = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  const g = grant ?? new provider.Grant({ accountId: details.session!.accountId, clientId: String(details.params.client_id) });
  const d = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
  if (d.missingOIDCScope) g.addOIDCScope(d.missingOIDCScope.join(' '));
  if (d.missingOIDCClaims) g.addOIDCClaims(d.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) g.addResourceScope(indicator, scopes.join(' '));
  return g.save();
}

function finish(ctx: Context, returnTo: string): true {
  ctx.status = 303; // before redirect(), which keeps a redirect status already set (else 302)
  ctx.redirect(returnTo);
  return true;
}

function html(ctx: Context, status: number, body: string): true {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = body;
  return true;
}
