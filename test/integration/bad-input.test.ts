/** The edge: bad input gets a clear problem+json answer and stores nothing. */
import { describe, expect, it } from 'vitest';
import { annaMuster, applicant, call, login, submit, submitTo, caseCount } from './client';

const OPEN_SERVICE = 'fristerstreckung-steuern';

describe('submission errors', () => {
  it('400 for malformed JSON, 415 for another content type, 404 for an unknown service, 413 when too large', async () => {
    const before = await caseCount();
    const malformed = await call('POST', '/api/v1/services/wohnsitzbestaetigung/submissions', { body: '{"municipality": 1061,', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toContain('application/problem+json');
    expect(malformed.body).toMatchObject({ status: 400, title: 'Bad Request' });

    const text = await call('POST', '/api/v1/services/wohnsitzbestaetigung/submissions', { body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);

    const unknown = await call('POST', '/api/v1/services/gibt-es-nicht/submissions', { json: { municipality: 1061, applicant: applicant(), data: {} } });
    expect(unknown.status).toBe(404);

    const huge = await submit({ municipality: 1061, applicant: applicant(), data: { purpose: 'x'.repeat(2_000_000) } });
    expect(huge.status).toBe(413);
    expect(await caseCount()).toBe(before);
  });

  it('422 with field paths for an unknown municipality, missing and invalid fields', async () => {
    const before = await caseCount();
    const unknownMunicipality = await submit({ municipality: 261, applicant: applicant(), data: {} });
    expect(unknownMunicipality.status).toBe(422);
    expect(unknownMunicipality.body.errors).toEqual([expect.objectContaining({ path: 'municipality' })]);

    const invalid = await submit({
      municipality: 1061,
      applicant: { ...applicant(), email: 'keine-adresse', dateOfBirth: '2999-01-01', address: { street: 'X', houseNumber: '1', postalCode: '99', town: 'Y' } },
      data: { copies: 9, unexpected: true },
    });
    expect(invalid.status).toBe(422);
    const paths = invalid.body.errors.map((e: { path: string }) => e.path).sort();
    expect(paths).toEqual(['applicant.address.postalCode', 'applicant.dateOfBirth', 'applicant.email', 'data.copies', 'data.unexpected']);

    // bodies that name nobody: checked on a service open to anonymous callers (fristerstreckung-steuern);
    // a service that needs sign-in answers 401 before looking at the body (identity.test.ts)
    const missing = await submitTo(OPEN_SERVICE, { municipality: 1061 });
    expect(missing.status).toBe(422);
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toContain('applicant');

    const wrongTypes = await submitTo(OPEN_SERVICE, { municipality: '1061', applicant: 'Anna', data: [] });
    expect(wrongTypes.status).toBe(422);
    const notObject = await submitTo(OPEN_SERVICE, [1, 2, 3]);
    expect(notObject.status).toBe(422);
    expect(await caseCount()).toBe(before);
  });

  it('replays the first response for the same Idempotency-Key and refuses a different body with 409', async () => {
    const key = `it-${Date.now()}`;
    const body = { municipality: 1061, applicant: annaMuster(), data: { copies: 1 } };
    const first = await submit(body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    const before = await caseCount();
    const again = await submit(body, { 'Idempotency-Key': key });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const other = await submit({ ...body, data: { copies: 2 } }, { 'Idempotency-Key': key });
    expect(other.status).toBe(409);
    expect(await caseCount()).toBe(before);
  });

  it('never reveals whether a reference exists: wrong or missing token answers 404', async () => {
    const res = await submit({ municipality: 1061, applicant: applicant(), data: {} });
    expect((await call('GET', `/api/v1/submissions/${res.body.reference}`)).status).toBe(404);
    expect((await call('GET', `/api/v1/submissions/${res.body.reference}`, { token: 'x'.repeat(43) })).status).toBe(404);
    expect((await call('GET', '/api/v1/submissions/LU-2000-000001', { token: res.body.accessToken })).status).toBe(404);
    expect((await call('GET', `/api/v1/submissions/${res.body.reference}`, { token: res.body.accessToken })).status).toBe(200);
  });
});

describe('catalogue and health', () => {
  it('lists the service with its start form and the 79 municipalities', async () => {
    const services = await call('GET', '/api/v1/services');
    expect(services.body).toContainEqual(expect.objectContaining({ key: 'wohnsitzbestaetigung', name: 'Wohnsitzbestätigung', authority: 'municipality' }));
    const one = await call('GET', '/api/v1/services/wohnsitzbestaetigung');
    expect(one.body.form.components.map((c: { key?: string }) => c.key)).toEqual(expect.arrayContaining(['purpose', 'copies']));
    expect((await call('GET', '/api/v1/services/nope')).status).toBe(404);
    const municipalities = await call('GET', '/api/v1/municipalities');
    expect(municipalities.body).toHaveLength(79);
    expect(municipalities.body).toContainEqual(expect.objectContaining({ bfsNumber: 1061, name: 'Luzern' }));
  });

  it('describes the API as OpenAPI 3.1, generated from the validating schemas and the start forms', async () => {
    const doc = await call('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    const submission = doc.body.paths['/api/v1/services/wohnsitzbestaetigung/submissions'].post;
    const schema = submission.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['municipality', 'applicant']));
    expect(schema.properties.applicant.properties.address.properties.postalCode.pattern).toBe('^[1-9]\\d{3}$');
    expect(schema.properties.data.properties.copies).toMatchObject({ type: 'integer', minimum: 1, maximum: 5 });
    expect(schema.properties.data.additionalProperties).toBe(false);
    expect(Object.keys(submission.responses)).toEqual(expect.arrayContaining(['201', '400', '409', '413', '415', '422', '429']));
    // the completion body as the route validates it: an object of variables, nothing else
    expect(doc.body.paths['/api/tasks/{id}/complete'].post.requestBody).toMatchObject({
      required: true,
      content: { 'application/json': { schema: { type: 'object', properties: { variables: { type: 'object' } }, additionalProperties: false } } },
    });
  });

  it('reports health and readiness', async () => {
    expect((await call('GET', '/api/health')).status).toBe(200);
    const ready = await call('GET', '/api/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ database: true, engine: true });
  });

  it('answers bad list parameters with 400, not 500', async () => {
    const admin = await login('admin');
    expect((await call('GET', '/api/tasks?range=[0', { token: admin })).status).toBe(400);
    expect((await call('GET', '/api/tasks?sort=["createdAt","UP"]', { token: admin })).status).toBe(400);
    expect((await call('GET', '/api/tasks?filter={"state":"weird"}', { token: admin })).status).toBe(400);
  });
});
