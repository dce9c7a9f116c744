/** The public API for citizens and portals (DESIGN.md §4 "Public"). */
import Router from '@koa/router';
import type { Services } from '../services';
import { DomainError, badRequest } from '../domain/errors';
import { bearerToken, readJson } from './middleware';
import { citizenSession } from './citizen-session';
import { readJsonAndFiles, readMultipart } from './multipart';
import { rateLimit } from './rate-limit';
import { portalClient, portalClientSettings } from './portal-client';
import { PortalTokenVerifier } from '../domain/portal-tokens';
import type { HttpOptions } from './app';
import type { Caller } from '../domain/identity';

export function publicRoutes(services: Services, opts: HttpOptions): Router {
  const router = new Router({ prefix: '/api/v1' });
  const { maxJsonBytes, uploadLimits } = opts;
  // a verified portal client gets its own bucket and limit (DESIGN.md §6); everyone else one per address
  const { issuer, audience, rateLimitPerMinute } = opts.portalClients;
  const clientSettings = portalClientSettings((id) => services.repos.portalClients.get(id), rateLimitPerMinute);
  const perClient = async (clientId: string) => (await clientSettings(clientId)).rateLimitPerMinute;
  const reads = rateLimit(opts.rateLimits.publicPerMinute, 'Abfragen', perClient);
  const writes = rateLimit(opts.rateLimits.submissionsPerMinute, 'Eingaben', perClient);
  router.use(portalClient(new PortalTokenVerifier({ issuer, audience }), clientSettings), reads);
  // a signed-in person's session cookie (caller.citizen; CSRF header on changes)
  router.use(citizenSession(services.citizenAuth, { secureCookies: opts.secureCitizenCookies }));
  const { catalogue, submissions, repos } = services;

  router.get('/services', (ctx) => {
    ctx.body = catalogue.services().map(({ entry }) => serviceDto(entry));
  });

  router.get('/services/:key', (ctx) => {
    const service = catalogue.get(ctx.params.key!);
    if (!service) throw new DomainError(404, 'Not Found', 'Unbekannte Dienstleistung');
    ctx.body = { ...serviceDto(service.entry), form: catalogue.startForm(service.entry.key) };
  });

  router.get('/municipalities', async (ctx) => {
    ctx.body = await repos.organisations.listMunicipalities();
  });

  router.post('/services/:key/submissions', writes, async (ctx) => {
    if (!catalogue.get(ctx.params.key!)) throw new DomainError(404, 'Not Found', 'Unbekannte Dienstleistung');
    const idempotencyKey = ctx.get('idempotency-key') || undefined;
    if (idempotencyKey && !/^[\x21-\x7e]{1,200}$/.test(idempotencyKey)) {
      throw badRequest('Idempotency-Key: 1 bis 200 druckbare ASCII-Zeichen', [{ path: 'Idempotency-Key', message: 'ungültig' }]);
    }
    const { submission, attachments } = ctx.is('multipart/form-data')
      ? await readMultipart(ctx, uploadLimits)
      : { submission: await readJson(ctx, maxJsonBytes), attachments: [] };
    const result = await submissions.submit(ctx.params.key!, submission, idempotencyKey, attachments, (ctx.state as { caller?: Caller }).caller ?? {});
    ctx.status = 201;
    ctx.set('Location', result.statusUrl);
    ctx.body = result;
  });

  router.get('/submissions/:reference', async (ctx) => {
    const c = await submissions.authorisedCase(ctx.params.reference!, bearerToken(ctx), (ctx.state as { caller?: Caller }).caller);
    ctx.body = await submissions.statusOf(c);
  });

  router.post('/submissions/:reference/replies', writes, async (ctx) => {
    const c = await submissions.authorisedCase(ctx.params.reference!, bearerToken(ctx), (ctx.state as { caller?: Caller }).caller);
    // JSON `{ requestId, message, data? }`, or multipart: that JSON as part `reply` plus files
    const { json, attachments } = ctx.is('multipart/form-data')
      ? await readJsonAndFiles(ctx, uploadLimits, 'reply')
      : { json: await readJson(ctx, maxJsonBytes), attachments: [] };
    ctx.status = 202;
    ctx.body = await services.applicantActions.reply(c, json, attachments);
  });

  router.post('/submissions/:reference/withdrawal', writes, async (ctx) => {
    const c = await submissions.authorisedCase(ctx.params.reference!, bearerToken(ctx), (ctx.state as { caller?: Caller }).caller);
    ctx.status = 202;
    ctx.body = await services.applicantActions.withdraw(c);
  });

  router.get('/submissions/:reference/documents/:id', async (ctx) => {
    const c = await submissions.authorisedCase(ctx.params.reference!, bearerToken(ctx), (ctx.state as { caller?: Caller }).caller);
    const { doc, content } = await submissions.document(c, ctx.params.id!);
    ctx.type = doc.contentType;
    ctx.set('Content-Disposition', `attachment; filename="${doc.name.replace(/[^\w.-]/g, '_')}"`);
    ctx.body = content;
  });

  return router;
}

function serviceDto(entry: import('../processes/service-entry').ServiceEntry) {
  return {
    key: entry.key,
    name: entry.name,
    description: entry.description,
    authority: entry.authority,
    fee: entry.fee,
    targetDays: entry.targetDays,
    identity: entry.identity,
    category: entry.category,
  };
}
