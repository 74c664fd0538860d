// The verified-key cache (services/auth/authenticate.ts) must never outlive what it caches: each
// test uses a key until it is surely served from the cache, changes what the key stands on, and
// expects the very next request to see the change — whether the change came through the API,
// through this server's connection, or from another process's connection (the offline CLI).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { DB_FILE } from '../../src/db/client.ts';
import { newId } from '../../src/platform/ids.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';
import { guard, sqlite } from './support.ts';

describe('API key cache', () => {
  let s: TestServer;
  let admin: TestUser;
  /** A second connection to the same database file, as `rackd user …` on the same host would open. */
  let other: Database.Database;

  before(async () => {
    s = await startTestServer();
    guard(s.api);
    admin = await createTestUser(s.env, ['admin']);
    other = new Database(join(s.dataDir, DB_FILE));
    other.pragma('busy_timeout = 5000');
  });
  after(async () => {
    other.close();
    await s.stop();
  });

  /** Three requests: the first may write last-use (which drops the cache), the others are cache hits. */
  async function warm(key: string): Promise<void> {
    for (let i = 0; i < 3; i++) assert.equal((await s.api.get('/api/auth/me', { token: key })).status, 200);
  }
  const me = (key: string) => s.api.get('/api/auth/me', { token: key });

  it('a revoked key is refused on the next request', async () => {
    const u = await createTestUser(s.env, ['viewer']);
    const created = await s.api.post('/api/keys', { name: 'to-revoke' }, { token: admin.key });
    assert.equal(created.status, 201);
    await warm(created.body.key);
    assert.equal((await s.api.delete(`/api/keys/${created.body.id}`, { token: admin.key })).status, 204);
    const res = await me(created.body.key);
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'UNAUTHORIZED');
    // Another user's cached key is unaffected.
    await warm(u.key);
  });

  it('a key revoked by another connection (the offline CLI) is refused on the next request', async () => {
    const u = await createTestUser(s.env, ['viewer']);
    await warm(u.key);
    other.prepare('DELETE FROM api_keys WHERE user_id = ?').run(u.id);
    assert.equal((await me(u.key)).status, 401);
  });

  it('a disabled owner is refused on the next request, through the API or another connection', async () => {
    const a = await createTestUser(s.env, ['viewer']);
    await warm(a.key);
    assert.equal((await s.api.put(`/api/users/${a.id}`, { is_active: false }, { token: admin.key })).status, 200);
    assert.equal((await me(a.key)).status, 401);

    const b = await createTestUser(s.env, ['viewer']);
    await warm(b.key);
    other.prepare('UPDATE users SET is_active = 0 WHERE id = ?').run(b.id);
    assert.equal((await me(b.key)).status, 401);
  });

  it('a deleted owner is refused on the next request', async () => {
    const u = await createTestUser(s.env, ['viewer']);
    await warm(u.key);
    assert.equal((await s.api.delete(`/api/users/${u.id}`, { token: admin.key })).status, 204);
    assert.equal((await me(u.key)).status, 401);
  });

  it("a role taken from the owner, or a permission taken from the role, applies on the next request", async () => {
    const db = sqlite(s);
    const now = new Date().toISOString();
    const roleId = newId();
    db.prepare('INSERT INTO roles (id, name, description, is_system, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)').run(roleId, 'cache-reader', '', now, now);
    db.prepare("INSERT INTO role_permissions (role_id, permission_id) SELECT ?, id FROM permissions WHERE name = 'device:list'").run(roleId);
    const u = await createTestUser(s.env, ['cache-reader']);
    const list = () => s.api.get('/api/devices', { token: u.key });
    for (let i = 0; i < 3; i++) assert.equal((await list()).status, 200);
    // The permission leaves the role, from another connection.
    other.prepare("DELETE FROM role_permissions WHERE role_id = ? AND permission_id = (SELECT id FROM permissions WHERE name = 'device:list')").run(roleId);
    assert.equal((await list()).status, 403);
    // Back on the role, then the role leaves the user, through the API.
    db.prepare("INSERT INTO role_permissions (role_id, permission_id) SELECT ?, id FROM permissions WHERE name = 'device:list'").run(roleId);
    for (let i = 0; i < 3; i++) assert.equal((await list()).status, 200);
    assert.equal((await s.api.post('/api/users/revoke-role', { user_id: u.id, role_id: roleId }, { token: admin.key })).status, 204);
    assert.equal((await list()).status, 403);
  });

  it('a cached key stops at its expiry time, with no write in between', async () => {
    const u = await createTestUser(s.env, ['viewer']);
    const created = await s.api.post('/api/keys', { name: 'short', expires_at: new Date(Date.now() + 3_600_000).toISOString() }, { token: u.key });
    assert.equal(created.status, 201);
    await warm(created.body.key);
    const clock = s.env.clock;
    const real = clock.now;
    clock.now = () => new Date(Date.now() + 3_600_001);
    try {
      const res = await me(created.body.key);
      assert.equal(res.status, 401);
      assert.equal(res.body.code, 'EXPIRED_KEY');
    } finally {
      clock.now = real;
    }
    await warm(created.body.key);
  });
});
