/** Process owners (issue 5): versions, drafts, checks, deploy, diff and export of processes. */
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { Services } from '../services';
import { validationFailed } from '../domain/errors';
import { currentUser, readJson, requireStaff } from './middleware';

/** BPMN plus forms is larger than ordinary JSON bodies. */
const PROCESS_BODY_BYTES = 4 * 1024 * 1024;

export function processRoutes(services: Services): Router {
  const router = new Router({ prefix: '/api/processes' });
  const owner = services.processOwner;
  const staff = requireStaff(services.auth);
  const processOwner = async (ctx: Context, next: Next) => {
    owner.authorize(currentUser(ctx));
    await next();
  };
  const guard = [staff, processOwner] as const;

  router.get('/', ...guard, async (ctx) => {
    const list = await owner.list();
    ctx.set('Content-Range', `processes 0-${Math.max(0, list.length - 1)}/${list.length}`);
    ctx.body = list;
  });

  router.get('/:key', ...guard, async (ctx) => {
    ctx.body = await owner.get(ctx.params.key!);
  });

  router.get('/:key/versions/:version', ...guard, async (ctx) => {
    const { xml, forms, deployment } = await owner.version(ctx.params.key!, positive(ctx.params.version, 'version'));
    ctx.body = { version: deployment.version, processDefinitionKey: deployment.processDefinitionKey, xml, forms };
  });

  router.post('/:key/drafts', ...guard, async (ctx) => {
    const body = await readJson(ctx, PROCESS_BODY_BYTES);
    ctx.status = 201;
    ctx.body = await owner.saveDraft(currentUser(ctx), ctx.params.key!, body);
  });

  router.get('/:key/drafts', ...guard, async (ctx) => {
    ctx.body = await owner.drafts(ctx.params.key!);
  });

  router.get('/:key/drafts/:id', ...guard, async (ctx) => {
    ctx.body = await owner.draft(ctx.params.key!, positive(ctx.params.id, 'id'));
  });

  router.post('/:key/lint', ...guard, async (ctx) => {
    const findings = await owner.lintBody(ctx.params.key!, await readJson(ctx, PROCESS_BODY_BYTES));
    ctx.body = { findings, errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length };
  });

  router.post('/:key/deploy', ...guard, async (ctx) => {
    const body = (await readJson(ctx, 10_000)) as { draftId?: unknown };
    const draftId = positive(body?.draftId, 'draftId');
    ctx.status = 201;
    ctx.body = await owner.deploy(currentUser(ctx), ctx.params.key!, draftId);
  });

  router.get('/:key/diff', ...guard, async (ctx) => {
    const from = String(ctx.query.from ?? '');
    const to = String(ctx.query.to ?? 'current');
    if (!from) throw validationFailed([{ path: 'from', message: 'erforderlich' }]);
    ctx.body = await owner.diff(ctx.params.key!, from, to);
  });

  router.get('/:key/export', ...guard, async (ctx) => {
    const version = ctx.query.version ? positive(ctx.query.version, 'version') : undefined;
    const { fileName, bytes } = await owner.exportZip(ctx.params.key!, version);
    ctx.type = 'application/zip';
    ctx.set('Content-Disposition', `attachment; filename="${fileName}"`);
    ctx.body = Buffer.from(bytes);
  });

  return router;
}

function positive(value: unknown, path: string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw validationFailed([{ path, message: 'positive ganze Zahl erwartet' }]);
  return n;
}
