/**
 * Hostile input across the whole API (issue 15): every route the OpenAPI document lists, called
 * as anonymous, signed-in citizen and staff with generated bad query parameters (sort, range,
 * filter, NUL, huge numbers), bodies, headers, methods and path parameters. The answer must never
 * be a 5xx. The generator is fast-check with a fixed seed, so a failure replays.
 */
import http from 'node:http';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { baseUrl, call, login } from './client';
import { testPersonSession } from './test-persons';

const REQUESTS_PER_CALLER = 1800;
const CONCURRENCY = 6;

interface Operation {
  method: string;
  path: string;
}

const nasty = [
  'constructor',
  '__proto__',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '\u0000',
  'a\u0000b',
  '%00',
  '../../etc/passwd',
  "' OR 1=1 --",
  '\ud83d',
  '\u202e',
  'Ä'.repeat(300),
  'x'.repeat(5000),
  '',
  ' ',
  '-1',
  '0',
  '1e309',
  '9223372036854775808',
  '18446744073709551616',
  'NaN',
  'null',
  '[]',
  '{}',
  'true',
];
const nastyNumbers = [-1, 0, 1.5, 2 ** 53, 2 ** 63, 2 ** 64, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 63 - 1];

const textArb = fc.oneof(fc.constantFrom(...nasty), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
const numberArb = fc.oneof(fc.constantFrom(...nastyNumbers), fc.integer(), fc.double());
const jsonArb = fc.oneof(
  { depthSize: 'small' },
  textArb,
  numberArb,
  fc.constant(null),
  fc.boolean(),
  fc.array(fc.oneof(textArb, numberArb), { maxLength: 4 }),
  fc.dictionary(fc.oneof(textArb, fc.constantFrom('variables', 'assignee', 'message', 'data', 'applicant', 'municipality', 'username', 'password')), fc.oneof(textArb, numberArb, fc.constant(null)), {
    maxKeys: 5,
  }),
);

/** A query parameter value for react-admin lists and the routes' own parameters. */
const queryArb = fc.oneof(
  fc.record({
    name: fc.constant('sort'),
    value: fc.oneof(
      fc.tuple(textArb, fc.constantFrom('ASC', 'DESC', 'x')).map((v) => JSON.stringify(v)),
      textArb,
    ),
  }),
  fc.record({
    name: fc.constant('range'),
    value: fc.oneof(
      fc.tuple(numberArb, numberArb).map((v) => JSON.stringify(v)),
      fc.constantFrom('[0,9223372036854775808]', '[18446744073709551616,1]', '[1e400,2]', '[-5,3]', '[3,1]', '[0]'),
      textArb,
    ),
  }),
  fc.record({
    name: fc.constant('filter'),
    value: fc.oneof(
      fc
        .dictionary(fc.constantFrom('q', 'state', 'assignee', 'status', 'serviceKey', 'municipality', 'caseReference', 'candidateGroups', 'dueBefore', '__proto__', 'constructor'), jsonArb, {
          maxKeys: 3,
        })
        .map((v) => JSON.stringify(v)),
      textArb,
    ),
  }),
  fc.record({ name: fc.constantFrom('q', 'state', 'returnTo', 'code', 'reference', 'format', 'lang', 'page'), value: textArb }),
);

const headerArb = fc.oneof(
  fc.record({
    name: fc.constant('content-type'),
    value: fc.constantFrom(
      'application/json',
      'application/json; charset=latin1',
      'text/plain',
      'multipart/form-data',
      'multipart/form-data; boundary=x',
      'application/x-www-form-urlencoded',
      '',
      '*/*',
    ),
  }),
  fc.record({
    name: fc.constantFrom('idempotency-key', 'x-csrf-token', 'if-none-match', 'accept', 'accept-language', 'x-forwarded-for', 'range'),
    value: fc.constantFrom('x', 'bytes=0-9223372036854775808', '*/*', 'de;q=x', 'x'.repeat(300), '%00', '..', '1.2.3.4, ::1'),
  }),
  fc.record({ name: fc.constant('authorization'), value: fc.constantFrom('Bearer x', 'Bearer ', 'Basic YTpi', 'Bearer ' + 'x'.repeat(2000)) }),
);

const bodyArb = fc.oneof(
  jsonArb.map((v) => JSON.stringify(v)),
  fc.constantFrom(
    '{',
    '[[[[',
    '{"__proto__":{"admin":true}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '{"variables":{"__proto__":{"a":1}}}',
    '{"a":"\\u0000"}',
    '"\\u0000"',
    '{"\\u0000":1}',
    '['.repeat(5000),
    '{"q":"a\\u0000b"}',
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const requestArb = (operations: Operation[]) =>
  fc.record({
    operation: fc.constantFrom(...operations),
    method: fc.oneof({ weight: 6, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('TRACE', 'PROPFIND', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD', 'POST', 'GET') }),
    params: fc.array(fc.oneof(textArb, fc.constantFrom('LU-2026-000001', '1', '2251799813685249', '99999999999999999999')), { minLength: 4, maxLength: 4 }),
    query: fc.array(queryArb, { maxLength: 3 }),
    headers: fc.array(headerArb, { maxLength: 2 }),
    body: fc.option(bodyArb, { nil: undefined }),
    pathTwist: fc.constantFrom('', '', '', '', '/', '/..', '%2e%2e/', '//x'),
  });

interface Sent {
  method: string;
  url: string;
  status: number;
}

function operationsOf(doc: { paths: Record<string, Record<string, unknown>> }): Operation[] {
  return Object.entries(doc.paths).flatMap(([p, item]) =>
    Object.keys(item)
      .filter((m) => ['get', 'post', 'put', 'delete', 'patch'].includes(m))
      .map((m) => ({ method: m.toUpperCase(), path: p })),
  );
}

function buildRequest(r: {
  operation: Operation;
  method: string;
  params: string[];
  query: Array<{ name: string; value: string }>;
  headers: Array<{ name: string; value: string }>;
  body?: string;
  pathTwist: string;
}) {
  let i = 0;
  const path = r.operation.path.replace(/\{[^}]+\}/g, () => percentEncoded(r.params[i++ % r.params.length]!)) + r.pathTwist;
  const query = r.query.map((q) => `${percentEncoded(q.name)}=${percentEncoded(q.value)}`).join('&');
  const method = r.method || r.operation.method;
  const headers: Record<string, string> = {};
  for (const h of r.headers) headers[h.name] = h.value;
  if (r.body !== undefined && !('content-type' in headers)) headers['content-type'] = 'application/json';
  return { method, url: `${path}${query ? `?${query}` : ''}`, headers, body: ['GET', 'HEAD'].includes(method) ? undefined : r.body };
}

/** Every UTF-8 byte percent-encoded (lone surrogates become U+FFFD, as a browser would send them). */
const percentEncoded = (text: string): string => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

/**
 * node:http rather than fetch: fetch refuses methods such as TRACE. A connection the server closes
 * without an answer resolves as status 0, no answer within 30 s as -1, so the report names the
 * request instead of aborting or hanging.
 */
function send(req: ReturnType<typeof buildRequest>, auth: Record<string, string>): Promise<number> {
  // headers Node refuses to send (control characters) are a client-side error, not a request
  const headers = Object.fromEntries(Object.entries({ ...req.headers, ...auth }).filter(([, v]) => [...v].every((c) => c >= ' ' && c <= '~')));
  return new Promise((resolve) => {
    const request = http.request(`${baseUrl()}${req.url}`, { method: req.method, headers }, (res) => {
      // a live event stream (the inbox's server-sent events) never ends by itself: its status is the answer
      if (res.headers['content-type']?.startsWith('text/event-stream')) {
        resolve(res.statusCode!);
        res.destroy();
        return;
      }
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
      res.on('error', () => resolve(0));
    });
    // an answer that never comes would otherwise hang the run until the test's timeout
    request.setTimeout(30_000, () => {
      resolve(-1);
      request.destroy();
    });
    request.on('error', () => resolve(0));
    request.end(req.body);
  });
}

describe('hostile input on every route of the OpenAPI document', () => {
  it(`answers ${3 * REQUESTS_PER_CALLER} generated requests as anonymous, citizen and staff without a 5xx`, { timeout: 900_000 }, async () => {
    const doc = (await call('GET', '/api/openapi.json')).body;
    // logging out would end the staff and citizen sessions the rest of the run uses
    const operations = operationsOf(doc).filter((o) => !o.path.endsWith('/auth/logout'));
    expect(operations.length).toBeGreaterThan(40);
    const staff = await login('admin');
    const citizen = await testPersonSession({ givenName: 'Hostile', familyName: 'Openapi', birthDate: '1980-01-01' });
    const callers: Array<[string, Record<string, string>]> = [
      ['anonymous', {}],
      ['citizen', { cookie: citizen.cookie, 'x-csrf-token': citizen.csrfToken }],
      ['staff', { authorization: `Bearer ${staff}` }],
    ];
    const failures: Sent[] = [];
    const statuses = new Map<number, number>();
    const routesHit = new Set<string>();
    let sent = 0;
    const startedAt = performance.now();
    for (const [name, auth] of callers) {
      const generated = fc.sample(requestArb(operations), { numRuns: REQUESTS_PER_CALLER, seed: 20261202 + name.length });
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < generated.length) {
            const r = generated[next++]!;
            const req = buildRequest(r as Parameters<typeof buildRequest>[0]);
            const status = await send(req, auth);
            sent += 1;
            routesHit.add(`${r.operation.method} ${r.operation.path}`);
            statuses.set(status, (statuses.get(status) ?? 0) + 1);
            if (status >= 500 || status <= 0) failures.push({ method: req.method, url: `${name} ${req.url} ${JSON.stringify(req.headers)} ${String(req.body ?? '').slice(0, 120)}`, status });
          }
        }),
      );
    }
    console.log(
      `hostile OpenAPI run: ${sent} requests in ${((performance.now() - startedAt) / 1000).toFixed(0)} s over ${routesHit.size} of ${operations.length} operations; status counts`,
      Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
    );
    if (failures.length > 0) console.log('5xx answers and connections closed without an answer (status 0) or no answer within 30 s (-1)', failures.slice(0, 40));
    expect(sent).toBeGreaterThanOrEqual(5000);
    expect(routesHit.size).toBe(operations.length);
    expect(failures).toEqual([]);
  });
});
