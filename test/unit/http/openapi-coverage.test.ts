/**
 * Every route registered on the API's koa routers is in the OpenAPI document, with its responses
 * (a schema or a file type for each success answer); a route added without a declaration fails here.
 */
import path from 'node:path';
import pino from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import type Router from '@koa/router';
import { apiRouters, type HttpOptions } from '../../../server/http/app';
import { openApiPath } from '../../../server/http/openapi';
import { Catalogue } from '../../../server/processes/catalogue';
import type { Services } from '../../../server/services';

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: unknown }>; $ref?: string }> };
type Doc = { openapi: string; paths: Record<string, Record<string, Operation>> };

const opts: HttpOptions = {
  log: pino({ level: 'silent' }),
  maxJsonBytes: 100_000,
  secureCookies: false,
  trustProxy: false,
  uploadLimits: { maxTotalBytes: 1_000_000, maxFileBytes: 500_000, maxFiles: 5 },
  rateLimits: { publicPerMinute: 60, submissionsPerMinute: 10 },
  portalClients: { issuer: undefined, audience: 'http://localhost/api', rateLimitPerMinute: 60 },
  demoMode: true, // registers the demo-only routes too
};

let routers: Router[];
let doc: Doc;

beforeAll(async () => {
  const catalogue = await Catalogue.load(path.resolve(__dirname, '../../../processes'));
  // building the routers touches no service; only the document reads the catalogue (start forms)
  const services = new Proxy({ catalogue } as Record<string, unknown>, { get: (target, key) => target[key as string] ?? {} }) as unknown as Services;
  const built = apiRouters(services, opts);
  routers = built.routers;
  doc = built.openApi as Doc;
});

/** (method, path) of every route on the routers; router.use() layers have no methods. */
function registeredRoutes(): Array<{ method: string; path: string }> {
  return routers.flatMap((router) => router.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((m) => ({ method: m.toLowerCase(), path: openApiPath(String(layer.path)) }))));
}

describe('OpenAPI document', () => {
  it('documents every route of the routers, each with a success response', () => {
    const routes = registeredRoutes();
    const documented = routes.filter(({ method, path }) => {
      const responses = doc.paths[path]?.[method]?.responses ?? {};
      const success = Object.entries(responses).filter(([code]) => /^[23]\d\d$/.test(code));
      // a body schema for every success answer that has a body (204 and redirects have none)
      return success.length > 0 && success.every(([code, r]) => ['204', '302'].includes(code) || Object.values(r.content ?? {}).some((m) => m.schema !== undefined));
    });
    console.log(`${documented.length} of ${routes.length} routes documented`);
    expect(routes.length).toBeGreaterThan(40);
    expect(routes.filter((r) => !documented.includes(r))).toEqual([]);
  });

  it('is OpenAPI 3.1 with a submission path per service and its start form as `data`', () => {
    expect(doc.openapi).toBe('3.1.0');
    const submission = doc.paths['/api/v1/services/wohnsitzbestaetigung/submissions']?.post as {
      requestBody: { content: Record<string, { schema: { properties: Record<string, { additionalProperties?: unknown }> } }> };
    };
    expect(submission.requestBody.content['application/json']!.schema.properties.data!.additionalProperties).toBe(false);
    expect(Object.keys(submission.requestBody.content)).toEqual(['application/json', 'multipart/form-data']);
  });

  it('documents the validation answers with field paths (problem+json)', () => {
    const complete = doc.paths['/api/tasks/{id}/complete']!.post!;
    expect(Object.keys(complete.responses!)).toEqual(expect.arrayContaining(['200', '400', '401', '413', '415', '422']));
    expect(complete.responses!['422']).toEqual({ $ref: '#/components/responses/Problem' });
  });
});
