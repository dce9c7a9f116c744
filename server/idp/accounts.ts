/**
 * The demo provider's accounts (DESIGN.md §6): the residents of the demo register (one account
 * each, named first.last), Max Neu who is in no register, and the demo staff users. Every account
 * signs in with DEMO_PASSWORD. Names and dates come from the demo seed, never copied here.
 */
import { demoResidents, demoUsers } from '../../migrations/seeds/demo';
import { sameSecret, sha256 } from '../lib/hash';

export const DEMO_ACR = 'urn:lu:demo:loa:substantial';

export interface CitizenAccount {
  kind: 'citizen';
  username: string;
  sub: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  ahvNumber?: string;
  email: string;
  /** shown on the login page */
  note: string;
}

export interface StaffAccount {
  kind: 'staff';
  username: string;
  sub: string;
  name: string;
  email: string;
  roles: string[];
  groups: string[];
  organisations: string[];
}

export type DemoAccount = CitizenAccount | StaffAccount;

/** A stable, UUID-shaped subject per username: the same after every restart and on every installation. */
export function demoSubject(username: string): string {
  const h = sha256(`lu-demo-idp:${username}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** anna.muster, gabriela.buehler: lower case, umlauts transliterated, other accents dropped. */
export function usernameOf(firstName: string, lastName: string): string {
  const plain = (s: string) =>
    s
      .toLowerCase()
      .replace(/ä/g, 'ae')
      .replace(/ö/g, 'oe')
      .replace(/ü/g, 'ue')
      .normalize('NFD')
      .replace(/[^a-z]/g, '');
  return `${plain(firstName)}.${plain(lastName)}`;
}

const municipalityNames: Record<number, string> = { 1061: 'Luzern', 1024: 'Emmen', 1059: 'Kriens' };

function citizenAccounts(): CitizenAccount[] {
  const residents = demoResidents.map((r): CitizenAccount => {
    const username = usernameOf(r.firstName, r.lastName);
    const remarks = [municipalityNames[r.bfsNumber] ?? `BFS ${r.bfsNumber}`, r.dataLock ? 'Datensperre' : '', r.residenceType === 'secondary' ? 'Nebenwohnsitz' : ''];
    return {
      kind: 'citizen',
      username,
      sub: demoSubject(username),
      givenName: r.firstName,
      familyName: r.lastName,
      birthDate: r.dateOfBirth,
      ...(r.ahvNumber ? { ahvNumber: r.ahvNumber } : {}),
      email: `${username}@example.ch`,
      note: remarks.filter(Boolean).join(', '),
    };
  });
  const maxNeu: CitizenAccount = {
    kind: 'citizen',
    username: 'max.neu',
    sub: demoSubject('max.neu'),
    givenName: 'Max',
    familyName: 'Neu',
    birthDate: '1990-02-02',
    email: 'max.neu@example.ch',
    note: 'in keinem Einwohnerregister',
  };
  return [...residents, maxNeu];
}

function staffAccounts(): StaffAccount[] {
  return demoUsers.map((u) => ({
    kind: 'staff',
    username: u.username,
    sub: demoSubject(u.username),
    name: u.displayName,
    email: `${u.username}@demo.lu.ch`,
    roles: [...u.roles],
    groups: [...u.groups],
    organisations: [...u.organisations],
  }));
}

export const demoAccounts: readonly DemoAccount[] = [...citizenAccounts(), ...staffAccounts()];

const bySub = new Map(demoAccounts.map((a) => [a.sub, a]));
const byUsername = new Map(demoAccounts.map((a) => [a.username, a]));

export const accountBySub = (sub: string): DemoAccount | undefined => bySub.get(sub);

/**
 * Test persons (NODE_ENV=test only, never in demo or production): the workflow tests need many
 * distinct signed-in people, so a username `test-person:<base64url JSON {givenName, familyName,
 * birthDate}>` signs in as that person through the same login page, tokens and sessions.
 */
const TEST_PERSON = /^test-person:([A-Za-z0-9_-]{1,600})$/;

function testPerson(username: string): CitizenAccount | undefined {
  const match = TEST_PERSON.exec(username.trim());
  if (!match) return undefined;
  let p: { givenName?: unknown; familyName?: unknown; birthDate?: unknown; ahvNumber?: unknown };
  try {
    p = JSON.parse(Buffer.from(match[1]!, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const text = (v: unknown) => typeof v === 'string' && v.trim().length > 0 && v.length <= 100;
  if (!p || !text(p.givenName) || !text(p.familyName) || typeof p.birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(p.birthDate)) return undefined;
  const account: CitizenAccount = {
    kind: 'citizen',
    username: username.trim(),
    sub: demoSubject(username.trim()),
    givenName: String(p.givenName),
    familyName: String(p.familyName),
    birthDate: p.birthDate,
    ...(typeof p.ahvNumber === 'string' ? { ahvNumber: p.ahvNumber } : {}),
    email: 'test-person@example.ch',
    note: 'Testperson',
  };
  bySub.set(account.sub, account); // findAccount looks the subject up after the login
  return account;
}

/** The account for a username and password, or undefined; compares the password in constant time. */
export function authenticate(username: string, password: string, demoPassword: string, allowTestPersons = false): DemoAccount | undefined {
  const account = byUsername.get(username.trim().toLowerCase()) ?? (allowTestPersons ? testPerson(username) : undefined);
  return sameSecret(password, demoPassword) ? account : undefined;
}

/** The claims of an account (oidc-provider filters them by the granted scopes and claims). */
export function claimsOf(account: DemoAccount): Record<string, unknown> {
  if (account.kind === 'citizen') {
    return {
      sub: account.sub,
      given_name: account.givenName,
      family_name: account.familyName,
      name: `${account.givenName} ${account.familyName}`,
      birthdate: account.birthDate,
      email: account.email,
      email_verified: false,
      ...(account.ahvNumber ? { ahvn13: account.ahvNumber } : {}),
    };
  }
  return {
    sub: account.sub,
    preferred_username: account.username,
    name: account.name,
    email: account.email,
    email_verified: true,
    roles: account.roles,
    groups: account.groups,
    organisations: account.organisations,
  };
}
