/**
 * The demo provider's accounts (DESIGN.md §6): the residents of the demo register (one account
 * each, named first.last), Max Neu who is in no register, and the staff. Citizens sign in with
 * DEMO_PASSWORD. Names and dates come from the demo seed, never copied here.
 *
 * Staff (issue 17, item 3): the provider stands in for the canton's directory, which in the demo
 * is the back office's own users table (`StaffDirectory`, same process): a user an administrator
 * creates in the back office signs in here with the password set there, and the claims (roles,
 * groups, organisations) are that user's. The demo staff users also take DEMO_PASSWORD, and a few
 * accounts exist only here (`providerOnlyStaff`), so the first single sign-on provisions them.
 * The provider does not know the back office's `active` flag: the back office refuses a
 * deactivated user after the provider vouched for them, as it would with a real directory.
 */
import { verify } from '@node-rs/argon2';
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
  email: string | null;
  roles: string[];
  groups: string[];
  organisations: string[];
}

/** A staff user of the back office's users table, as the demo provider reads it. */
export interface StaffDirectoryEntry {
  username: string;
  displayName: string;
  email: string | null;
  roles: string[];
  groups: string[];
  organisations: string[];
  passwordHash: string;
}

export interface StaffDirectory {
  find(username: string): Promise<StaffDirectoryEntry | undefined>;
}

/** Staff accounts only the provider knows: their first single sign-on creates them in the back office. */
const providerOnlyStaff = [
  { username: 'kriens.einwohnerdienste', displayName: 'Petra Küng (Einwohnerdienste Kriens)', roles: ['clerk'], groups: ['einwohnerdienste'], organisations: ['municipality:1059'] },
];

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
  return [...demoUsers, ...providerOnlyStaff].map((u) => ({
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

/**
 * Test staff (NODE_ENV=test only): `test-staff:<base64url JSON {username, name?, email?, roles,
 * groups?, organisations?}>` signs in as a staff member with exactly these claims, so the single
 * sign-on tests can present unknown roles and organisations, or changed roles on a later sign-in.
 * The subject is that of the username, as for every staff account.
 */
const TEST_STAFF = /^test-staff:([A-Za-z0-9_-]{1,1200})$/;

function testStaff(username: string): StaffAccount | undefined {
  const match = TEST_STAFF.exec(username.trim());
  if (!match) return undefined;
  let p: { username?: unknown; name?: unknown; email?: unknown; roles?: unknown; groups?: unknown; organisations?: unknown };
  try {
    p = JSON.parse(Buffer.from(match[1]!, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const texts = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  if (!p || typeof p.username !== 'string' || !p.username) return undefined;
  const account: StaffAccount = {
    kind: 'staff',
    username: p.username,
    sub: demoSubject(p.username),
    name: typeof p.name === 'string' ? p.name : p.username,
    email: typeof p.email === 'string' ? p.email : null,
    roles: texts(p.roles),
    groups: texts(p.groups),
    organisations: texts(p.organisations),
  };
  bySub.set(account.sub, account);
  return account;
}

/**
 * The account for a username and password, or undefined. Citizens and the provider's own staff
 * accounts take DEMO_PASSWORD (compared in constant time); a staff user of the back office's
 * users table also the password set there (argon2id), and then carries that user's claims.
 */
export async function authenticate(username: string, password: string, demoPassword: string, directory: StaffDirectory, allowTestPersons = false): Promise<DemoAccount | undefined> {
  const demoPasswordGiven = sameSecret(password, demoPassword);
  if (allowTestPersons) {
    const test = testPerson(username) ?? testStaff(username);
    if (test) return demoPasswordGiven ? test : undefined;
  }
  const name = username.trim().toLowerCase();
  const fixed = byUsername.get(name);
  if (fixed?.kind === 'citizen') return demoPasswordGiven ? fixed : undefined;
  const entry = /^[a-z0-9][a-z0-9._-]{2,99}$/.test(name) ? await directory.find(name) : undefined;
  if (!entry) return demoPasswordGiven ? fixed : undefined;
  const ok = (fixed !== undefined && demoPasswordGiven) || (await verify(entry.passwordHash, password).catch(() => false));
  if (!ok) return undefined;
  const account: StaffAccount = {
    kind: 'staff',
    username: entry.username,
    sub: demoSubject(entry.username),
    name: entry.displayName,
    email: entry.email,
    roles: [...entry.roles],
    groups: [...entry.groups],
    organisations: [...entry.organisations],
  };
  bySub.set(account.sub, account); // findAccount looks the subject up after the login
  return account;
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
    ...(account.email ? { email: account.email, email_verified: true } : {}),
    roles: account.roles,
    groups: account.groups,
    organisations: account.organisations,
  };
}
