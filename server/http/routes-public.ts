/** The public API for citizens and portals (DESIGN.md §4 "Public"). */
import Router from '@koa/router';
import type { Services } from '../services';
import type { Context } from 'koa';
import { z, type ZodTypeAny } from 'zod';
import { createSchema, type oas31, type ZodOpenApiContentObject, type ZodOpenApiOperationObject } from 'zod-openapi';
import { DomainError } from '../domain/errors';
import { replySchema } from '../domain/applicant-actions';
import { submissionSchema } from '../domain/submissions';
import { formDataSchema } from './openapi';
import { routeDeclarer } from './route';
import { applicantStatusSchema, caseStatusSchema, file, municipalitySchema, receiptSchema, serviceSchema, serviceWithFormSchema } from './schemas';
import { bearerToken } from './middleware';
import { citizenSession } from './citizen-session';
import { withJsonOrMultipart } from './multipart';
import { rateLimit } from './rate-limit';
import { portalClient, portalClientSettings } from './portal-client';
import { PortalTokenVerifier } from '../domain/portal-tokens';
import type { HttpOptions } from './http-options';
import type { Caller } from '../domain/identity';

export function publicRoutes(services: Services, opts: HttpOptions): Router {
  const router = new Router({ prefix: '/api/v1' });
  const { maxJsonBytes, uploadLimits } = opts;
  // a verified portal client gets its own bucket and limit (DESIGN.md §6); everyone else one per address
  const { issuer, audience, rateLimitPerMinute } = opts.portalClients;
  const clientSettings = portalClientSettings((id) => services.repos.portalClients.get(id), rateLimitPerMinute);
  const perClient = async (clientId: string) => (await clientSettings(clientId)).rateLimitPerMinute;
  const reads = rateLimit(services.rateLimiter, opts.rateLimits.publicPerMinute, 'Abfragen', perClient);
  const writes = rateLimit(services.rateLimiter, opts.rateLimits.submissionsPerMinute, 'Eingaben', perClient);
  router.use(portalClient(new PortalTokenVerifier({ issuer, audience }), clientSettings), reads);
  // a signed-in person's session cookie (caller.citizen; CSRF header on changes)
  router.use(citizenSession(services.citizenAuth, { secureCookies: opts.secureCookies }));
  const { catalogue, submissions, repos } = services;
  const uploadOptions = { limits: uploadLimits, maxJsonBytes, uploads: services.uploads };
  const route = routeDeclarer(router, { maxJsonBytes, guards: { optionalCitizen: [], applicant: [] } });
  const tags = ['public'];
  const caller = (ctx: Context): Caller => (ctx.state as { caller?: Caller }).caller ?? {};
  const applicantCase = (ctx: Context) => submissions.authorisedCase(ctx.params.reference!, bearerToken(ctx), caller(ctx));

  route({
    method: 'get',
    path: '/services',
    summary: 'Service catalogue',
    tags,
    auth: 'public',
    responses: { 200: z.array(serviceSchema) },
    errors: [429],
    handler: (ctx) => {
      ctx.body = catalogue.services().map(({ entry }) => serviceDto(entry));
    },
  });

  route({
    method: 'get',
    path: '/services/:key',
    summary: 'One service with its start form',
    tags,
    auth: 'public',
    responses: { 200: serviceWithFormSchema },
    errors: [404, 429],
    handler: (ctx) => {
      const service = catalogue.get(ctx.params.key!);
      if (!service) throw new DomainError(404, 'Not Found', 'Unbekannte Dienstleistung');
      ctx.body = { ...serviceDto(service.entry), form: catalogue.startForm(service.entry.key) };
    },
  });

  route({
    method: 'get',
    path: '/municipalities',
    summary: 'The 79 municipalities of the canton of Lucerne; with postalCode (and locality) the ones that address can lie in, likeliest first',
    tags,
    auth: 'public',
    request: {
      query: z.object({
        postalCode: z
          .string()
          .regex(/^[1-9]\d{3}$/, 'Schweizer Postleitzahl mit 4 Ziffern erwartet')
          .optional(),
        locality: z.string().trim().max(100).default(''),
      }),
    },
    responses: { 200: z.array(municipalitySchema) },
    errors: [429],
    handler: async (ctx, { query }) => {
      ctx.body = query.postalCode ? await submissions.municipalitiesAt(query.postalCode, query.locality) : await repos.organisations.listMunicipalities();
    },
  });

  route({
    method: 'post',
    path: '/services/:key/submissions',
    summary: "Submit an application (JSON, or multipart: JSON part `submission` plus PDF, PNG or JPEG files); `data` follows the service's start form, see the path of each service",
    tags,
    auth: 'optionalCitizen',
    use: [writes],
    request: {
      headers: z.object({
        'idempotency-key': z
          .string()
          .regex(/^[\x21-\x7e]{1,200}$/, '1 bis 200 druckbare ASCII-Zeichen')
          .optional(),
      }),
      content: submissionContent(submissionSchema),
    },
    responses: {
      201: {
        description: 'received: reference, access token, status URL, signed receipt',
        schema: receiptSchema,
        headers: { Location: { description: 'the status URL', schema: { type: 'string' } } },
      },
    },
    errors: [401, 403, 404, 409, 429],
    expand: (operation) => perServiceOperations(catalogue, operation),
    handler: async (ctx, { headers }) => {
      if (!catalogue.get(ctx.params.key!)) throw new DomainError(404, 'Not Found', 'Unbekannte Dienstleistung');
      const result = await withJsonOrMultipart(ctx, 'submission', uploadOptions, (json, attachments) =>
        submissions.submit(ctx.params.key!, json, headers['idempotency-key'] || undefined, attachments, caller(ctx)),
      );
      ctx.status = 201;
      ctx.set('Location', result.statusUrl);
      ctx.body = result;
    },
  });

  route({
    method: 'get',
    path: '/submissions/:reference',
    summary: 'Status for the applicant',
    tags,
    auth: 'applicant',
    responses: { 200: applicantStatusSchema },
    errors: [404, 429],
    handler: async (ctx) => {
      ctx.body = await submissions.statusOf(await applicantCase(ctx));
    },
  });

  route({
    method: 'post',
    path: '/submissions/:reference/replies',
    summary: 'Answer an open request for information, optionally with files (multipart: JSON part `reply` plus PDF, PNG or JPEG files)',
    tags,
    auth: 'applicant',
    use: [writes],
    request: { content: multipartOrJson(replySchema, 'reply') },
    responses: { 202: caseStatusSchema },
    errors: [404, 409, 429],
    handler: async (ctx) => {
      const c = await applicantCase(ctx);
      // JSON `{ requestId, message, data? }`, or multipart: that JSON as part `reply` plus files
      ctx.body = await withJsonOrMultipart(ctx, 'reply', uploadOptions, (json, attachments) => services.applicantActions.reply(c, json, attachments));
      ctx.status = 202;
    },
  });

  route({
    method: 'post',
    path: '/submissions/:reference/withdrawal',
    summary: 'Withdraw the submission',
    tags,
    auth: 'applicant',
    use: [writes],
    responses: { 202: caseStatusSchema },
    errors: [404, 409, 429],
    handler: async (ctx) => {
      const c = await applicantCase(ctx);
      ctx.status = 202;
      ctx.body = await services.applicantActions.withdraw(c);
    },
  });

  route({
    method: 'get',
    path: '/submissions/:reference/documents/:id',
    summary: 'An issued document (e.g. the certificate) as a file',
    tags,
    auth: 'applicant',
    responses: { 200: file('the document', 'application/pdf') },
    errors: [404, 429],
    handler: async (ctx) => {
      const { doc, content } = await submissions.document(await applicantCase(ctx), ctx.params.id!);
      ctx.type = doc.contentType;
      ctx.length = doc.size;
      ctx.set('Content-Disposition', `attachment; filename="${doc.name.replace(/[^\w.-]/g, '_')}"`);
      ctx.body = content;
    },
  });

  return router;
}

/** A body as JSON, or as multipart with that JSON in part `part` plus files. */
function multipartOrJson(schema: ZodTypeAny | oas31.SchemaObject, part: string): ZodOpenApiContentObject {
  const json = schema instanceof z.ZodType ? createSchema(schema, { schemaType: 'input' }).schema : schema;
  return {
    'application/json': { schema },
    'multipart/form-data': {
      schema: {
        type: 'object',
        required: [part],
        properties: { [part]: { type: 'string', contentMediaType: 'application/json', contentSchema: json as oas31.SchemaObject } },
        additionalProperties: { type: 'string', format: 'binary' },
      } as unknown as MediaSchema,
    },
  };
}

type MediaSchema = NonNullable<ZodOpenApiContentObject['application/json']>['schema'];

const submissionContent = (schema: ZodTypeAny | oas31.SchemaObject) => multipartOrJson(schema, 'submission');

/** One submission path per service, with its start form as the JSON Schema of `data`. */
function perServiceOperations(catalogue: Services['catalogue'], operation: ZodOpenApiOperationObject): Record<string, ZodOpenApiOperationObject> {
  const envelope = createSchema(submissionSchema, { schemaType: 'input' }).schema as oas31.SchemaObject;
  const out: Record<string, ZodOpenApiOperationObject> = {};
  for (const { entry } of catalogue.services()) {
    const data = formDataSchema(catalogue.startForm(entry.key)?.components ?? []) as oas31.SchemaObject;
    const schema: oas31.SchemaObject = { ...envelope, properties: { ...envelope.properties, data } };
    const { requestParams, ...rest } = operation;
    out[`/api/v1/services/${entry.key}/submissions`] = {
      ...rest,
      summary: `Submit: ${entry.name}`,
      requestParams: { header: requestParams?.header },
      requestBody: { required: true, content: submissionContent(schema) },
    };
  }
  return out;
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
