/**
 * Signed-in test persons for the workflow tests. Since services declare identity levels
 * (DESIGN.md §6), a `login`/`verified` service takes the applicant's names and birth date from a
 * real sign-in. The workflow tests need many distinct people (unique names for searches, people
 * unknown to the register for the human path), so in NODE_ENV=test only the demo provider also
 * signs in a "test person" whose username carries the person (`test-person:<base64url JSON>`).
 * The flow is the real one: redirects, login page, signed tokens, session cookie.
 */
import { call, type Reply } from './client';
import { signInCitizen, type CitizenSession } from './oidc';

export interface TestPerson {
  givenName: string;
  familyName: string;
  birthDate: string;
  ahvNumber?: string;
}

export const testPersonUsername = (p: TestPerson): string => `test-person:${Buffer.from(JSON.stringify(p)).toString('base64url')}`;

const sessions = new Map<string, Promise<CitizenSession>>();

/** A session of the test person (one sign-in per person and test file). */
export function testPersonSession(p: TestPerson): Promise<CitizenSession> {
  const username = testPersonUsername(p);
  let session = sessions.get(username);
  if (!session) {
    session = signInCitizen(username);
    sessions.set(username, session);
    session.catch(() => sessions.delete(username));
  }
  return session;
}

const isPastIsoDate = (s: unknown): s is string => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && s < new Date().toISOString().slice(0, 10) && !Number.isNaN(Date.parse(s));

/**
 * The person a submission body names, as a test person: names as given; a birth date that is no
 * valid past date becomes 1990-05-17, so the body's own date still fails validation as before.
 * Undefined when the body names nobody (then the submission goes out anonymously).
 */
export function personOf(body: unknown): TestPerson | undefined {
  const a = (body as { applicant?: Record<string, unknown> } | null)?.applicant;
  if (!a || typeof a !== 'object' || typeof a.firstName !== 'string' || typeof a.lastName !== 'string' || !a.firstName.trim() || !a.lastName.trim()) return undefined;
  return { givenName: a.firstName.trim(), familyName: a.lastName.trim(), birthDate: isPastIsoDate(a.dateOfBirth) ? a.dateOfBirth : '1990-05-17' };
}

const identityLevels = new Map<string, Promise<string>>();

/** service.identity of a service, from the public catalogue (cached). */
export function identityLevelOf(serviceKey: string): Promise<string> {
  let level = identityLevels.get(serviceKey);
  if (!level) {
    level = call('GET', `/api/v1/services/${serviceKey}`).then((r) => String(r.body?.identity ?? 'none'));
    identityLevels.set(serviceKey, level);
  }
  return level;
}

/** POSTs a submission: as the signed-in person the body names where the service requires sign-in, else anonymously. */
export async function submitAsApplicant(serviceKey: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const path = `/api/v1/services/${serviceKey}/submissions`;
  const person = (await identityLevelOf(serviceKey)) === 'none' ? undefined : personOf(body);
  if (!person) return call('POST', path, { json: body, headers });
  return (await testPersonSession(person)).call('POST', path, { json: body, headers });
}
