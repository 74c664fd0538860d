import assert from 'node:assert/strict';
import { and, eq } from 'drizzle-orm';
import { after, before, describe, it } from 'node:test';
import { SYSTEM_ROLES } from '../../src/auth/permissions.ts';
import { auditLogs, roles, sessions, users } from '../../src/db/schema/index.ts';
import { ADMIN, createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

describe('users API', () => {
  let s: TestServer;
  let admin: string;
  let adminId: string;
  let n = 0;
  const pw = 'correct-horse-battery';

  /** Creates a user through the API as admin; returns its id. */
  const mkUser = async (extra: Record<string, unknown> = {}): Promise<{ id: string; username: string }> => {
    const username = `u${++n}-${Date.now() % 100000}`;
    const res = await s.api.post('/api/users', { username, email: `${username}@example.test`, password: pw, ...extra }, { cookie: admin });
    assert.equal(res.status, 201, res.text);
    return { id: res.body.id, username };
  };
  const roleId = (name: string) => s.env.db.select().from(roles).where(eq(roles.name, name)).get()!.id;
  const me = (cookie: string) => s.api.get('/api/auth/me', { cookie });

  before(async () => {
    s = await startTestServer();
    admin = await s.api.login(ADMIN.username, ADMIN.password);
    adminId = (await me(admin)).body.id;
  });
  after(() => s.stop());

  it('treats is_admin and the admin role as one thing', async () => {
    const u = await mkUser({ is_admin: true });
    const cookie = await s.api.login(u.username, pw);
    const mine = (await me(cookie)).body;
    assert.equal(mine.is_admin, true);
    assert.ok(mine.roles.some((r: { name: string }) => r.name === 'admin'));
    assert.ok(mine.permissions.includes('user:delete'));
    const demoted = await s.api.put(`/api/users/${u.id}`, { is_admin: false }, { cookie: admin });
    assert.equal(demoted.status, 200, demoted.text);
    assert.equal(demoted.body.is_admin, false);
    assert.ok(!(await me(cookie)).body.permissions.includes('user:delete'));
    const granted = await s.api.post('/api/users/grant-role', { user_id: u.id, role_id: roleId('admin') }, { cookie: admin });
    assert.equal(granted.status, 201);
    assert.equal((await s.api.get(`/api/users/${u.id}`, { cookie: admin })).body.is_admin, true);
  });

  it('creates, lists with filters, reads, updates and deletes users', async () => {
    const res = await s.api.post(
      '/api/users',
      { username: 'alice.crud', email: 'Alice.Crud@example.test', full_name: 'Alice', password: pw, role_id: roleId('viewer') },
      { cookie: admin },
    );
    assert.equal(res.status, 201);
    assert.equal(res.body.username, 'alice.crud');
    assert.equal(res.body.is_active, true);
    assert.equal(res.body.is_admin, false);
    assert.deepEqual(res.body.roles.map((r: { name: string }) => r.name), ['viewer']);
    assert.ok(!('password_hash' in res.body) && !('password' in res.body));
    const id = res.body.id;

    const list = await s.api.get('/api/users?username=CRUD&limit=10', { cookie: admin });
    assert.equal(list.status, 200);
    assert.equal(list.headers.get('x-total-count'), '1');
    assert.deepEqual(list.body.map((u: { id: string }) => u.id), [id]);
    const byEmail = await s.api.get('/api/users?email=alice.crud@', { cookie: admin });
    assert.deepEqual(byEmail.body.map((u: { id: string }) => u.id), [id]);
    const wildcard = await s.api.get('/api/users?username=%25', { cookie: admin });
    assert.equal(wildcard.headers.get('x-total-count'), '0', 'LIKE wildcards are taken literally');
    const page = await s.api.get('/api/users?limit=1&offset=0', { cookie: admin });
    assert.equal(page.body.length, 1);
    assert.ok(Number(page.headers.get('x-total-count')) >= 2);

    const got = await s.api.get(`/api/users/${id}`, { cookie: admin });
    assert.equal(got.status, 200);
    assert.equal(got.body.email, 'Alice.Crud@example.test');
    assert.deepEqual(got.body.roles.map((r: { name: string }) => r.name), ['viewer']);

    const upd = await s.api.put(`/api/users/${id}`, { full_name: 'Alice Liddell' }, { cookie: admin });
    assert.equal(upd.status, 200);
    assert.equal(upd.body.full_name, 'Alice Liddell');
    assert.equal(upd.body.username, 'alice.crud', 'a partial update keeps the other fields');

    assert.equal((await s.api.delete(`/api/users/${id}`, { cookie: admin })).status, 204);
    assert.equal((await s.api.get(`/api/users/${id}`, { cookie: admin })).body.code, 'NOT_FOUND');
    const again = await s.api.delete(`/api/users/${id}`, { cookie: admin });
    assert.equal(again.status, 404);
    assert.equal(again.body.code, 'NOT_FOUND');
  });

  it('refuses duplicate usernames and emails with 409 ALREADY_EXISTS', async () => {
    const a = await mkUser();
    const b = await mkUser();
    const dup = await s.api.post('/api/users', { username: a.username.toUpperCase(), email: 'other@example.test', password: pw }, { cookie: admin });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.code, 'ALREADY_EXISTS');
    const dupEmail = await s.api.post('/api/users', { username: 'fresh-name', email: `${a.username}@EXAMPLE.test`, password: pw }, { cookie: admin });
    assert.equal(dupEmail.status, 409);
    const rename = await s.api.put(`/api/users/${b.id}`, { username: a.username }, { cookie: admin });
    assert.equal(rename.status, 409);
    assert.equal(rename.body.code, 'ALREADY_EXISTS');
    const reEmail = await s.api.put(`/api/users/${b.id}`, { email: `${a.username}@example.test` }, { cookie: admin });
    assert.equal(reEmail.status, 409);
  });

  it('rejects unknown fields by name', async () => {
    const u = await mkUser();
    const cases: Array<[Promise<{ status: number; body: any }>, string]> = [
      [s.api.post('/api/users', { username: 'x1', email: 'x1@e.test', password: pw, role: 'admin' }, { cookie: admin }), 'role'],
      [s.api.put(`/api/users/${u.id}`, { is_superuser: true }, { cookie: admin }), 'is_superuser'],
      [s.api.post(`/api/users/${u.id}/reset-password`, { new_password: pw, notify: true }, { cookie: admin }), 'notify'],
      [s.api.post('/api/users/grant-role', { user_id: u.id, role_id: roleId('viewer'), expires: 1 }, { cookie: admin }), 'expires'],
      [s.api.get('/api/users?name=x', { cookie: admin }), 'name'],
    ];
    for (const [pending, field] of cases) {
      const res = await pending;
      assert.equal(res.status, 400);
      assert.equal(res.body.code, 'VALIDATION_ERROR');
      assert.deepEqual(res.body.details, [{ field, message: 'unknown field' }]);
    }
  });

  it('enforces the 12-character minimum on create, change and reset', async () => {
    const short = 'elevenchars'; // 11
    assert.equal(short.length, 11);
    const create = await s.api.post('/api/users', { username: 'shorty', email: 'shorty@e.test', password: short }, { cookie: admin });
    assert.equal(create.status, 400);
    assert.equal(create.body.code, 'VALIDATION_ERROR');
    assert.equal(create.body.details[0].field, 'password');
    const ok = await s.api.post('/api/users', { username: 'shorty', email: 'shorty@e.test', password: 'twelve-chars' }, { cookie: admin });
    assert.equal(ok.status, 201);

    const cookie = await s.api.login('shorty', 'twelve-chars');
    const change = await s.api.post(`/api/users/${ok.body.id}/password`, { old_password: 'twelve-chars', new_password: short }, { cookie });
    assert.equal(change.status, 400);
    assert.equal(change.body.code, 'VALIDATION_ERROR');
    assert.equal(change.body.details[0].field, 'new_password');
    const reset = await s.api.post(`/api/users/${ok.body.id}/reset-password`, { new_password: short }, { cookie: admin });
    assert.equal(reset.status, 400);
    assert.equal(reset.body.details[0].field, 'new_password');
    assert.equal((await me(cookie)).status, 200, 'a refused change ends no session');
  });

  it('lets users edit their own profile but refuses their own is_active/is_admin changes', async () => {
    const v = await createTestUser(s.env, ['viewer']);
    const self = await s.api.put(`/api/users/${v.id}`, { full_name: 'Vee', email: `vee-${v.id}@example.test` }, { token: v.key });
    assert.equal(self.status, 200);
    assert.equal(self.body.full_name, 'Vee');
    for (const body of [{ is_active: false }, { is_admin: true }, { full_name: 'Sneaky', is_admin: true }]) {
      const res = await s.api.put(`/api/users/${v.id}`, body, { token: v.key });
      assert.equal(res.status, 403, JSON.stringify(body));
      assert.equal(res.body.code, 'FORBIDDEN');
    }
    const row = s.env.db.select().from(users).where(eq(users.id, v.id)).get()!;
    assert.equal(row.isActive, true);
    assert.equal(row.isAdmin, false);
    assert.equal(row.fullName, 'Vee', 'the refused request changed nothing');
    // Re-sending the current values is not a change.
    assert.equal((await s.api.put(`/api/users/${v.id}`, { is_active: true, is_admin: false }, { token: v.key })).status, 200);
    // Admins are bound by the same rule on themselves.
    const adminSelf = await s.api.put(`/api/users/${adminId}`, { is_admin: false }, { cookie: admin });
    assert.equal(adminSelf.status, 403);
    const del = await s.api.delete(`/api/users/${adminId}`, { cookie: admin });
    assert.equal(del.status, 400);
    assert.equal(del.body.code, 'CANNOT_DELETE_SELF');
    // Without user:update nobody else's profile is editable, and reading others needs user:read.
    const other = await mkUser();
    const res = await s.api.put(`/api/users/${other.id}`, { full_name: 'x' }, { token: v.key });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'FORBIDDEN');
  });

  it('protects administrators from non-admin user managers', async () => {
    const mgrRole = await s.api.post(
      '/api/roles',
      { name: 'user-manager', permissions: ['user:list', 'user:read', 'user:create', 'user:update', 'user:delete'] },
      { cookie: admin },
    );
    assert.equal(mgrRole.status, 201);
    const mgr = await createTestUser(s.env, ['user-manager']);
    const flagged = await mkUser({ is_admin: true }); // is_admin flag alone protects
    const plain = await mkUser();
    const refused = [
      await s.api.put(`/api/users/${adminId}`, { full_name: 'pwned' }, { token: mgr.key }),
      await s.api.post(`/api/users/${adminId}/reset-password`, { new_password: 'attacker-password' }, { token: mgr.key }),
      await s.api.post(`/api/users/${adminId}/password`, { new_password: 'attacker-password' }, { token: mgr.key }),
      await s.api.delete(`/api/users/${adminId}`, { token: mgr.key }),
      await s.api.put(`/api/users/${flagged.id}`, { full_name: 'x' }, { token: mgr.key }),
      await s.api.delete(`/api/users/${flagged.id}`, { token: mgr.key }),
      await s.api.put(`/api/users/${plain.id}`, { is_admin: true }, { token: mgr.key }),
      await s.api.post('/api/users', { username: 'mk-admin', email: 'mk@e.test', password: pw, is_admin: true }, { token: mgr.key }),
      await s.api.post('/api/users', { username: 'mk-admin2', email: 'mk2@e.test', password: pw, role_id: roleId('admin') }, { token: mgr.key }),
      // Resetting your own password would skip the current-password check.
      await s.api.post(`/api/users/${mgr.id}/reset-password`, { new_password: 'another-password' }, { token: mgr.key }),
    ];
    for (const res of refused) {
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.code, 'FORBIDDEN');
    }
    assert.equal(s.env.db.select().from(users).where(eq(users.id, adminId)).get()!.fullName, 'System Administrator');
    assert.equal((await s.api.put(`/api/users/${plain.id}`, { full_name: 'Managed' }, { token: mgr.key })).status, 200);
    assert.equal((await s.api.post(`/api/users/${plain.id}/reset-password`, { new_password: 'managed-password' }, { token: mgr.key })).status, 204);
    assert.equal((await s.api.delete(`/api/users/${plain.id}`, { token: mgr.key })).status, 204);
    // Admins may manage the flagged account.
    assert.equal((await s.api.put(`/api/users/${flagged.id}`, { is_admin: false }, { cookie: admin })).body.is_admin, false);
  });

  it('password change requires the current password and ends every session of that user only', async () => {
    const a = await createTestUser(s.env, ['viewer']);
    const b = await createTestUser(s.env, ['viewer']);
    const a1 = await s.api.login(a.username, a.password);
    const a2 = await s.api.login(a.username, a.password);
    const b1 = await s.api.login(b.username, b.password);

    const missing = await s.api.post(`/api/users/${a.id}/password`, { new_password: 'brand-new-password' }, { cookie: a1 });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.details[0].field, 'old_password');
    const wrong = await s.api.post(`/api/users/${a.id}/password`, { old_password: 'not-my-password', new_password: 'brand-new-password' }, { cookie: a1 });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.code, 'VALIDATION_ERROR');
    assert.deepEqual(wrong.body.details, [{ field: 'old_password', message: 'Current password is incorrect' }]);
    assert.equal((await me(a1)).status, 200);

    const ok = await s.api.post(`/api/users/${a.id}/password`, { old_password: a.password, new_password: 'brand-new-password' }, { cookie: a1 });
    assert.equal(ok.status, 204);
    assert.equal((await me(a1)).status, 401);
    assert.equal((await me(a2)).status, 401);
    assert.equal((await me(b1)).status, 200, "other users' sessions survive");
    assert.equal((await me(admin)).status, 200);
    assert.equal(s.env.db.select().from(sessions).where(eq(sessions.userId, a.id)).all().length, 0);
    assert.equal((await s.api.post('/api/auth/login', { username: a.username, password: a.password })).status, 401);
    await s.api.login(a.username, 'brand-new-password');
    assert.ok(s.env.db.select().from(users).where(eq(users.id, a.id)).get()!.passwordChangedAt);
  });

  it('admin reset ends every session of that user, not the admin\'s', async () => {
    const a = await createTestUser(s.env, ['operator']);
    const b = await createTestUser(s.env, ['operator']);
    const a1 = await s.api.login(a.username, a.password);
    const b1 = await s.api.login(b.username, b.password);
    const res = await s.api.post(`/api/users/${a.id}/reset-password`, { new_password: 'reset-by-admin-1' }, { cookie: admin });
    assert.equal(res.status, 204);
    assert.equal((await me(a1)).status, 401);
    assert.equal((await me(b1)).status, 200);
    assert.equal((await me(admin)).status, 200);
    await s.api.login(a.username, 'reset-by-admin-1');
    // An admin changing someone else's password needs no old_password.
    const other = await s.api.post(`/api/users/${b.id}/password`, { new_password: 'changed-by-admin' }, { cookie: admin });
    assert.equal(other.status, 204);
    assert.equal((await me(b1)).status, 401);
  });

  it('deactivation ends sessions and blocks login and API keys', async () => {
    const a: TestUser = await createTestUser(s.env, ['viewer']);
    const a1 = await s.api.login(a.username, a.password);
    const res = await s.api.put(`/api/users/${a.id}`, { is_active: false }, { cookie: admin });
    assert.equal(res.status, 200);
    assert.equal(res.body.is_active, false);
    assert.equal((await me(a1)).status, 401);
    assert.equal(s.env.db.select().from(sessions).where(eq(sessions.userId, a.id)).all().length, 0);
    assert.equal((await s.api.post('/api/auth/login', { username: a.username, password: a.password })).status, 401);
    assert.equal((await s.api.get('/api/auth/me', { token: a.key })).status, 401);
  });

  it('deleting a user removes their sessions and API keys', async () => {
    const a = await createTestUser(s.env, ['viewer']);
    const a1 = await s.api.login(a.username, a.password);
    assert.equal((await s.api.delete(`/api/users/${a.id}`, { cookie: admin })).status, 204);
    assert.equal((await me(a1)).status, 401);
    assert.equal((await s.api.get('/api/auth/me', { token: a.key })).status, 401);
  });

  it('lists the roles and effective permissions of a user', async () => {
    const o = await createTestUser(s.env, ['operator', 'viewer']);
    const r = await s.api.get(`/api/users/${o.id}/roles`, { cookie: admin });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-total-count'), '2');
    assert.deepEqual(r.body.map((x: { name: string }) => x.name), ['operator', 'viewer']);
    const p = await s.api.get(`/api/users/${o.id}/permissions`, { cookie: admin });
    assert.equal(p.status, 200);
    const expected = [...new Set(SYSTEM_ROLES.filter((x) => x.name !== 'admin').flatMap((x) => x.permissions))].sort();
    assert.deepEqual(p.body.map((x: { name: string }) => x.name), expected);
    assert.equal(p.headers.get('x-total-count'), String(expected.length));
    assert.equal((await s.api.get('/api/users/nope/roles', { cookie: admin })).status, 404);
  });

  it('writes audit rows for every verb, never with a password hash', async () => {
    const u = await mkUser();
    await s.api.put(`/api/users/${u.id}`, { full_name: 'Audited' }, { cookie: admin });
    await s.api.post(`/api/users/${u.id}/reset-password`, { new_password: 'audited-password-1' }, { cookie: admin });
    const c = await s.api.login(u.username, 'audited-password-1');
    await s.api.post(`/api/users/${u.id}/password`, { old_password: 'audited-password-1', new_password: 'audited-password-2' }, { cookie: c });
    await s.api.post('/api/users/grant-role', { user_id: u.id, role_id: roleId('viewer') }, { cookie: admin });
    await s.api.post('/api/users/revoke-role', { user_id: u.id, role_id: roleId('viewer') }, { cookie: admin });
    await s.api.delete(`/api/users/${u.id}`, { cookie: admin });
    const rows = s.env.db.select().from(auditLogs).where(and(eq(auditLogs.resourceId, u.id), eq(auditLogs.status, 'success'))).all();
    const actions = rows.map((r) => r.action);
    for (const a of ['user.create', 'user.update', 'user.password_reset', 'user.password_change', 'role.grant', 'role.revoke', 'user.delete']) {
      assert.ok(actions.includes(a), `missing ${a} in ${actions.join(',')}`);
    }
    for (const r of rows) {
      assert.doesNotMatch(r.changes, /\$2[aby]\$/, `${r.action} leaks a bcrypt hash`);
      assert.doesNotMatch(r.changes, /password_hash|passwordHash|audited-password|correct-horse/, `${r.action} leaks a password`);
    }
    const upd = JSON.parse(rows.find((r) => r.action === 'user.update')!.changes);
    assert.equal(upd.before.full_name, '');
    assert.equal(upd.after.full_name, 'Audited');
    const change = rows.find((r) => r.action === 'user.password_change')!;
    assert.equal(change.username, u.username, 'the actor of a self change is the user');
  });
});
