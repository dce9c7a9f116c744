/**
 * Administration (issue 17): organisations, users, roles, group memberships and the audit trail,
 * for admins (everything) and organisation admins (their organisations' users); and the password
 * change at login that an initial password leads to. domain/administration.ts owns the rules.
 */
import Router from '@koa/router';
import { z } from 'zod';
import type { Services } from '../services';
import { AdministrationService } from '../domain/administration';
import { authorizeAdmin, authorizeUserAdministration } from '../domain/access';
import { ROLES } from '../repositories/users';
import { answerStaffSession, currentUser, requireAudience } from './middleware';
import { sendCsv, swissDateTime } from './csv';
import { setContentRange } from './list-params';
import { positiveId, routeDeclarer } from './route';
import { auditEventSchema, organisationSchema, sessionSchema, userSchema } from './schemas';
import type { HttpOptions } from './http-options';

const organisationId = z.string().regex(/^(municipality:\d{1,5}|canton:[a-z0-9-]{2,50})$/, 'municipality:<BFS-Nummer> oder canton:<Schlüssel>');
const groupName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/, 'Kleinbuchstaben, Ziffern, _ und - (höchstens 100 Zeichen)');
const inboxGroups = z
  .array(groupName)
  .max(20)
  .refine((groups) => new Set(groups).size === groups.length, 'jede Gruppe nur einmal');
const password = z.string().min(10, 'Mindestens 10 Zeichen').max(200, 'Höchstens 200 Zeichen');

export const organisationCreateSchema = z
  .object({
    kind: z.enum(['municipality', 'canton']),
    name: z.string().trim().min(1).max(200),
    bfsNumber: z.number().int().min(1).max(99999).optional(),
    key: z
      .string()
      .regex(/^[a-z0-9-]{2,50}$/, 'Kleinbuchstaben, Ziffern und - (2 bis 50 Zeichen)')
      .optional(),
    inboxGroups: inboxGroups.default([]),
  })
  .strict();

export const organisationUpdateSchema = z.object({ name: z.string().trim().min(1).max(200), inboxGroups }).strict();

const userFields = {
  displayName: z.string().trim().min(1).max(200),
  email: z.string().trim().max(200).email('keine gültige E-Mail-Adresse').nullable(),
  roles: z.array(z.enum(ROLES)).min(1, 'mindestens eine Rolle').max(ROLES.length),
  groups: z.array(groupName).max(20),
  organisations: z.array(organisationId).max(100),
};

export const userCreateSchema = z
  .object({
    username: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,99}$/, 'Kleinbuchstaben, Ziffern, . _ - (3 bis 100 Zeichen)'),
    ...userFields,
    active: z.boolean().default(true),
    /** must be changed at the first login */
    initialPassword: password,
  })
  .strict()
  .refine((u) => u.initialPassword.toLowerCase() !== u.username, { path: ['initialPassword'], message: 'nicht der Benutzername' });

/** the whole user as the edit form sends it; the username never changes (tasks and notes name it) */
export const userUpdateSchema = z.object({ ...userFields, active: z.boolean() }).strict();

export const passwordResetSchema = z.object({ initialPassword: password }).strict();

export const passwordChangeSchema = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200), newPassword: password }).strict();

const userFilterSchema = z
  .object({ q: z.string().max(200), organisation: organisationId, role: z.enum(ROLES), active: z.boolean() })
  .partial()
  .strict();

const auditFilterSchema = z
  .object({
    actor: z.string().max(100),
    action: z.string().max(40),
    entityType: z.enum(['user', 'organisation']),
    entityId: z.string().max(100),
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, 'Datum JJJJ-MM-TT'),
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/, 'Datum JJJJ-MM-TT'),
  })
  .partial()
  .strict();

const EXPORT_LIMIT = 20_000;

const actionLabels: Record<string, string> = {
  'user.create': 'Benutzer/in erstellt',
  'user.update': 'Benutzer/in geändert',
  'user.deactivate': 'Benutzer/in deaktiviert',
  'user.activate': 'Benutzer/in aktiviert',
  'user.password_reset': 'Startpasswort gesetzt',
  'organisation.create': 'Organisation erstellt',
  'organisation.update': 'Organisation geändert',
};

export function administrationRoutes(services: Services, opts: Pick<HttpOptions, 'maxJsonBytes' | 'secureCookies'>): Router {
  const router = new Router({ prefix: '/api' });
  const administration = new AdministrationService(services.repos);
  const route = routeDeclarer(router, {
    maxJsonBytes: opts.maxJsonBytes,
    guards: { userAdmin: requireAudience(services.auth, authorizeUserAdministration), admin: requireAudience(services.auth, authorizeAdmin) },
  });
  const tags = ['administration'];
  const orgParams = z.object({ id: organisationId });
  const userParams = z.object({ id: positiveId() });

  route({
    method: 'post',
    path: '/auth/password',
    summary: 'Change the own password (required after an initial password set by an administrator); answers a session like the login',
    tags: ['staff'],
    auth: 'public',
    request: { body: passwordChangeSchema },
    responses: { 200: sessionSchema },
    errors: [401, 429],
    handler: async (ctx, { body }) => {
      answerStaffSession(ctx, await services.auth.changePassword(body.username, body.password, body.newPassword, ctx.ip || 'unknown'), opts.secureCookies);
    },
  });

  route({
    method: 'get',
    path: '/admin/organisations',
    summary: 'Organisations with their inbox groups (organisation admins: their own)',
    tags,
    auth: 'userAdmin',
    responses: { 200: z.array(organisationSchema) },
    handler: async (ctx) => {
      const list = await administration.listOrganisations(currentUser(ctx));
      ctx.set('Content-Range', `organisations 0-${Math.max(0, list.length - 1)}/${list.length}`);
      ctx.body = list;
    },
  });

  route({
    method: 'get',
    path: '/admin/organisations/:id',
    summary: 'One organisation',
    tags,
    auth: 'userAdmin',
    request: { params: orgParams },
    responses: { 200: organisationSchema },
    errors: [404],
    handler: async (ctx, { params }) => {
      ctx.body = await administration.organisation(currentUser(ctx), params.id);
    },
  });

  route({
    method: 'post',
    path: '/admin/organisations',
    summary: 'Create a municipality administration (bfsNumber) or a cantonal office (key)',
    tags,
    auth: 'admin',
    request: { body: organisationCreateSchema },
    responses: { 201: organisationSchema },
    errors: [409],
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = await administration.createOrganisation(currentUser(ctx), body);
    },
  });

  route({
    method: 'put',
    path: '/admin/organisations/:id',
    summary: "Change an organisation's name and inbox groups",
    tags,
    auth: 'admin',
    request: { params: orgParams, body: organisationUpdateSchema },
    responses: { 200: organisationSchema },
    errors: [404],
    handler: async (ctx, { params, body }) => {
      ctx.body = await administration.updateOrganisation(currentUser(ctx), params.id, body);
    },
  });

  route({
    method: 'get',
    path: '/admin/users',
    summary: 'Users (react-admin simple-rest; organisation admins: the users of their organisations)',
    tags,
    auth: 'userAdmin',
    request: { list: { resource: 'users', filter: userFilterSchema, defaultSort: ['username', 'ASC'] } },
    responses: { 200: z.array(userSchema) },
    handler: async (ctx, { list: { filter, sort, range } }) => {
      const page = await administration.listUsers(currentUser(ctx), { filter, sort, range });
      setContentRange(ctx, 'users', range, page);
      ctx.body = page.rows;
    },
  });

  route({
    method: 'get',
    path: '/admin/users/:id',
    summary: 'One user',
    tags,
    auth: 'userAdmin',
    request: { params: userParams },
    responses: { 200: userSchema },
    errors: [404],
    handler: async (ctx, { params }) => {
      ctx.body = await administration.user(currentUser(ctx), params.id);
    },
  });

  route({
    method: 'post',
    path: '/admin/users',
    summary: 'Create a user with an initial password, which they must change at the first login',
    description: 'Organisation admins grant only clerk, teamlead and org_admin for their own organisations (403 naming the field). Username and e-mail are unique (409 naming the field).',
    tags,
    auth: 'userAdmin',
    request: { body: userCreateSchema },
    responses: { 201: userSchema },
    errors: [403, 409],
    handler: async (ctx, { body }) => {
      ctx.status = 201;
      ctx.body = await administration.createUser(currentUser(ctx), body);
    },
  });

  route({
    method: 'put',
    path: '/admin/users/:id',
    summary: 'Change a user: name, e-mail, roles, groups, organisations, active (false: deactivated, sessions end)',
    description: 'Nobody deactivates themselves or drops their own admin/org_admin role, and the last active admin keeps the role (409).',
    tags,
    auth: 'userAdmin',
    request: { params: userParams, body: userUpdateSchema },
    responses: { 200: userSchema },
    errors: [403, 404, 409],
    handler: async (ctx, { params, body }) => {
      ctx.body = await administration.updateUser(currentUser(ctx), params.id, body);
    },
  });

  route({
    method: 'post',
    path: '/admin/users/:id/password',
    summary: "Set a new initial password (the user's sessions end; they must change it at the next login)",
    tags,
    auth: 'userAdmin',
    request: { params: userParams, body: passwordResetSchema },
    responses: { 200: userSchema },
    errors: [404, 409],
    handler: async (ctx, { params, body }) => {
      ctx.body = await administration.resetPassword(currentUser(ctx), params.id, body.initialPassword);
    },
  });

  route({
    method: 'get',
    path: '/admin/audit-events',
    summary: 'The audit trail of the administration, newest first (organisation admins: events concerning their organisations)',
    tags,
    auth: 'userAdmin',
    request: { list: { resource: 'audit-events', filter: auditFilterSchema, defaultSort: ['at', 'DESC'] } },
    responses: { 200: z.array(auditEventSchema) },
    handler: async (ctx, { list: { filter, sort, range } }) => {
      const page = await administration.auditEvents(currentUser(ctx), { filter, order: sort.order, range });
      setContentRange(ctx, 'audit-events', range, page);
      ctx.body = page.rows;
    },
  });

  route({
    method: 'get',
    path: '/admin/exports/audit-events.csv',
    summary: 'The audit trail of the current filter as CSV (at most 20000 events)',
    tags,
    auth: 'userAdmin',
    request: { list: { resource: 'audit-events', filter: auditFilterSchema, defaultSort: ['at', 'DESC'] } },
    responses: { 200: { description: 'the events', contentType: 'text/csv', schema: z.any() } },
    handler: async (ctx, { list: { filter, sort } }) => {
      const { rows } = await administration.auditEvents(currentUser(ctx), { filter, order: sort.order, range: [0, EXPORT_LIMIT - 1] });
      const header = ['Zeitpunkt', 'Wer', 'Aktion', 'Art', 'Objekt', 'Organisationen', 'Vorher', 'Nachher'];
      const lines = rows.map((e) => [
        swissDateTime(e.at),
        e.actor,
        actionLabels[e.action] ?? e.action,
        e.entityType === 'user' ? 'Benutzer/in' : 'Organisation',
        e.entityId,
        e.organisations.join(', '),
        e.before ? JSON.stringify(e.before) : '',
        e.after ? JSON.stringify(e.after) : '',
      ]);
      sendCsv(ctx, `audit-protokoll-${new Date().toISOString().slice(0, 10)}.csv`, [header, ...lines]);
    },
  });

  return router;
}
