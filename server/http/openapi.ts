/**
 * OpenAPI 3.1 description of the public and staff API, generated at start-up from the route
 * declarations (route.ts): the zod schemas that validate each request, each route's response
 * schemas, and each service's start form as the `data` of its submission path.
 */
import { createDocument, createSchema, type oas31, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { z, type ZodTypeAny } from 'zod';
import { COUNT_CAP } from '../repositories/list-page';
import { DATA_FIELD_TYPES, type FormComponent } from '../processes/form-validation';
import { AUDIENCE_ROLES, type Audience } from '../domain/access';
import type { Auth, RouteDeclaration } from './route';

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: { type: 'string' },
          message: { type: 'string' },
          // routing: the municipalities an address can lie in, for the applicant to choose from
          candidates: { type: 'array', items: { type: 'object', required: ['bfsNumber', 'name'], properties: { bfsNumber: { type: 'integer' }, name: { type: 'string' } } } },
        },
      },
    },
  },
} as const;

/** A submission's applicant: its access token, the signed-in person, the portal that submitted it, or a portal acting for that person. */
const applicantAccess: Array<Record<string, string[]>> = [{ accessToken: [] }, { citizenSession: [] }, { portalClient: [] }, { portalClient: [], citizenToken: [] }];
const staffAccess: Array<Record<string, string[]>> = [{ bearer: [] }, { cookie: [] }];
const security: Record<Auth, Array<Record<string, string[]>> | undefined> = {
  public: undefined,
  demo: undefined,
  // anonymous, or a signed-in person / portal (e.g. a submission where the service's identity level is `none`)
  optionalCitizen: [{}, { citizenSession: [] }, { portalClient: [] }, { portalClient: [], citizenToken: [] }],
  applicant: applicantAccess,
  citizen: [{ citizenSession: [] }],
  staff: staffAccess,
  caseWorker: staffAccess,
  admin: staffAccess,
  processOwner: staffAccess,
  userAdmin: staffAccess,
  absences: staffAccess,
};

/** staff audiences: the roles that may call the route, published as `x-roles` */
const isAudience = (auth: Auth): auth is Audience => Object.hasOwn(AUDIENCE_ROLES, auth);

const statusText: Record<number, string> = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 302: 'Found', 503: 'Service Unavailable' };

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

export function buildOpenApi(routes: RouteDeclaration[]): object {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routes) {
    const operation = operationOf(route);
    const path = openApiPath(route.koaPath);
    paths[path] = { ...paths[path], [route.method]: operation };
    for (const [extra, op] of Object.entries(route.spec.expand?.(operation) ?? {})) paths[extra] = { ...paths[extra], [route.method]: op };
  }
  return createDocument({
    openapi: '3.1.0',
    info: { title: 'Lucerne workflow and case back office', version: '1.0.0', description: 'Public API for citizens and portals, staff API for the back office.' },
    paths,
    components: {
      responses: { Problem: { description: 'RFC 9457 problem details', content: { 'application/problem+json': { schema: problemSchema as unknown as oas31.SchemaObject } } } },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'staff session token from /api/auth/login' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'lu_session' },
        accessToken: { type: 'http', scheme: 'bearer', description: 'the access token of the submission receipt' },
        citizenSession: { type: 'apiKey', in: 'cookie', name: 'lu_citizen', description: 'a signed-in person (GET /api/v1/auth/login); changes also need the header X-CSRF-Token (cookie lu_csrf)' },
        portalClient: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: "a portal's client-credentials access token from the configured provider (audience PUBLIC_BASE_URL/api); rate limits apply per client",
        },
        citizenToken: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Citizen-Token',
          description: "with a portal's access token only: the person's ID token from the same provider, issued to that portal (aud = its client id)",
        },
      },
    },
  });
}

/** koa's `/cases/:reference` as OpenAPI's `/cases/{reference}`. */
export function openApiPath(koaPath: string): string {
  const path = koaPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
  return path.length > 1 ? path.replace(/\/$/, '') : path;
}

function operationOf({ koaPath, spec }: RouteDeclaration): ZodOpenApiOperationObject {
  const req = spec.request ?? {};
  const pathNames = [...koaPath.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  // every path parameter is documented, as a string where the route declares no schema for it
  const params = req.params ?? (pathNames.length ? z.object(Object.fromEntries(pathNames.map((n) => [n, z.string()]))) : undefined);
  const requestBody = req.content ? { required: true, content: req.content } : req.body ? { required: true, content: { 'application/json': { schema: req.body } } } : undefined;
  return {
    tags: spec.tags,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(security[spec.auth] ? { security: security[spec.auth] } : {}),
    ...(isAudience(spec.auth) ? { 'x-roles': [...AUDIENCE_ROLES[spec.auth]] } : {}),
    requestParams: {
      ...(params ? { path: params as z.AnyZodObject } : {}),
      ...(req.query ? { query: req.query as z.AnyZodObject } : {}),
      ...(req.headers ? { header: req.headers as z.AnyZodObject } : {}),
    },
    ...(req.list ? { parameters: listParameters(req.list.filter) } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: { ...successResponses(spec.responses, req.list?.resource), ...problems(implicitErrors(spec).concat(spec.errors ?? [])) },
  };
}

/** The problem answers validation and authentication give by themselves. */
function implicitErrors(spec: RouteDeclaration['spec']): number[] {
  const req = spec.request ?? {};
  const codes: number[] = [];
  if ((req.query && (req.queryErrorStatus === 400 || req.queryCheckedBy === 'domain')) || req.list || req.headers || req.body || req.content) codes.push(400);
  if (req.query && req.queryErrorStatus !== 400 && req.queryCheckedBy !== 'domain') codes.push(422);
  if (!['public', 'demo', 'optionalCitizen'].includes(spec.auth)) codes.push(401);
  if (isAudience(spec.auth) && spec.auth !== 'staff') codes.push(403);
  if (req.body || req.content) codes.push(413, 415, 422);
  if (req.params) codes.push(422);
  return codes;
}

function problems(codes: number[]): ZodOpenApiResponsesObject {
  return Object.fromEntries([...new Set(codes)].sort().map((c) => [String(c), { $ref: '#/components/responses/Problem' }]));
}

function successResponses(responses: RouteDeclaration['spec']['responses'], listResource: string | undefined): ZodOpenApiResponsesObject {
  const out: ZodOpenApiResponsesObject = {};
  for (const [code, r] of Object.entries(responses)) {
    const status = Number(code);
    const headers = status === 200 && listResource ? listHeaders(listResource) : undefined;
    if (r instanceof z.ZodType) {
      out[code as '200'] = { description: statusText[status] ?? code, content: { 'application/json': { schema: r } }, ...(headers ? { headers } : {}) };
    } else {
      const content = r.schema || r.contentType ? { [r.contentType ?? 'application/json']: { schema: r.schema ?? z.any() } } : undefined;
      out[code as '200'] = { description: r.description, ...(content ? { content } : {}), ...(r.headers || headers ? { headers: { ...headers, ...r.headers } } : {}) };
    }
  }
  return out;
}

/** A react-admin list page: Content-Range with a total that may be capped (X-Total-Capped). */
function listHeaders(resource: string) {
  return {
    'Content-Range': {
      description: `\`${resource} <from>-<to>/<total>\`. Totals are counted up to about ${COUNT_CAP} (fewer for a frequent search term); beyond that the total is a lower bound, see X-Total-Capped`,
      schema: { type: 'string' as const, example: `${resource} 0-24/${COUNT_CAP + 1}` },
    },
    'X-Total-Capped': {
      description: 'true: counting stopped early, more than total − 1 rows match (the next page exists when total > to + 1); false: the total is exact',
      schema: { type: 'string' as const, enum: ['true', 'false'] },
    },
  };
}

function listParameters(filter: ZodTypeAny): oas31.ParameterObject[] {
  const json = (schema: object) => ({ 'application/json': { schema: schema as oas31.SchemaObject } });
  return [
    { name: 'filter', in: 'query' as const, content: json(createSchema(filter, { schemaType: 'input' }).schema) },
    { name: 'sort', in: 'query' as const, content: json({ type: 'array', prefixItems: [{ type: 'string' }, { enum: ['ASC', 'DESC'] }] }) },
    {
      name: 'range',
      in: 'query' as const,
      content: json({
        type: 'array',
        prefixItems: [
          { type: 'integer', minimum: 0 },
          { type: 'integer', minimum: 0 },
        ],
        description: 'at most 1000 rows',
      }),
    },
  ];
}
