/** Process owners (issue 5): versions, drafts, checks, deploy, diff and export of processes. */
import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { Services } from '../services';
import { z } from 'zod';
import { currentUser, requireStaff } from './middleware';
import { positiveId, routeDeclarer } from './route';
import {
  deployResultSchema,
  diffSchema,
  draftSchema,
  draftSummarySchema,
  file,
  impactSchema,
  lintResultSchema,
  processContentSchema,
  processDetailSchema,
  processSummarySchema,
  processVersionContentSchema,
} from './schemas';

/** BPMN plus forms is larger than ordinary JSON bodies. */
const PROCESS_BODY_BYTES = 4 * 1024 * 1024;

const keyParam = z.object({ key: z.string() });
/** a positive integer, as JSON number or as digits */
const positiveInteger = z.union([z.number(), z.string().regex(/^\d+$/)]).pipe(z.coerce.number().int().positive().safe());

export function processRoutes(services: Services, opts: { maxJsonBytes: number }): Router {
  const router = new Router({ prefix: '/api/processes' });
  const owner = services.processOwner;
  const processOwner = async (ctx: Context, next: Next) => {
    owner.authorize(currentUser(ctx));
    await next();
  };
  const route = routeDeclarer(router, { maxJsonBytes: opts.maxJsonBytes, guards: { processOwner: [requireStaff(services.auth), processOwner] } });
  const tags = ['processes'];
  const auth = 'processOwner';

  route({
    method: 'get',
    path: '/',
    summary: 'Every service process with its deployed versions and running cases',
    tags,
    auth,
    responses: { 200: z.array(processSummarySchema) },
    handler: async (ctx) => {
      const list = await owner.list();
      ctx.set('Content-Range', `processes 0-${Math.max(0, list.length - 1)}/${list.length}`);
      ctx.body = list;
    },
  });

  route({
    method: 'get',
    path: '/:key',
    summary: 'One process with its versions',
    tags,
    auth,
    responses: { 200: processDetailSchema },
    errors: [404],
    handler: async (ctx) => {
      ctx.body = await owner.get(ctx.params.key!);
    },
  });

  route({
    method: 'get',
    path: '/:key/versions/:version',
    summary: 'The BPMN and forms of a deployed version',
    tags,
    auth,
    request: { params: keyParam.extend({ version: positiveId() }) },
    responses: { 200: processVersionContentSchema },
    errors: [404],
    handler: async (ctx, { params }) => {
      const { xml, forms, deployment } = await owner.version(params.key, params.version);
      ctx.body = { version: deployment.version, processDefinitionKey: deployment.processDefinitionKey, xml, forms };
    },
  });

  route({
    method: 'post',
    path: '/:key/drafts',
    summary: 'Save a draft (BPMN and forms from the modeler)',
    tags,
    auth,
    request: { body: processContentSchema, bodyCheckedBy: 'domain', bodyLimitBytes: PROCESS_BODY_BYTES },
    responses: { 201: draftSummarySchema },
    errors: [404],
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = await owner.saveDraft(currentUser(ctx), ctx.params.key!, body);
    },
  });

  route({
    method: 'get',
    path: '/:key/drafts',
    summary: 'The drafts of a process, newest first',
    tags,
    auth,
    responses: { 200: z.array(draftSummarySchema) },
    errors: [404],
    handler: async (ctx) => {
      ctx.body = await owner.drafts(ctx.params.key!);
    },
  });

  route({
    method: 'get',
    path: '/:key/drafts/:id',
    summary: 'One draft with its BPMN and forms',
    tags,
    auth,
    request: { params: keyParam.extend({ id: positiveId() }) },
    responses: { 200: draftSchema },
    errors: [404],
    handler: async (ctx, { params }) => {
      ctx.body = await owner.draft(params.key, params.id);
    },
  });

  route({
    method: 'post',
    path: '/:key/lint',
    summary: 'Check BPMN and forms (bpmnlint, Camunda 8 compatibility, known job types)',
    tags,
    auth,
    request: { body: processContentSchema, bodyCheckedBy: 'domain', bodyLimitBytes: PROCESS_BODY_BYTES },
    responses: { 200: lintResultSchema },
    errors: [404],
    handler: async (ctx, { body }) => {
      const findings = await owner.lintBody(ctx.params.key!, body);
      ctx.body = { findings, errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warning').length };
    },
  });

  route({
    method: 'get',
    path: '/:key/impact',
    summary: 'What deploying a draft affects: running cases per version and waiting step, waiting steps the draft removes',
    tags,
    auth,
    request: { query: z.object({ draftId: positiveId() }) },
    responses: { 200: impactSchema },
    errors: [404, 422],
    handler: async (ctx, { query }) => {
      ctx.body = await owner.impact(ctx.params.key!, query.draftId);
    },
  });

  route({
    method: 'post',
    path: '/:key/deploy',
    summary: 'Deploy a draft to Zeebe as the next version',
    tags,
    auth,
    request: { body: z.object({ draftId: positiveInteger }), bodyLimitBytes: 10_000 },
    responses: { 201: deployResultSchema },
    errors: [404, 409],
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = await owner.deploy(currentUser(ctx), ctx.params.key!, body.draftId);
    },
  });

  route({
    method: 'get',
    path: '/:key/diff',
    summary: 'Differences between two versions: `v<version>`, `d<draft id>` or `current`',
    tags,
    auth,
    request: { query: z.object({ from: z.string({ required_error: 'erforderlich' }).min(1, 'erforderlich'), to: z.string().default('current') }) },
    responses: { 200: diffSchema },
    errors: [404, 422],
    handler: async (ctx, { query }) => {
      ctx.body = await owner.diff(ctx.params.key!, query.from, query.to);
    },
  });

  route({
    method: 'get',
    path: '/:key/export',
    summary: 'The BPMN and forms of a version (default: current) as a ZIP file',
    tags,
    auth,
    request: { query: z.object({ version: positiveId().optional() }) },
    responses: { 200: file('BPMN and form files', 'application/zip') },
    errors: [404],
    handler: async (ctx, { query }) => {
      const { fileName, bytes } = await owner.exportZip(ctx.params.key!, query.version);
      ctx.type = 'application/zip';
      ctx.set('Content-Disposition', `attachment; filename="${fileName}"`);
      ctx.body = Buffer.from(bytes);
    },
  });

  return router;
}
