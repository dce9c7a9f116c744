/** Back office extras: inbox counts, colleagues, dashboard, case notes, diagram, CSV export. */
import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../services';
import { BackofficeQueries } from '../domain/dashboard';
import { NoteService } from '../domain/notes';
import { parseOrFail, validationFailed } from '../domain/errors';
import { currentUser, readJson, requireStaff } from './middleware';
import { listParams } from './list-params';
import { caseFilterSchema } from './routes-staff';

const noteSchema = z.object({ body: z.string().trim().min(1).max(5000) }).strict();

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
  const staff = requireStaff(services.auth);
  const queries = new BackofficeQueries(services.repos, services.catalogue);
  const notes = new NoteService(services.repos);

  router.get('/inbox/counts', staff, async (ctx) => {
    ctx.body = await queries.inboxCounts(currentUser(ctx));
  });

  router.get('/colleagues', staff, async (ctx) => {
    ctx.body = await queries.colleagues(currentUser(ctx));
  });

  router.get('/dashboard', staff, async (ctx) => {
    ctx.body = await queries.dashboard(currentUser(ctx));
  });

  router.get('/cases/:reference/diagram', staff, async (ctx) => {
    ctx.body = await queries.diagram(currentUser(ctx), ctx.params.reference!);
  });

  router.get('/cases/:reference/notes', staff, async (ctx) => {
    ctx.body = await notes.list(currentUser(ctx), ctx.params.reference!);
  });

  router.post('/cases/:reference/notes', staff, async (ctx) => {
    const { body } = parseOrFail(noteSchema, await readJson(ctx, opts.maxJsonBytes));
    ctx.status = 201;
    ctx.body = await notes.add(currentUser(ctx), ctx.params.reference!, body);
  });

  router.delete('/cases/:reference/notes/:id', staff, async (ctx) => {
    const id = Number(ctx.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw validationFailed([{ path: 'id', message: 'ungültige Notiz' }]);
    await notes.remove(currentUser(ctx), ctx.params.reference!, id);
    ctx.status = 204;
  });

  /** The case list of the current filter as CSV (semicolons and a BOM, as Excel in Switzerland expects). */
  router.get('/exports/cases.csv', staff, async (ctx) => {
    const user = currentUser(ctx);
    const { filter, sort } = listParams(ctx, caseFilterSchema, ['submittedAt', 'DESC']);
    const municipalities = new Map((await services.repos.organisations.listMunicipalities()).map((m) => [m.bfsNumber, m.name]));
    // one page for the whole export: one (capped) count instead of one per chunk
    const { rows } = await services.cases.list(user, { ...filter, sort, range: [0, EXPORT_LIMIT - 1] });
    const lines = [['Referenz', 'Leistung', 'Gemeinde', 'Status', 'Gesuchsteller/in', 'Eingereicht', 'Abgeschlossen'].join(';')];
    for (const c of rows) {
      lines.push(
        [c.reference, c.serviceName, municipalities.get(c.municipality) ?? String(c.municipality), statusLabels[c.status] ?? c.status, c.applicantName, swissDateTime(c.submittedAt), swissDateTime(c.closedAt)]
          .map(csvCell)
          .join(';'),
      );
    }
    ctx.type = 'text/csv; charset=utf-8';
    ctx.set('Content-Disposition', `attachment; filename="dossiers-${new Date().toISOString().slice(0, 10)}.csv"`);
    ctx.body = `\uFEFF${lines.join('\r\n')}\r\n`;
  });

  return router;
}

function csvCell(value: string): string {
  // quote always; neutralise spreadsheet formulas in user-provided text
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

function swissDateTime(iso: string | null): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat('de-CH', { timeZone: 'Europe/Zurich', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}
