/** Back office extras: inbox counts, colleagues, dashboard, case notes, diagram, CSV export. */
import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../services';
import { BackofficeQueries } from '../domain/dashboard';
import { NoteService } from '../domain/notes';
import { currentUser, requireAudience, requireStaff } from './middleware';
import { authorizeCaseWork } from '../domain/access';
import { positiveId, routeDeclarer } from './route';
import { colleagueSchema, dashboardSchema, diagramSchema, file, inboxCountsSchema, noteSchema } from './schemas';
import { caseFilterSchema } from './routes-staff';
import { sendCsv, swissDateTime } from './csv';

const noteBodySchema = z.object({ body: z.string().trim().min(1).max(5000) }).strict();

const statusLabels: Record<string, string> = {
  received: 'Eingegangen',
  in_progress: 'In Bearbeitung',
  waiting_for_applicant: 'Wartet auf Gesuchsteller/in',
  completed: 'Abgeschlossen',
  rejected: 'Abgelehnt',
  withdrawn: 'Zurückgezogen',
};

const EXPORT_LIMIT = 20_000;

export function backofficeRoutes(services: Services, opts: { maxJsonBytes: number }): Router {
  const router = new Router({ prefix: '/api' });
  const route = routeDeclarer(router, { maxJsonBytes: opts.maxJsonBytes, guards: { staff: [requireStaff(services.auth)], caseWorker: requireAudience(services.auth, authorizeCaseWork) } });
  const queries = new BackofficeQueries(services.repos, services.catalogue);
  const notes = new NoteService(services.repos);
  const tags = ['staff'];

  route({
    method: 'get',
    path: '/inbox/counts',
    summary: 'Task counts of the inbox views',
    tags,
    auth: 'caseWorker',
    responses: { 200: inboxCountsSchema },
    handler: async (ctx) => {
      ctx.body = await queries.inboxCounts(currentUser(ctx));
    },
  });

  route({
    method: 'get',
    path: '/colleagues',
    summary: 'Clerks and team leads of the own organisations (to assign tasks to)',
    tags,
    auth: 'caseWorker',
    responses: { 200: z.array(colleagueSchema) },
    handler: async (ctx) => {
      ctx.body = await queries.colleagues(currentUser(ctx));
    },
  });

  route({
    method: 'get',
    path: '/staff-names',
    summary: 'Display names of all staff by username (to show names instead of login names)',
    tags,
    auth: 'staff',
    responses: { 200: z.record(z.string()) },
    handler: async (ctx) => {
      ctx.body = await queries.staffNames();
    },
  });

  route({
    method: 'get',
    path: '/dashboard',
    summary: 'Team-lead dashboard: open and overdue per person and service, throughput, processing time',
    tags,
    auth: 'caseWorker',
    responses: { 200: dashboardSchema },
    handler: async (ctx) => {
      ctx.body = await queries.dashboard(currentUser(ctx));
    },
  });

  route({
    method: 'get',
    path: '/cases/:reference/diagram',
    summary: "The case's process diagram with the elements passed and waiting",
    tags,
    auth: 'caseWorker',
    responses: { 200: diagramSchema },
    errors: [404],
    handler: async (ctx) => {
      ctx.body = await queries.diagram(currentUser(ctx), ctx.params.reference!);
    },
  });

  route({
    method: 'get',
    path: '/cases/:reference/notes',
    summary: 'Internal notes on the case, newest first',
    tags,
    auth: 'caseWorker',
    responses: { 200: z.array(noteSchema) },
    errors: [404],
    handler: async (ctx) => {
      ctx.body = await notes.list(currentUser(ctx), ctx.params.reference!);
    },
  });

  route({
    method: 'post',
    path: '/cases/:reference/notes',
    summary: 'Add an internal note',
    tags,
    auth: 'caseWorker',
    request: { body: noteBodySchema },
    responses: { 201: noteSchema },
    errors: [404],
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = await notes.add(currentUser(ctx), ctx.params.reference!, body.body);
    },
  });

  route({
    method: 'delete',
    path: '/cases/:reference/notes/:id',
    summary: 'Delete an own note',
    tags,
    auth: 'caseWorker',
    request: { params: z.object({ reference: z.string(), id: positiveId('ungültige Notiz') }) },
    responses: { 204: { description: 'deleted' } },
    errors: [403, 404],
    handler: async (ctx, { params }) => {
      await notes.remove(currentUser(ctx), params.reference, params.id);
      ctx.status = 204;
    },
  });

  route({
    method: 'get',
    path: '/exports/cases.csv',
    summary: 'The case list of the current filter as CSV (semicolons and a BOM, as Excel in Switzerland expects)',
    tags,
    auth: 'caseWorker',
    request: { list: { resource: 'cases', filter: caseFilterSchema, defaultSort: ['submittedAt', 'DESC'] } },
    responses: { 200: file('the cases, at most 20000', 'text/csv') },
    handler: async (ctx, { list: { filter, sort } }) => {
      const user = currentUser(ctx);
      const municipalities = new Map((await services.repos.organisations.listMunicipalities()).map((m) => [m.bfsNumber, m.name]));
      // one page for the whole export: one (capped) count instead of one per chunk
      const { rows } = await services.cases.list(user, { ...filter, sort, range: [0, EXPORT_LIMIT - 1] });
      const header = ['Referenz', 'Leistung', 'Gemeinde', 'Status', 'Gesuchsteller/in', 'Eingereicht', 'Abgeschlossen'];
      const lines = rows.map((c) => [
        c.reference,
        c.serviceName,
        municipalities.get(c.municipality) ?? String(c.municipality),
        statusLabels[c.status] ?? c.status,
        c.applicantName,
        swissDateTime(c.submittedAt),
        swissDateTime(c.closedAt),
      ]);
      sendCsv(ctx, `dossiers-${new Date().toISOString().slice(0, 10)}.csv`, [header, ...lines]);
    },
  });

  return router;
}
