/**
 * The route declaration validates before the handler runs: problem+json with field paths, the
 * body rules of readJson (415, 413, 400), 422 for parameters and bodies, 400 for headers.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import Router from '@koa/router';
import pino from 'pino';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../../server/http/middleware';
import { declaredRoutes, positiveId, routeDeclarer } from '../../../server/http/route';

let server: http.Server;
let base: string;
let handled = 0;

beforeAll(async () => {
  const router = new Router({ prefix: '/api' });
  const route = routeDeclarer(router, { maxJsonBytes: 200 });
  route({
    method: 'put',
    path: '/things/:id',
    summary: 'test',
    tags: ['test'],
    auth: 'public',
    request: {
      params: z.object({ id: positiveId('ungültige Nummer') }),
      headers: z.object({ 'x-mode': z.enum(['a', 'b']).optional() }),
      body: z.object({ name: z.string().min(1), tags: z.array(z.string().max(3)).optional() }).strict(),
    },
    responses: { 200: z.object({ id: z.number(), name: z.string() }) },
    handler: (ctx, { params, body }) => {
      handled++;
      ctx.body = { id: params.id, name: body.name };
    },
  });
  const app = new Koa();
  app.use(errorHandler(pino({ level: 'silent' })));
  app.use(router.routes());
  server = http.createServer(app.callback()).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  expect(declaredRoutes(router).map((r) => `${r.method} ${r.koaPath}`)).toEqual(['put /api/things/:id']);
});

afterAll(() => server.close());

const put = async (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) => {
  const res = await fetch(`${base}${path}`, { method: 'PUT', body, headers });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as { errors?: Array<{ path: string; message: string }>; id?: number } };
};

describe('declared routes', () => {
  it('passes the parsed parameters and body to the handler', async () => {
    const res = await put('/api/things/7', JSON.stringify({ name: 'x' }));
    expect(res).toMatchObject({ status: 200, body: { id: 7, name: 'x' } });
  });

  it('answers invalid parameters and bodies with 422 and field paths, before the handler', async () => {
    const before = handled;
    const param = await put('/api/things/0', JSON.stringify({ name: 'x' }));
    expect(param.status).toBe(422);
    expect(param.type).toContain('application/problem+json');
    expect(param.body.errors).toEqual([{ path: 'id', message: 'ungültige Nummer' }]);
    const body = await put('/api/things/1', JSON.stringify({ name: '', tags: ['long'], extra: 1 }));
    expect(body.status).toBe(422);
    expect(body.body.errors!.map((e) => e.path).sort()).toEqual(['(body)', 'name', 'tags.0']);
    expect(handled).toBe(before);
  });

  it('keeps the body rules: 415 for another type, 413 when too large, 400 for broken JSON; 400 for a bad header', async () => {
    expect((await put('/api/things/1', 'name=x', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await put('/api/things/1', JSON.stringify({ name: 'x'.repeat(300) }))).status).toBe(413);
    expect((await put('/api/things/1', '{"name":')).status).toBe(400);
    const header = await put('/api/things/1', JSON.stringify({ name: 'x' }), { 'content-type': 'application/json', 'x-mode': 'c' });
    expect(header.status).toBe(400);
    expect(header.body.errors![0]!.path).toBe('x-mode');
  });

  it('refuses at start-up a route whose auth level has no guard', () => {
    const route = routeDeclarer(new Router(), { maxJsonBytes: 1 });
    expect(() => route({ method: 'get', path: '/x', summary: 'x', tags: [], auth: 'staff', responses: { 200: z.object({}) }, handler: () => undefined })).toThrow(/no guard/);
  });
});
