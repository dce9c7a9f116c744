/**
 * OpenAPI 3.1 description of the public and staff API, generated at start-up from the same
 * schemas that validate requests: the zod schemas of the routes and each service's start form.
 */
import { zodToJsonSchema } from 'zod-to-json-schema';
import type { ZodTypeAny } from 'zod';
import type { Catalogue } from '../domain/catalogue';
import { COUNT_CAP } from '../repositories/list-page';
import { replySchema } from '../domain/applicant-actions';
import { submissionSchema } from '../domain/submissions';
import { DATA_FIELD_TYPES, type FormComponent } from '../processes/form-validation';
import { assignSchema, caseFilterSchema, completeSchema, infoRequestSchema, loginSchema, taskFilterSchema } from './routes-staff';
import { callbackFilterSchema, portalClientSchema } from './routes-admin';

const json = (schema: ZodTypeAny) => zodToJsonSchema(schema, { target: 'jsonSchema2019-09', $refStrategy: 'none' });

const problem = {
  description: 'RFC 9457 problem details',
  content: {
    'application/problem+json': {
      schema: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
    },
  },
};

const errors = (...codes: number[]) => Object.fromEntries(codes.map((c) => [String(c), { $ref: '#/components/responses/Problem' }]));
const ok = (description: string) => ({ '200': { description, content: { 'application/json': {} } } });
/** A react-admin list page: Content-Range with a total that may be capped (X-Total-Capped). */
const listPage = (resource: string) => ({
  '200': {
    description: `one page of ${resource}`,
    content: { 'application/json': {} },
    headers: {
      'Content-Range': {
        description: `\`${resource} <from>-<to>/<total>\`. Totals are counted up to about ${COUNT_CAP} (fewer for a frequent search term); beyond that the total is a lower bound, see X-Total-Capped`,
        schema: { type: 'string', example: `${resource} 0-24/${COUNT_CAP + 1}` },
      },
      'X-Total-Capped': {
        description: 'true: counting stopped early, more than total − 1 rows match (the next page exists when total > to + 1); false: the total is exact',
        schema: { type: 'string', enum: ['true', 'false'] },
      },
    },
  },
});
const body = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const bearer = [{ bearer: [] }, { cookie: [] }];
/** A submission's applicant: its access token, the signed-in person, the portal that submitted it, or a portal acting for that person. */
const applicantAccess = [{ accessToken: [] }, { citizenSession: [] }, { portalClient: [] }, { portalClient: [], citizenToken: [] }];

/** JSON Schema of a start form's data: the rules validateAgainstForm applies. */
export function formDataSchema(components: FormComponent[]): object {
  const properties: Record<string, object> = {};
  const required: string[] = [];
  const walk = (list: FormComponent[]) => {
    for (const c of list) {
      if (c.components && !c.key) walk(c.components);
      if (!c.key || !DATA_FIELD_TYPES.has(c.type)) continue;
      const v = c.validate ?? {};
      const enumValues = c.values?.map((x) => x.value);
      let schema: Record<string, unknown>;
      switch (c.type) {
        case 'number':
          schema = { type: (c.decimalDigits ?? v.decimalDigits) === 0 ? 'integer' : 'number', minimum: v.min, maximum: v.max };
          break;
        case 'checkbox':
          schema = { type: 'boolean' };
          break;
        case 'checklist':
        case 'taglist':
          schema = { type: 'array', items: enumValues ? { enum: enumValues } : { type: 'string' } };
          break;
        case 'select':
        case 'radio':
          schema = enumValues ? { enum: enumValues } : { type: 'string' };
          break;
        case 'datetime':
          schema = { type: 'string', format: c.subtype === 'date' ? 'date' : 'date-time' };
          break;
        default:
          schema = { type: 'string', minLength: v.minLength, maxLength: v.maxLength, pattern: v.pattern, format: v.validationType === 'email' ? 'email' : undefined };
      }
      if (c.label) schema.title = c.label;
      if (c.defaultValue !== undefined) schema.default = c.defaultValue;
      properties[c.key] = JSON.parse(JSON.stringify(schema)); // drops undefined rules
      if (v.required) required.push(c.key);
    }
  };
  walk(components);
  return { type: 'object', additionalProperties: false, properties, required };
}

export function buildOpenApi(catalogue: Catalogue): object {
  const envelope = json(submissionSchema) as { properties: Record<string, unknown> };
  const paths: Record<string, object> = {
    '/api/v1/services': { get: { tags: ['public'], summary: 'Service catalogue', responses: ok('services') } },
    '/api/v1/services/{key}': { get: { tags: ['public'], summary: 'One service with its start form', parameters: [pathParam('key')], responses: { ...ok('service'), ...errors(404) } } },
    '/api/v1/municipalities': { get: { tags: ['public'], summary: 'The 79 municipalities of the canton of Lucerne', responses: ok('municipalities') } },
    '/api/v1/submissions/{reference}': {
      get: { tags: ['public'], summary: 'Status for the applicant', security: applicantAccess, parameters: [pathParam('reference')], responses: { ...ok('status'), ...errors(404, 429) } },
    },
    '/api/v1/submissions/{reference}/replies': {
      post: {
        tags: ['public'],
        summary: 'Answer an open request for information, optionally with files (multipart: JSON part `reply` plus PDF, PNG or JPEG files)',
        security: applicantAccess,
        parameters: [pathParam('reference')],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: json(replySchema) },
            'multipart/form-data': { schema: { type: 'object', properties: { reply: { type: 'string', contentMediaType: 'application/json', contentSchema: json(replySchema) } }, additionalProperties: { type: 'string', format: 'binary' } } },
          },
        },
        responses: { '202': { description: 'accepted' }, ...errors(400, 404, 409, 413, 415, 422, 429) },
      },
    },
    '/api/v1/submissions/{reference}/withdrawal': {
      post: { tags: ['public'], summary: 'Withdraw the submission', security: applicantAccess, parameters: [pathParam('reference')], responses: { '202': { description: 'withdrawn' }, ...errors(404, 409, 429) } },
    },
    ...citizenPaths(),
    '/api/auth/login': { post: { tags: ['staff'], summary: 'Staff login', requestBody: body(json(loginSchema)), responses: { ...ok('session'), ...errors(401, 422) } } },
    '/api/auth/me': { get: { tags: ['staff'], security: bearer, responses: { ...ok('user'), ...errors(401) } } },
    '/api/auth/logout': { post: { tags: ['staff'], security: bearer, responses: { '204': { description: 'logged out' } } } },
    '/api/tasks': { get: { tags: ['staff'], security: bearer, summary: 'Task list (react-admin simple-rest)', parameters: listParams(json(taskFilterSchema)), responses: { ...listPage('tasks'), ...errors(400, 401) } } },
    '/api/tasks/{id}': { get: { tags: ['staff'], security: bearer, parameters: [pathParam('id')], responses: { ...ok('task with form and variables'), ...errors(401, 404) } } },
    '/api/tasks/{id}/claim': { post: taskAction('Claim') },
    '/api/tasks/{id}/unclaim': { post: taskAction('Unclaim') },
    '/api/tasks/{id}/assign': { post: { ...taskAction('Assign (team leads)'), requestBody: body(json(assignSchema)) } },
    '/api/tasks/{id}/complete': { post: { ...taskAction('Complete; variables are checked against the task form'), requestBody: body(json(completeSchema)) } },
    '/api/tasks/{id}/request-info': { post: { ...taskAction('Ask the applicant for information'), requestBody: body(json(infoRequestSchema)) } },
    '/api/cases': { get: { tags: ['staff'], security: bearer, parameters: listParams(json(caseFilterSchema)), responses: { ...listPage('cases'), ...errors(400, 401) } } },
    '/api/cases/{reference}': { get: { tags: ['staff'], security: bearer, parameters: [pathParam('reference')], responses: { ...ok('the dossier'), ...errors(401, 404) } } },
    '/api/admin/portal-clients': { get: { tags: ['admin'], security: bearer, summary: 'Portal clients (never their callback secret: hasCallbackSecret)', responses: { ...ok('portal clients'), ...errors(401, 403) } } },
    '/api/admin/portal-clients/{clientId}': {
      put: { tags: ['admin'], security: bearer, summary: 'Create or update a portal client and its status callback', parameters: [pathParam('clientId')], requestBody: body(json(portalClientSchema(false))), responses: { ...ok('the portal client'), ...errors(401, 403, 415, 422) } },
    },
    '/api/admin/status-callbacks': {
      get: { tags: ['admin'], security: bearer, summary: 'Status-callback events (dead-letter view: state=dead)', parameters: [{ name: 'state', in: 'query', schema: { type: 'string', enum: ['pending', 'delivered', 'dead', 'skipped'] } }, ...listParams(json(callbackFilterSchema))], responses: { ...listPage('status-callbacks'), ...errors(400, 401, 403) } },
    },
    '/api/admin/status-callbacks/{id}/retry': { post: { tags: ['admin'], security: bearer, summary: 'Send a dead or skipped event again', parameters: [pathParam('id')], responses: { ...ok('the event, pending again'), ...errors(401, 403, 404, 409) } } },
    '/api/health': { get: { tags: ['operations'], responses: ok('process is running') } },
    '/api/ready': { get: { tags: ['operations'], responses: { ...ok('database and Zeebe answer'), '503': { description: 'not ready' } } } },
  };
  for (const { entry } of catalogue.services()) {
    const form = catalogue.startForm(entry.key);
    const schema = { ...envelope, properties: { ...envelope.properties, data: formDataSchema(form?.components ?? []) } };
    paths[`/api/v1/services/${entry.key}/submissions`] = {
      post: {
        tags: ['public'],
        summary: `Submit: ${entry.name}`,
        // anonymous where the service's identity level is `none`
        security: [{}, { citizenSession: [] }, { portalClient: [] }, { portalClient: [], citizenToken: [] }],
        parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string', maxLength: 200 } }],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema },
            'multipart/form-data': { schema: { type: 'object', properties: { submission: { type: 'string', contentMediaType: 'application/json', contentSchema: schema } }, additionalProperties: { type: 'string', format: 'binary' } } },
          },
        },
        responses: { '201': { description: 'received: reference, access token, status URL, signed receipt' }, ...errors(400, 401, 403, 409, 413, 415, 422, 429) },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Lucerne workflow and case back office', version: '1.0.0', description: 'Public API for citizens and portals, staff API for the back office.' },
    paths,
    components: {
      responses: { Problem: problem },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'staff session token from /api/auth/login' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'lu_session' },
        accessToken: { type: 'http', scheme: 'bearer', description: 'the access token of the submission receipt' },
        citizenSession: { type: 'apiKey', in: 'cookie', name: 'lu_citizen', description: 'a signed-in person (GET /api/v1/auth/login); changes also need the header X-CSRF-Token (cookie lu_csrf)' },
        portalClient: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "a portal's client-credentials access token from the configured provider (audience PUBLIC_BASE_URL/api); rate limits apply per client" },
        citizenToken: { type: 'apiKey', in: 'header', name: 'X-Citizen-Token', description: "with a portal's access token only: the person's ID token from the same provider, issued to that portal (aud = its client id)" },
      },
    },
  };
}

function pathParam(name: string) {
  return { name, in: 'path', required: true, schema: { type: 'string' } };
}

function listParams(filter: object) {
  return [
    { name: 'filter', in: 'query', content: { 'application/json': { schema: filter } } },
    { name: 'sort', in: 'query', content: { 'application/json': { schema: { type: 'array', prefixItems: [{ type: 'string' }, { enum: ['ASC', 'DESC'] }] } } } },
    { name: 'range', in: 'query', content: { 'application/json': { schema: { type: 'array', prefixItems: [{ type: 'integer' }, { type: 'integer' }] } } } },
  ];
}

function taskAction(summary: string) {
  return { tags: ['staff'], summary, security: bearer, parameters: [pathParam('id')], responses: { ...ok('the task'), ...errors(401, 404, 409, 422) } };
}

/** Citizen sign-in (OpenID Connect) and the signed-in person's own data (DESIGN.md §6). */
function citizenPaths(): Record<string, object> {
  const session = [{ citizenSession: [] }];
  const redirect = (description: string) => ({ '302': { description, headers: { Location: { schema: { type: 'string' } } } } });
  return {
    '/api/v1/auth/login': {
      get: {
        tags: ['citizen'],
        summary: 'Start the sign-in: redirect to the OpenID provider (authorization code + PKCE)',
        parameters: [{ name: 'returnTo', in: 'query', schema: { type: 'string', maxLength: 500, default: '/portal/', description: 'a path on this site (no //, \\ or control characters)' } }],
        responses: { ...redirect('to the provider'), ...errors(400, 503) },
      },
    },
    '/api/v1/auth/callback': {
      get: {
        tags: ['citizen'],
        summary: "The provider's redirect back: sets the session cookies lu_citizen (httpOnly) and lu_csrf, redirects to returnTo",
        parameters: ['code', 'state', 'iss', 'error'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
        responses: { ...redirect('to returnTo'), ...errors(400, 503) },
      },
    },
    '/api/v1/auth/logout': {
      post: {
        tags: ['citizen'],
        summary: 'End the session (header X-CSRF-Token required)',
        security: session,
        parameters: [{ name: 'X-CSRF-Token', in: 'header', schema: { type: 'string' } }],
        responses: { '204': { description: 'signed out, cookies cleared' }, ...errors(401, 403) },
      },
    },
    '/api/v1/me': {
      get: {
        tags: ['citizen'],
        summary: 'The signed-in person: subject, givenName, familyName, birthDate, assurance, csrfToken',
        security: session,
        responses: { ...ok('the person'), ...errors(401) },
      },
    },
    '/api/v1/me/submissions': {
      get: {
        tags: ['citizen'],
        summary: "The person's cases at every authority, newest first (Content-Range: submissions from-to/total)",
        security: session,
        parameters: listParams({ type: 'object', additionalProperties: false }).filter((p) => p.name === 'range'),
        responses: { ...listPage('submissions'), ...errors(400, 401) },
      },
    },
  };
}
