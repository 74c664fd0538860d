import assert from 'node:assert/strict';
import { eq } from 'drizzle-orm';
import { after, before, describe, it } from 'node:test';
import { PERMISSIONS, SYSTEM_ROLES } from '../../src/auth/permissions.ts';
import { auditLogs, permissions, roles } from '../../src/db/schema/index.ts';
import { ADMIN, createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

describe('roles and permissions API', () => {
  let s: TestServer;
  let admin: string;
  const roleId = (name: string) => s.env.db.select().from(roles).where(eq(roles.name, name)).get()!.id;
  const permId = (name: string) => s.env.db.select().from(permissions).where(eq(permissions.name, name)).get()!.id;
  const names = (list: Array<{ name: string }>) => list.map((p) => p.name);

  before(async () => {
    s = await startTestServer();
    admin = await s.api.login(ADMIN.username, ADMIN.password);
  });
  after(() => s.stop());

  it('lists the system roles with their permissions, and filters by name', async () => {
    const res = await s.api.get('/api/roles', { cookie: admin });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-total-count'), '3');
    for (const def of SYSTEM_ROLES) {
      const role = res.body.find((r: { name: string }) => r.name === def.name);
      assert.equal(role.is_system, true);
      assert.deepEqual(names(role.permissions), [...def.permissions].sort());
    }
    assert.equal(res.body.find((r: { name: string }) => r.name === 'admin').permissions.length, PERMISSIONS.length);
    const filtered = await s.api.get('/api/roles?name=OPER', { cookie: admin });
    assert.deepEqual(names(filtered.body), ['operator']);
  });

  it('lists the permission catalogue with resource and action filters', async () => {
    const all = await s.api.get('/api/permissions', { cookie: admin });
    assert.equal(all.status, 200);
    assert.equal(all.headers.get('x-total-count'), String(PERMISSIONS.length));
    assert.equal(PERMISSIONS.length, 73);
    assert.deepEqual(names(all.body), PERMISSIONS.map((p) => p.name).sort());
    const users = await s.api.get('/api/permissions?resource=users', { cookie: admin });
    assert.deepEqual(names(users.body), ['user:create', 'user:delete', 'user:list', 'user:read', 'user:update']);
    const exports = await s.api.get('/api/permissions?action=export', { cookie: admin });
    assert.deepEqual(names(exports.body), ['audit:export']);
    const bad = await s.api.get('/api/permissions?kind=x', { cookie: admin });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.details, [{ field: 'kind', message: 'unknown field' }]);
  });

  it('creates, reads, updates and deletes a custom role', async () => {
    const res = await s.api.post(
      '/api/roles',
      { name: 'net-auditor', description: 'Reads networks', permissions: ['network:list', permId('network:read'), 'network:list'] },
      { cookie: admin },
    );
    assert.equal(res.status, 201);
    assert.equal(res.body.is_system, false);
    assert.deepEqual(names(res.body.permissions), ['network:list', 'network:read'], 'ids and names resolve, duplicates collapse');
    const id = res.body.id;

    const got = await s.api.get(`/api/roles/${id}`, { cookie: admin });
    assert.equal(got.body.description, 'Reads networks');
    const rp = await s.api.get(`/api/roles/${id}/permissions`, { cookie: admin });
    assert.equal(rp.status, 200);
    assert.equal(rp.body.role.id, id);
    assert.deepEqual(names(rp.body.permissions), ['network:list', 'network:read']);

    const upd = await s.api.put(`/api/roles/${id}`, { description: 'Audits', permissions: ['audit:list', 'network:list'] }, { cookie: admin });
    assert.equal(upd.status, 200);
    assert.equal(upd.body.description, 'Audits');
    assert.deepEqual(names(upd.body.permissions), ['audit:list', 'network:list'], 'the set is replaced, not merged');
    const descOnly = await s.api.put(`/api/roles/${id}`, { description: 'Only text' }, { cookie: admin });
    assert.deepEqual(names(descOnly.body.permissions), ['audit:list', 'network:list'], 'omitting permissions keeps them');
    const rename = await s.api.put(`/api/roles/${id}`, { name: 'renamed' }, { cookie: admin });
    assert.equal(rename.status, 400);
    assert.deepEqual(rename.body.details, [{ field: 'name', message: 'unknown field' }]);

    assert.equal((await s.api.delete(`/api/roles/${id}`, { cookie: admin })).status, 204);
    assert.equal((await s.api.get(`/api/roles/${id}`, { cookie: admin })).status, 404);
    assert.equal((await s.api.delete(`/api/roles/${id}`, { cookie: admin })).status, 404);
  });

  it('refuses duplicate names, system role names, unknown permissions and unknown fields', async () => {
    assert.equal((await s.api.post('/api/roles', { name: 'dup-role' }, { cookie: admin })).status, 201);
    const dup = await s.api.post('/api/roles', { name: 'DUP-role' }, { cookie: admin });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.code, 'ALREADY_EXISTS');
    for (const name of ['admin', 'Operator', 'viewer']) {
      const res = await s.api.post('/api/roles', { name }, { cookie: admin });
      assert.equal(res.status, 400, name);
      assert.equal(res.body.code, 'SYSTEM_ROLE');
    }
    const unknown = await s.api.post('/api/roles', { name: 'typo', permissions: ['device:list', 'device:lsit'] }, { cookie: admin });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.code, 'VALIDATION_ERROR');
    assert.deepEqual(unknown.body.details, [{ field: 'permissions.1', message: 'unknown permission: device:lsit' }]);
    assert.equal(s.env.db.select().from(roles).where(eq(roles.name, 'typo')).get(), undefined, 'nothing was created');
    const extra = await s.api.post('/api/roles', { name: 'x', is_system: true }, { cookie: admin });
    assert.equal(extra.status, 400);
    assert.deepEqual(extra.body.details, [{ field: 'is_system', message: 'unknown field' }]);
  });

  it('refuses to change or delete system roles', async () => {
    const viewer = roleId('viewer');
    const perms = await s.api.put(`/api/roles/${viewer}`, { permissions: ['device:list'] }, { cookie: admin });
    assert.equal(perms.status, 400);
    assert.equal(perms.body.code, 'SYSTEM_ROLE');
    const desc = await s.api.put(`/api/roles/${viewer}`, { description: 'changed' }, { cookie: admin });
    assert.equal(desc.body.code, 'SYSTEM_ROLE');
    const same = await s.api.put(`/api/roles/${viewer}`, { description: 'Read-only access' }, { cookie: admin });
    assert.equal(same.status, 200, 're-sending the current values is not a change');
    const del = await s.api.delete(`/api/roles/${roleId('admin')}`, { cookie: admin });
    assert.equal(del.status, 400);
    assert.equal(del.body.code, 'SYSTEM_ROLE');
    const after = await s.api.get(`/api/roles/${viewer}/permissions`, { cookie: admin });
    assert.equal(after.body.permissions.length, SYSTEM_ROLES.find((r) => r.name === 'viewer')!.permissions.length);
  });

  it('a custom role grants exactly its permissions, and changes apply at once', async () => {
    const role = await s.api.post('/api/roles', { name: 'directory-reader', permissions: ['user:list', 'role:list', 'audit:list'] }, { cookie: admin });
    assert.equal(role.status, 201);
    const u = await createTestUser(s.env, ['directory-reader']);
    const cookie = await s.api.login(u.username, u.password);
    const me = await s.api.get('/api/auth/me', { cookie });
    assert.deepEqual(me.body.permissions, ['audit:list', 'role:list', 'user:list']);
    assert.deepEqual(names(me.body.roles), ['directory-reader']);
    assert.equal((await s.api.get('/api/users', { cookie })).status, 200);
    assert.equal((await s.api.get('/api/roles', { cookie })).status, 200);
    assert.equal((await s.api.get('/api/permissions', { cookie })).status, 200);
    for (const res of [
      await s.api.get(`/api/users/${u.id}`, { cookie }),
      await s.api.get(`/api/roles/${role.body.id}`, { cookie }),
      await s.api.post('/api/roles', { name: 'mine' }, { cookie }),
      await s.api.get('/api/keys', { cookie }),
    ]) {
      assert.equal(res.status, 403);
      assert.equal(res.body.code, 'FORBIDDEN');
    }
    await s.api.put(`/api/roles/${role.body.id}`, { permissions: ['user:list', 'user:read'] }, { cookie: admin });
    assert.equal((await s.api.get(`/api/users/${u.id}`, { cookie })).status, 200);
    assert.equal((await s.api.get('/api/roles', { cookie })).status, 403);
    await s.api.delete(`/api/roles/${role.body.id}`, { cookie: admin });
    assert.deepEqual((await s.api.get('/api/auth/me', { cookie })).body.permissions, [], 'deleting the role revokes it');
  });

  it('grants and revokes roles; a repeated grant answers 200', async () => {
    const u = await createTestUser(s.env, ['viewer']);
    const op = roleId('operator');
    const first = await s.api.post('/api/users/grant-role', { user_id: u.id, role_id: op }, { cookie: admin });
    assert.equal(first.status, 201);
    const again = await s.api.post('/api/users/grant-role', { user_id: u.id, role_id: op }, { cookie: admin });
    assert.equal(again.status, 200);
    assert.deepEqual(names((await s.api.get(`/api/users/${u.id}/roles`, { cookie: admin })).body), ['operator', 'viewer']);
    assert.equal((await s.api.post('/api/users/revoke-role', { user_id: u.id, role_id: op }, { cookie: admin })).status, 204);
    assert.equal((await s.api.post('/api/users/revoke-role', { user_id: u.id, role_id: op }, { cookie: admin })).status, 204);
    assert.deepEqual(names((await s.api.get(`/api/users/${u.id}/roles`, { cookie: admin })).body), ['viewer']);
    const missing = await s.api.post('/api/users/grant-role', { user_id: u.id, role_id: 'no-such-role' }, { cookie: admin });
    assert.equal(missing.status, 404);
    // The last active administrator keeps the admin role.
    const adminUser = (await s.api.get('/api/auth/me', { cookie: admin })).body;
    const last = await s.api.post('/api/users/revoke-role', { user_id: adminUser.id, role_id: roleId('admin') }, { cookie: admin });
    assert.equal(last.status, 409);
    assert.equal(last.body.code, 'CONFLICT');
  });

  it('keeps role management from escalating a non-admin', async () => {
    await s.api.post('/api/roles', { name: 'role-manager', permissions: ['role:list', 'role:read', 'role:create', 'role:update', 'user:read'] }, { cookie: admin });
    await s.api.post('/api/roles', { name: 'deleters', permissions: ['user:delete'] }, { cookie: admin });
    const m = await createTestUser(s.env, ['role-manager']);
    const other = await createTestUser(s.env, ['viewer']);
    const refused = [
      await s.api.post('/api/users/grant-role', { user_id: m.id, role_id: roleId('admin') }, { token: m.key }),
      await s.api.post('/api/users/grant-role', { user_id: other.id, role_id: roleId('operator') }, { token: m.key }),
      await s.api.post('/api/users/revoke-role', { user_id: other.id, role_id: roleId('viewer') }, { token: m.key }),
      await s.api.post('/api/users/grant-role', { user_id: m.id, role_id: roleId('deleters') }, { token: m.key }),
      await s.api.post('/api/roles', { name: 'escalate', permissions: ['user:delete'] }, { token: m.key }),
      await s.api.put(`/api/roles/${roleId('role-manager')}`, { permissions: ['role:list', 'role:update', 'user:update'] }, { token: m.key }),
    ];
    for (const res of refused) {
      assert.equal(res.status, 403, res.text);
      assert.equal(res.body.code, 'FORBIDDEN');
    }
    const mine = await s.api.post('/api/roles', { name: 'readers-only', permissions: ['user:read'] }, { token: m.key });
    assert.equal(mine.status, 201);
    assert.equal((await s.api.post('/api/users/grant-role', { user_id: other.id, role_id: mine.body.id }, { token: m.key })).status, 201);
    assert.deepEqual((await s.api.get('/api/auth/me', { token: m.key })).body.permissions.includes('user:delete'), false);
  });

  it('refuses viewers and operators user and role management with 403, anonymous callers with 401', async () => {
    const viewer: TestUser = await createTestUser(s.env, ['viewer']);
    const operator: TestUser = await createTestUser(s.env, ['operator']);
    const target = await createTestUser(s.env, ['viewer']);
    const custom = (await s.api.post('/api/roles', { name: 'some-custom' }, { cookie: admin })).body.id;
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/api/users'],
      ['POST', '/api/users', { username: 'nope', email: 'nope@e.test', password: 'long-enough-pw' }],
      ['GET', `/api/users/${target.id}`],
      ['PUT', `/api/users/${target.id}`, { full_name: 'x' }],
      ['DELETE', `/api/users/${target.id}`],
      ['POST', `/api/users/${target.id}/password`, { new_password: 'long-enough-pw' }],
      ['POST', `/api/users/${target.id}/reset-password`, { new_password: 'long-enough-pw' }],
      ['POST', '/api/users/grant-role', { user_id: target.id, role_id: custom }],
      ['POST', '/api/users/revoke-role', { user_id: target.id, role_id: custom }],
      ['GET', `/api/users/${target.id}/roles`],
      ['GET', `/api/users/${target.id}/permissions`],
      ['GET', '/api/roles'],
      ['POST', '/api/roles', { name: 'nope' }],
      ['GET', `/api/roles/${custom}`],
      ['PUT', `/api/roles/${custom}`, { description: 'x' }],
      ['DELETE', `/api/roles/${custom}`],
      ['GET', `/api/roles/${custom}/permissions`],
      ['GET', '/api/permissions'],
    ];
    for (const who of [viewer, operator]) {
      for (const [method, path, body] of calls) {
        const res = await s.api.request(method, path, { token: who.key, body });
        assert.equal(res.status, 403, `${method} ${path}`);
        assert.equal(res.body.code, 'FORBIDDEN');
      }
    }
    for (const [method, path, body] of calls) {
      assert.equal((await s.api.request(method, path, { body })).status, 401, `${method} ${path}`);
    }
    assert.ok(s.env.db.select().from(roles).where(eq(roles.id, custom)).get(), 'nothing was changed');
  });

  it('writes audit rows for role verbs', async () => {
    const created = await s.api.post('/api/roles', { name: 'audited-role', permissions: ['device:list'] }, { cookie: admin });
    const id = created.body.id;
    await s.api.put(`/api/roles/${id}`, { permissions: ['device:read'] }, { cookie: admin });
    await s.api.delete(`/api/roles/${id}`, { cookie: admin });
    await s.api.delete(`/api/roles/${roleId('viewer')}`, { cookie: admin });
    const rows = s.env.db.select().from(auditLogs).where(eq(auditLogs.resourceId, id)).orderBy(auditLogs.id).all();
    assert.deepEqual(
      rows.map((r) => [r.action, r.status]),
      [
        ['role.create', 'success'],
        ['role.update', 'success'],
        ['role.delete', 'success'],
      ],
    );
    const upd = JSON.parse(rows[1]!.changes);
    assert.deepEqual([upd.before.permissions, upd.after.permissions], [['device:list'], ['device:read']]);
    const failed = s.env.db.select().from(auditLogs).where(eq(auditLogs.resourceId, roleId('viewer'))).all();
    assert.ok(failed.some((r) => r.action === 'role.delete' && r.status === 'failure' && r.errorCode === 'SYSTEM_ROLE'));
  });
});
