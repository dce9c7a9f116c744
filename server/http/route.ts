/**
 * Every HTTP route is declared once: method, path, who may call it, the zod schemas of its
 * parameters, query, headers and body, and its responses. The declaration registers the route on
 * a @koa/router, validates the request before the handler runs (problem+json with field paths),
 * and is what the OpenAPI document (openapi.ts) is generated from.
 */
import type Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z, type ZodTypeAny } from 'zod';
import type { ZodOpenApiContentObject, ZodOpenApiOperationObject } from 'zod-openapi';
import { badRequest, fieldErrors, validationFailed } from '../domain/errors';
import { readJson } from './middleware';
import { listParams } from './list-params';
import { rejectNul } from './input-checks';

/**
 * Who may call a route. `public`: anyone; `applicant`: a submission's access token, the signed-in
 * person or the portal that submitted it; `citizen`: the signed-in person's session cookie;
 * `staff`: a staff session; `caseWorker`, `processOwner`, `userAdmin` and `admin`: staff of that
 * audience (domain/access.ts names its roles); `demo`: demo mode only.
 */
export type Auth = 'public' | 'optionalCitizen' | 'applicant' | 'citizen' | 'staff' | 'caseWorker' | 'admin' | 'processOwner' | 'userAdmin' | 'absences' | 'demo';

/** A response: its body schema (JSON), or a description with the content types of a file. */
export type ResponseSpec = ZodTypeAny | { description: string; schema?: ZodTypeAny; contentType?: string; headers?: Record<string, { description: string; schema: object }> };

/** A react-admin list: `filter`, `sort` and `range` as JSON in the query, Content-Range in the answer. */
export interface ListSpec<F extends ZodTypeAny> {
  resource: string;
  filter: F;
  defaultSort: [string, 'ASC' | 'DESC'];
}

export interface RequestSpec<P extends ZodTypeAny, Q extends ZodTypeAny, H extends ZodTypeAny, B extends ZodTypeAny, F extends ZodTypeAny> {
  /** path parameters (422 naming the parameter when invalid) */
  params?: P;
  /** query parameters (422 naming the parameter when invalid, or `queryErrorStatus`) */
  query?: Q;
  queryErrorStatus?: 400 | 422;
  /** 'domain': the domain service checks the query; `query` only documents it */
  queryCheckedBy?: 'domain';
  /** request headers, names in lower case (400 naming the header when invalid) */
  headers?: H;
  /** a JSON body: read with readJson (415/413/400), then validated (422 with field paths) */
  body?: B;
  /** the body limit in bytes; default: the app's MAX_JSON_BYTES */
  bodyLimitBytes?: number;
  /** 'domain': the body is read as JSON but checked by the domain service; `body` only documents it */
  bodyCheckedBy?: 'domain';
  /** a body the handler reads itself (multipart, or JSON or multipart), documented by content type */
  content?: ZodOpenApiContentObject;
  list?: ListSpec<F>;
}

export interface RouteInput<P, Q, H, B, F> {
  params: P;
  query: Q;
  headers: H;
  body: B;
  list: { filter: F; sort: { field: string; order: 'ASC' | 'DESC' }; range: [number, number] };
}

export interface RouteSpec<P extends ZodTypeAny, Q extends ZodTypeAny, H extends ZodTypeAny, B extends ZodTypeAny, F extends ZodTypeAny> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** relative to the router's prefix, koa style (`/cases/:reference`) */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  auth: Auth;
  /** middleware after authentication, before validation (e.g. a rate limit) */
  use?: Middleware[];
  request?: RequestSpec<P, Q, H, B, F>;
  responses: Record<number, ResponseSpec>;
  /** problem+json answers the handler or the domain gives besides the ones validation and auth imply */
  errors?: number[];
  /** more documented paths for the same route, e.g. one per service with its own start form */
  expand?: (operation: ZodOpenApiOperationObject) => Record<string, ZodOpenApiOperationObject>;
  handler: (ctx: Context, input: RouteInput<z.output<P>, z.output<Q>, z.output<H>, z.output<B>, z.output<F>>) => unknown;
}

/** A registered route as the OpenAPI document sees it. */
export interface RouteDeclaration {
  method: RouteSpec<ZodTypeAny, ZodTypeAny, ZodTypeAny, ZodTypeAny, ZodTypeAny>['method'];
  /** the full koa path, prefix included */
  koaPath: string;
  spec: RouteSpec<ZodTypeAny, ZodTypeAny, ZodTypeAny, ZodTypeAny, ZodTypeAny>;
}

export interface Declarer {
  <P extends ZodTypeAny = z.ZodUndefined, Q extends ZodTypeAny = z.ZodUndefined, H extends ZodTypeAny = z.ZodUndefined, B extends ZodTypeAny = z.ZodUndefined, F extends ZodTypeAny = z.ZodUndefined>(
    spec: RouteSpec<P, Q, H, B, F>,
  ): void;
}

const declarations = new WeakMap<Router, RouteDeclaration[]>();

/** The routes declared on a router, in order. */
export function declaredRoutes(router: Router): RouteDeclaration[] {
  return declarations.get(router) ?? [];
}

/**
 * A function declaring routes on `router`. `guards` enforce each `auth` level the router uses
 * (a route whose level has no guard is refused at start-up, so the document cannot promise a
 * check the route does not make); `maxJsonBytes` is the default body limit.
 */
export function routeDeclarer(router: Router, opts: { maxJsonBytes: number; guards?: Partial<Record<Auth, Middleware[]>> }): Declarer {
  const list: RouteDeclaration[] = [];
  declarations.set(router, list);
  return (spec) => {
    const guard = spec.auth === 'public' ? [] : opts.guards?.[spec.auth];
    if (!guard) throw new Error(`route ${spec.method.toUpperCase()} ${spec.path}: no guard for auth '${spec.auth}'`);
    const generic = spec as unknown as RouteSpec<ZodTypeAny, ZodTypeAny, ZodTypeAny, ZodTypeAny, ZodTypeAny>;
    const run: Middleware = async (ctx) => {
      const input = await validatedInput(ctx, generic, opts.maxJsonBytes);
      await generic.handler(ctx, input);
    };
    const layer = router.register(spec.path, [spec.method], [...guard, ...(spec.use ?? []), run], { name: null });
    list.push({ method: spec.method, koaPath: layer.path as string, spec: generic });
  };
}

async function validatedInput(ctx: Context, spec: RouteSpec<ZodTypeAny, ZodTypeAny, ZodTypeAny, ZodTypeAny, ZodTypeAny>, maxJsonBytes: number): Promise<RouteInput<any, any, any, any, any>> {
  const req = spec.request ?? {};
  rejectNul(ctx.params, 'params');
  rejectNul(ctx.query, 'query');
  const params = req.params ? parse(req.params, ctx.params, (errors) => validationFailed(errors)) : undefined;
  const query =
    req.query && req.queryCheckedBy !== 'domain'
      ? parse(req.query, ctx.query, (errors) => (req.queryErrorStatus === 400 ? badRequest(`Parameter ${errors[0]!.path} ist ungültig`, errors) : validationFailed(errors)))
      : ctx.query;
  const list = req.list ? listParams(ctx, req.list.filter, req.list.defaultSort) : undefined;
  const headers = req.headers ? parse(req.headers, ctx.headers, (errors) => badRequest(`${errors[0]!.path}: ${errors[0]!.message}`, errors)) : undefined;
  let body: unknown;
  if (req.body) {
    const raw = await readJson(ctx, req.bodyLimitBytes ?? maxJsonBytes);
    rejectNul(raw, 'body');
    body = req.bodyCheckedBy === 'domain' ? raw : parse(req.body, raw, (errors) => validationFailed(errors));
  }
  return { params, query, headers, body, list: list! };
}

function parse(schema: ZodTypeAny, value: unknown, fail: (errors: ReturnType<typeof fieldErrors>) => Error): unknown {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw fail(fieldErrors(parsed.error.issues));
  return parsed.data;
}

/** A positive integer path or query parameter (e.g. a note's id), with the message the route answers. */
export const positiveId = (message = 'positive ganze Zahl erwartet') =>
  z
    .string()
    .describe('a positive integer')
    .transform((value, ctx) => {
      const n = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
      // database ids are 32-bit integers: PostgreSQL refuses a larger one in a query (500)
      if (Number.isSafeInteger(n) && n > 0 && n <= 2 ** 31 - 1) return n;
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    });
