// The per-connection cache of effective permissions (users/internal.ts accessOfUser) must never
// answer with stale grants: every write on this connection, every commit by another connection
// and every rolled-back transaction has to be seen by the very next request.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { DB_FILE, openDatabase } from '../../src/db/client.ts';
import { permissions, rolePermissions, roles, userRoles } from '../../src/db/schema/index.ts';
import { userContext } from '../../src/services/auth/context.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser, writerOf } from '../helpers/server.ts';
import { syncWrite } from '../../src/db/sync-write.ts';

describe('effective-permission cache', () => {
  let s: TestServer;
  let u: TestUser;
  let adminRoleId: string;
  const meta = { requestId: 'test', ip: '127.0.0.1', source: 'api' as const };
  const me = async (): Promise<string[]> => {
    const res = await s.api.get('/api/auth/me', { token: u.key });
    assert.equal(res.status, 200);
    return res.body.permissions;
  };
  const ctx = () => userContext(s.env, { kind: 'api_key', userId: u.id, username: u.username, keyId: 'k' }, meta);

  before(async () => {
    s = await startTestServer();
    u = await createTestUser(s.env, ['viewer']);
    adminRoleId = s.env.db.select().from(roles).where(eq(roles.name, 'admin')).get()!.id;
  });
  after(() => s.stop());

  it('sees a role granted and revoked on this connection at the next request', async () => {
    assert.ok(!(await me()).includes('user:create'));
    assert.ok(!(await me()).includes('user:create'), 'a cached answer stays correct');
    writerOf(s.env).insert(userRoles).values({ userId: u.id, roleId: adminRoleId, createdAt: new Date().toISOString() }).run();
    assert.ok((await me()).includes('user:create'));
    assert.equal(ctx().isAdmin, true);
    writerOf(s.env).delete(userRoles).where(and(eq(userRoles.userId, u.id), eq(userRoles.roleId, adminRoleId))).run();
    assert.ok(!(await me()).includes('user:create'));
    assert.equal(ctx().isAdmin, false);
  });

  it('sees a grant removed from a role at the next request', async () => {
    const viewer = s.env.db.select().from(roles).where(eq(roles.name, 'viewer')).get()!;
    const [granted] = (await me()).filter((p) => p.endsWith(':read'));
    assert.ok(granted, 'the viewer role grants some :read permission');
    const perm = s.env.db.select().from(permissions).where(eq(permissions.name, granted!)).get()!;
    writerOf(s.env).delete(rolePermissions).where(and(eq(rolePermissions.roleId, viewer.id), eq(rolePermissions.permissionId, perm.id))).run();
    assert.ok(!(await me()).includes(granted!));
    writerOf(s.env).insert(rolePermissions).values({ roleId: viewer.id, permissionId: perm.id }).run();
    assert.ok((await me()).includes(granted!));
  });

  it('sees a commit made by another connection (another process, the offline CLI)', async () => {
    assert.ok(!(await me()).includes('user:create'));
    const other = openDatabase(join(s.dataDir, DB_FILE));
    try {
      other.insert(userRoles).values({ userId: u.id, roleId: adminRoleId, createdAt: new Date().toISOString() }).run();
      assert.ok((await me()).includes('user:create'));
      other.delete(userRoles).where(and(eq(userRoles.userId, u.id), eq(userRoles.roleId, adminRoleId))).run();
      assert.ok(!(await me()).includes('user:create'));
    } finally {
      other.$client.close();
    }
  });

  it('never serves grants from an open or a rolled-back transaction', async () => {
    assert.equal(ctx().permissions.has('user:create'), false);
    await assert.rejects(
      syncWrite(s.env, (tx) => {
        tx.insert(userRoles).values({ userId: u.id, roleId: adminRoleId, createdAt: new Date().toISOString() }).run();
        // Read through the root handle while the transaction is open, as a verb might: env.db is
        // the read-only connection, which sees committed rows only.
        assert.equal(ctx().permissions.has('user:create'), false);
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.equal(ctx().permissions.has('user:create'), false);
    assert.equal(ctx().isAdmin, false);
  });

  it('shares a read-only permission set between contexts, so no request can widen another\'s', () => {
    const a = ctx();
    assert.throws(() => (a.permissions as Set<string>).add('user:create'), TypeError);
    assert.throws(() => (a.permissions as Set<string>).delete('device:list'), TypeError);
    assert.equal(ctx().permissions.has('user:create'), false);
  });
});
