/**
 * Administration (issue 17): as `admin`, create an organisation admin for Kriens, who creates a
 * clerk with an initial password; the clerk must change it, then signs in and completes a Kriens
 * task. Organisation admins stay within their organisations; usernames and e-mails are unique;
 * the last admin cannot lock the administration out; every change is in the audit trail.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { applicant, call, claimAndComplete, dogData, login, submitTo, waitForNamedTask, waitForStatus } from './client';
import { openTestDatabase } from './server-process';

const KRIENS = 'municipality:1059';
const LUZERN = 'municipality:1061';
const run = Date.now().toString(36);
const name = (base: string) => `${base}.${run}`;

let admin: string;

async function createUser(token: string, body: Record<string, unknown>) {
  return call('POST', '/api/admin/users', { token, json: body });
}

const kriensClerk = (username: string, extra: Record<string, unknown> = {}) => ({
  username,
  displayName: `Test ${username}`,
  email: `${username}@kriens.example.ch`,
  roles: ['clerk'],
  groups: ['einwohnerdienste'],
  organisations: [KRIENS],
  initialPassword: 'Start-Passwort-1',
  ...extra,
});

async function auditOf(token: string, entityId: string) {
  const res = await call('GET', `/api/admin/audit-events?filter=${encodeURIComponent(JSON.stringify({ entityId }))}&sort=${encodeURIComponent('["at","ASC"]')}`, { token });
  expect(res.status).toBe(200);
  return res.body as Array<{ action: string; actor: string; before: any; after: any; at: string }>;
}

describe('administration: organisation admins, clerks, initial passwords, audit', () => {
  let orgAdmin: string;
  const orgAdminName = name('kriens.admin');
  const clerkName = name('kriens.clerk');

  beforeAll(async () => {
    admin = await login('admin');
  });

  it('admin creates an organisation admin for Kriens, who creates a clerk; the clerk changes the initial password and completes a Kriens task', async () => {
    const kriens = await call('GET', `/api/admin/organisations/${encodeURIComponent(KRIENS)}`, { token: admin });
    expect(kriens.status).toBe(200);
    expect(kriens.body).toMatchObject({ id: KRIENS, kind: 'municipality', name: 'Stadt Kriens', inboxGroups: ['einwohnerdienste'] });

    const created = await createUser(admin, { ...kriensClerk(orgAdminName), roles: ['org_admin'], groups: [] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ username: orgAdminName, roles: ['org_admin'], organisations: [KRIENS], active: true, mustChangePassword: true });
    expect(created.body).not.toHaveProperty('passwordHash');

    // the initial password opens only the password change
    const refused = await call('POST', '/api/auth/login', { json: { username: orgAdminName, password: 'Start-Passwort-1' } });
    expect(refused.status).toBe(403);
    expect(refused.body.errors).toEqual([{ path: 'newPassword', message: expect.any(String) }]);
    const tooShort = await call('POST', '/api/auth/password', { json: { username: orgAdminName, password: 'Start-Passwort-1', newPassword: 'kurz' } });
    expect(tooShort.status).toBe(422);
    expect(tooShort.body.errors[0].path).toBe('newPassword');
    const wrongOld = await call('POST', '/api/auth/password', { json: { username: orgAdminName, password: 'falsch-falsch', newPassword: 'Mein-Eigenes-1' } });
    expect(wrongOld.status).toBe(401);
    const changed = await call('POST', '/api/auth/password', { json: { username: orgAdminName, password: 'Start-Passwort-1', newPassword: 'Mein-Eigenes-1' } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.user).toMatchObject({ username: orgAdminName, mustChangePassword: false });
    orgAdmin = await login(orgAdminName, 'Mein-Eigenes-1');

    // the organisation admin sees only Kriens and its users, and creates a clerk there
    const orgs = await call('GET', '/api/admin/organisations', { token: orgAdmin });
    expect(orgs.body.map((o: { id: string }) => o.id)).toEqual([KRIENS]);
    const clerkCreated = await createUser(orgAdmin, kriensClerk(clerkName));
    expect(clerkCreated.status, JSON.stringify(clerkCreated.body)).toBe(201);
    const users = await call('GET', '/api/admin/users?range=[0,999]', { token: orgAdmin });
    expect(users.status).toBe(200);
    const names = users.body.map((u: { username: string }) => u.username);
    expect(names).toEqual(expect.arrayContaining([orgAdminName, clerkName]));
    expect(names).not.toContain('luzern.einwohnerdienste');
    expect(names).not.toContain('admin');

    // the clerk changes the initial password, then works on a Kriens case
    expect((await call('POST', '/api/auth/login', { json: { username: clerkName, password: 'Start-Passwort-1' } })).status).toBe(403);
    expect((await call('POST', '/api/auth/password', { json: { username: clerkName, password: 'Start-Passwort-1', newPassword: 'Klerk-Passwort-2' } })).status).toBe(200);
    const clerk = await login(clerkName, 'Klerk-Passwort-2');
    const submitted = await submitTo('hundeanmeldung', {
      municipality: 1059,
      applicant: applicant({ address: { street: 'Schachenstrasse', houseNumber: '5', postalCode: '6010', town: 'Kriens' } }),
      data: dogData({ dogCategory: 'guide', exemptionRequested: true, exemptionReason: 'Blindenführhund' }),
    });
    expect(submitted.status, JSON.stringify(submitted.body)).toBe(201);
    const task = await waitForNamedTask(clerk, submitted.body.reference, 'Steuerbefreiung prüfen');
    expect(task).toMatchObject({ organisationId: KRIENS, municipality: 1059 });
    // a Luzern clerk does not see it
    expect((await call('GET', `/api/tasks/${task.id}`, { token: await login('luzern.einwohnerdienste') })).status).toBe(404);
    // refused, so the case closes without a second person's release (an approval needs one: four-eyes)
    const done = await claimAndComplete(clerk, task.id, { exemptionApproved: false, decisionReason: 'Kein Ausweis der Blindenführhundeschule vorgelegt' });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.completedBy).toBe(clerkName);
    await waitForStatus(submitted.body.reference, submitted.body.accessToken, 'completed');
  });

  it('refuses an organisation admin on another organisation, on admins and beyond their own roles and organisations', async () => {
    const luzernClerk = (await call('GET', `/api/admin/users?filter=${encodeURIComponent(JSON.stringify({ q: 'luzern.einwohnerdienste' }))}`, { token: admin })).body[0];
    expect(luzernClerk.username).toBe('luzern.einwohnerdienste');
    // another organisation's user: not found (read and change)
    expect((await call('GET', `/api/admin/users/${luzernClerk.id}`, { token: orgAdmin })).status).toBe(404);
    const { id: _id, username: _u, mustChangePassword: _m, ...luzernBody } = luzernClerk;
    const change = await call('PUT', `/api/admin/users/${luzernClerk.id}`, { token: orgAdmin, json: { ...luzernBody, active: false } });
    expect(change.status).toBe(404);
    expect((await call('POST', `/api/admin/users/${luzernClerk.id}/password`, { token: orgAdmin, json: { initialPassword: 'Geklaut-Passwort-1' } })).status).toBe(404);
    // granting admin or another organisation: 403 naming the field; nothing is written
    const asAdmin = await createUser(orgAdmin, kriensClerk(name('kriens.boss'), { roles: ['admin'] }));
    expect(asAdmin.status).toBe(403);
    expect(asAdmin.body.errors).toEqual([{ path: 'roles', message: expect.stringContaining('admin') }]);
    const inLuzern = await createUser(orgAdmin, kriensClerk(name('kriens.luzern'), { organisations: [KRIENS, LUZERN] }));
    expect(inLuzern.status).toBe(403);
    expect(inLuzern.body.errors).toEqual([{ path: 'organisations.1', message: expect.stringContaining(LUZERN) }]);
    const processOwner = await createUser(orgAdmin, kriensClerk(name('kriens.po'), { roles: ['process_owner'] }));
    expect(processOwner.status).toBe(403);
    const list = await call('GET', `/api/admin/users?filter=${encodeURIComponent(JSON.stringify({ q: run }))}&range=[0,99]`, { token: admin });
    expect(list.body.map((u: { username: string }) => u.username).sort()).toEqual([clerkName, orgAdminName].sort());
    // organisations: admins only
    expect((await call('POST', '/api/admin/organisations', { token: orgAdmin, json: { kind: 'canton', key: 'test-amt', name: 'Testamt', inboxGroups: [] } })).status).toBe(403);
    expect((await call('PUT', `/api/admin/organisations/${encodeURIComponent(KRIENS)}`, { token: orgAdmin, json: { name: 'Kriens', inboxGroups: [] } })).status).toBe(403);
    // a clerk is no administrator; a process owner neither
    expect((await call('GET', '/api/admin/users', { token: await login('luzern.einwohnerdienste') })).status).toBe(403);
    expect((await call('GET', '/api/admin/users', { token: await login('prozess.owner') })).status).toBe(403);
  });

  it('keeps usernames and e-mails unique and validates strictly, with field paths', async () => {
    const dupName = await createUser(admin, kriensClerk(clerkName, { email: `${run}.other@kriens.example.ch` }));
    expect(dupName.status).toBe(409);
    expect(dupName.headers.get('content-type')).toContain('application/problem+json');
    expect(dupName.body.errors).toEqual([{ path: 'username', message: 'bereits vergeben' }]);
    const dupMail = await createUser(admin, kriensClerk(name('kriens.mail'), { email: `${clerkName.toUpperCase()}@kriens.example.ch` }));
    expect(dupMail.status).toBe(409);
    expect(dupMail.body.errors).toEqual([{ path: 'email', message: 'bereits vergeben' }]);

    const bad = await createUser(admin, {
      ...kriensClerk('X'),
      email: 'keine-adresse',
      roles: ['chef'],
      groups: ['Einwohner Dienste'],
      organisations: ['municipality:abc'],
      initialPassword: 'kurz',
      extra: true,
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['(body)', 'email', 'groups.0', 'initialPassword', 'organisations.0', 'roles.0', 'username'].sort());
    // well-formed but wrong: an unknown organisation, a group that is no inbox group there, a clerk without organisation
    const unknown = await createUser(admin, kriensClerk(name('kriens.x'), { organisations: ['municipality:9999'], groups: ['steuern'] }));
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors.map((e: { path: string }) => e.path)).toEqual(['organisations.0', 'groups.0']);
    const noOrg = await createUser(admin, kriensClerk(name('kriens.y'), { organisations: [], groups: [] }));
    expect(noOrg.status).toBe(422);
    expect(noOrg.body.errors).toEqual([{ path: 'organisations', message: expect.any(String) }]);
    // the username cannot be changed
    const clerk = (await call('GET', `/api/admin/users?filter=${encodeURIComponent(JSON.stringify({ q: clerkName }))}`, { token: admin })).body[0];
    const rename = await call('PUT', `/api/admin/users/${clerk.id}`, {
      token: admin,
      json: { username: 'neu', displayName: 'x', email: null, roles: ['clerk'], groups: [], organisations: [KRIENS], active: true },
    });
    expect(rename.status).toBe(422);
    expect(rename.body.errors).toEqual([{ path: '(body)', message: expect.stringContaining('username') }]);
    // bad list parameters and ids
    expect((await call('GET', '/api/admin/users?filter={"role":"chef"}', { token: admin })).status).toBe(400);
    expect((await call('GET', '/api/admin/users/0', { token: admin })).status).toBe(422);
    expect((await call('GET', '/api/admin/users/999999', { token: admin })).status).toBe(404);
    expect((await call('GET', '/api/admin/organisations/gemeinde', { token: admin })).status).toBe(422);
    expect((await call('POST', '/api/admin/users', { token: admin, body: '{', headers: { 'content-type': 'application/json' } })).status).toBe(400);
  });

  it('lets nobody lock the administration out: no self-deactivation, the last admin keeps the role, also when two admins remove each other at once', async () => {
    const me = (await call('GET', '/api/auth/me', { token: admin })).body.user;
    const self = { displayName: me.displayName, email: me.email, roles: me.roles, groups: me.groups, organisations: me.organisations };
    const deactivate = await call('PUT', `/api/admin/users/${me.id}`, { token: admin, json: { ...self, active: false } });
    expect(deactivate.status).toBe(409);
    expect(deactivate.body.errors).toEqual([{ path: 'active', message: expect.any(String) }]);
    const demote = await call('PUT', `/api/admin/users/${me.id}`, { token: admin, json: { ...self, roles: ['clerk'], organisations: [KRIENS], active: true } });
    expect(demote.status).toBe(409);

    // a second admin and the seeded one deactivate each other at the same moment: exactly one
    // succeeds (the admin rows are locked for the check), so an active admin always remains
    const second = name('admin.zwei');
    const res = await createUser(admin, { username: second, displayName: second, email: null, roles: ['admin'], groups: [], organisations: [], initialPassword: 'Start-Passwort-1' });
    expect(res.status).toBe(201);
    expect((await call('POST', '/api/auth/password', { json: { username: second, password: 'Start-Passwort-1', newPassword: 'Admin-Passwort-9' } })).status).toBe(200);
    const secondToken = await login(second, 'Admin-Passwort-9');
    const db = await openTestDatabase(inject('dataDir'));
    try {
      const [bySeeded, bySecond] = await Promise.all([
        call('PUT', `/api/admin/users/${res.body.id}`, { token: admin, json: { displayName: second, email: null, roles: ['admin'], groups: [], organisations: [], active: false } }),
        call('PUT', `/api/admin/users/${me.id}`, { token: secondToken, json: { ...self, active: false } }),
      ]);
      console.log(`mutual deactivation of the last two admins: ${bySeeded.status} and ${bySecond.status}`);
      // the loser is refused: 409 (the check saw the other one gone) or 401 (their session ended with the deactivation first)
      expect([bySeeded.status, bySecond.status].filter((s) => s === 200)).toHaveLength(1);
      expect([401, 409]).toContain(bySeeded.status === 200 ? bySecond.status : bySeeded.status);
      const survivor = bySeeded.status === 200 ? admin : secondToken;
      const deactivated = bySeeded.status === 200 ? secondToken : admin;
      // the deactivated admin's session has ended; the survivor puts things back as they were
      expect((await call('GET', '/api/auth/me', { token: deactivated })).status).toBe(401);
      if (bySecond.status === 200) {
        expect((await call('PUT', `/api/admin/users/${me.id}`, { token: survivor, json: { ...self, active: true } })).status).toBe(200);
        admin = await login('admin');
        expect(
          (await call('PUT', `/api/admin/users/${res.body.id}`, { token: admin, json: { displayName: second, email: null, roles: ['admin'], groups: [], organisations: [], active: false } })).status,
        ).toBe(200);
      }
      const active = await call('GET', `/api/admin/users?filter=${encodeURIComponent(JSON.stringify({ role: 'admin', active: true }))}&range=[0,99]`, { token: admin });
      expect(active.body.map((u: { username: string }) => u.username)).toEqual(['admin']);
      // now the seeded admin is the last one: no other admin can remove them either (there is none), and they cannot themselves
      expect((await call('PUT', `/api/admin/users/${me.id}`, { token: admin, json: { ...self, active: false } })).status).toBe(409);
    } finally {
      // whatever happened, the other test files need the seeded admin
      await db('users').where({ username: 'admin' }).update({ active: true });
      await db.destroy();
    }
  });

  it('writes an audit event for every change, with who, what, before and after; listed, filtered and exported as CSV', async () => {
    const clerk = (await call('GET', `/api/admin/users?filter=${encodeURIComponent(JSON.stringify({ q: clerkName }))}`, { token: admin })).body[0];
    const edited = await call('PUT', `/api/admin/users/${clerk.id}`, {
      token: orgAdmin,
      json: { displayName: 'Kim Kriens', email: clerk.email, roles: ['clerk', 'teamlead'], groups: ['einwohnerdienste'], organisations: [KRIENS], active: true },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(
      (await call('PUT', `/api/admin/users/${clerk.id}`, { token: orgAdmin, json: { ...edited.body, id: undefined, username: undefined, mustChangePassword: undefined, active: false } })).status,
    ).toBe(200);
    const events = await auditOf(admin, clerkName);
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['user.create', orgAdminName],
      ['user.update', orgAdminName],
      ['user.deactivate', orgAdminName],
    ]);
    expect(events[0]!.before).toBeNull();
    expect(events[0]!.after).toMatchObject({ username: clerkName, roles: ['clerk'], organisations: [KRIENS], mustChangePassword: true });
    expect(events[1]!.before).toMatchObject({ displayName: `Test ${clerkName}`, roles: ['clerk'] });
    expect(events[1]!.after).toMatchObject({ displayName: 'Kim Kriens', roles: ['clerk', 'teamlead'] });
    expect(events[2]!.before).toMatchObject({ active: true });
    expect(events[2]!.after).toMatchObject({ active: false });
    expect(JSON.stringify(events)).not.toMatch(/argon2|Passwort-1/);
    // the password changes at login are the user's own, not administration: no event; the admin's creation is
    expect((await auditOf(admin, orgAdminName)).map((e) => [e.action, e.actor])).toEqual([['user.create', 'admin']]);

    // the organisation admin sees the events of Kriens, not those of other organisations
    const mine = await call('GET', '/api/admin/audit-events?range=[0,999]', { token: orgAdmin });
    expect(mine.status).toBe(200);
    expect(mine.body.length).toBeGreaterThanOrEqual(4);
    expect(mine.body.every((e: { organisations: string[] }) => e.organisations.includes(KRIENS))).toBe(true);

    const csv = await call('GET', `/api/admin/exports/audit-events.csv?filter=${encodeURIComponent(JSON.stringify({ entityId: clerkName }))}`, { token: admin });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.body
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('"Zeitpunkt";"Wer";"Aktion";"Art";"Objekt";"Organisationen";"Vorher";"Nachher"');
    expect(lines.length).toBe(4);
    expect(lines.slice(1).join('\n')).toContain('Benutzer/in deaktiviert');

    // an organisation change is audited too
    const kriens = (await call('GET', `/api/admin/organisations/${encodeURIComponent(KRIENS)}`, { token: admin })).body;
    const renamed = await call('PUT', `/api/admin/organisations/${encodeURIComponent(KRIENS)}`, { token: admin, json: { name: 'Stadt Kriens (Test)', inboxGroups: kriens.inboxGroups } });
    expect(renamed.status).toBe(200);
    expect((await call('PUT', `/api/admin/organisations/${encodeURIComponent(KRIENS)}`, { token: admin, json: { name: kriens.name, inboxGroups: kriens.inboxGroups } })).status).toBe(200);
    const orgEvents = await auditOf(admin, KRIENS);
    expect(orgEvents.slice(-2).map((e) => [e.action, e.before?.name, e.after?.name])).toEqual([
      ['organisation.update', 'Stadt Kriens', 'Stadt Kriens (Test)'],
      ['organisation.update', 'Stadt Kriens (Test)', 'Stadt Kriens'],
    ]);
  });
});
