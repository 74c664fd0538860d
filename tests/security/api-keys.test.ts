// API key security: shown once, stored as SHA-256 only, never listed, refused when expired,
// ownerless or unknown, acting with exactly its owner's permissions, last use tracked (throttled).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SYSTEM_ROLES } from '../../src/auth/permissions.ts';
import { newId, randomToken, sha256Hex } from '../../src/platform/ids.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';
import { allStoredText, guard, sleep, sqlite } from './support.ts';

type KeyRow = { id: string; key_hash: string; start: string; user_id: string | null; last_used_at: string | null; expires_at: string | null };

describe('API key security', () => {
  let s: TestServer;
  let admin: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  let viewer: TestUser;
  const row = (id: string) => sqlite(s).prepare('SELECT * FROM api_keys WHERE id = ?').get(id) as KeyRow | undefined;

  before(async () => {
    s = await startTestServer();
    guard(s.api);
    // A custom role that may manage API keys but is not admin: the "own keys only" rule applies.
    const db = sqlite(s);
    const now = new Date().toISOString();
    const roleId = newId();
    db.prepare('INSERT INTO roles (id, name, description, is_system, created_at, updated_at) VALUES (?, ?, ?, 0, ?, ?)').run(roleId, 'key-holder', '', now, now);
    for (const p of ['apikey:list', 'apikey:read', 'apikey:create', 'apikey:delete']) {
      db.prepare('INSERT INTO role_permissions (role_id, permission_id) SELECT ?, id FROM permissions WHERE name = ?').run(roleId, p);
    }
    admin = await createTestUser(s.env, ['admin']);
    alice = await createTestUser(s.env, ['key-holder']);
    bob = await createTestUser(s.env, ['key-holder']);
    viewer = await createTestUser(s.env, ['viewer']);
  });
  after(() => s.stop());

  it('returns the key once: rackd_ prefix and at least 32 random bytes', async () => {
    const res = await s.api.post('/api/keys', { name: 'once', description: 'shown once' }, { token: alice.key });
    assert.equal(res.status, 201);
    const key: string = res.body.key;
    assert.match(key, /^rackd_[A-Za-z0-9_-]{43,}$/);
    assert.ok(Buffer.from(key.slice('rackd_'.length), 'base64url').length >= 32);
    assert.equal(res.body.prefix, key.slice(0, 12));
    assert.equal(res.body.user_id, alice.id);
    assert.equal(res.body.last_used_at, null);
    // Two keys never coincide.
    const other = await s.api.post('/api/keys', { name: 'once-2' }, { token: alice.key });
    assert.notEqual(other.body.key, key);
    // The key works, as its owner.
    const me = await s.api.get('/api/auth/me', { token: key });
    assert.equal(me.status, 200);
    assert.equal(me.body.id, alice.id);
  });

  it('stores only the SHA-256 hex digest; the plaintext is nowhere in the database', async () => {
    const res = await s.api.post('/api/keys', { name: 'hashed' }, { token: alice.key });
    const key: string = res.body.key;
    const stored = row(res.body.id)!;
    assert.equal(stored.key_hash, sha256Hex(key));
    assert.match(stored.key_hash, /^[0-9a-f]{64}$/);
    assert.equal(stored.start, key.slice(0, 12));
    const secretPart = key.slice(12); // everything beyond the displayed prefix
    for (const text of allStoredText(s)) {
      assert.ok(!text.includes(key), 'full key stored');
      assert.ok(!text.includes(secretPart), `secret part of the key stored in: ${text.slice(0, 80)}`);
    }
  });

  it('never returns key material from list or get', async () => {
    const res = await s.api.post('/api/keys', { name: 'listed' }, { token: alice.key });
    const key: string = res.body.key;
    const list = await s.api.get('/api/keys', { token: alice.key });
    const got = await s.api.get(`/api/keys/${res.body.id}`, { token: alice.key });
    const byAdmin = await s.api.get('/api/keys', { token: admin.key });
    for (const r of [list, got, byAdmin]) {
      assert.equal(r.status, 200);
      assert.ok(!r.text.includes(key.slice(12)), 'key material in a read response');
      assert.ok(!r.text.includes(sha256Hex(key)), 'key hash in a read response');
    }
    assert.deepEqual(Object.keys(got.body).sort(), ['created_at', 'created_by', 'description', 'expires_at', 'id', 'last_used_at', 'name', 'prefix', 'scopes', 'user_id']);
    for (const item of list.body) assert.equal(item.key, undefined);
  });

  it('refuses an unknown or malformed key with 401 UNAUTHORIZED', async () => {
    const unknown = ['rackd_' + randomToken(32), randomToken(32), alice.key + 'x', alice.key.slice(0, -1), 'rackd_', 'x'.repeat(300)];
    for (const key of unknown) {
      const res = await s.api.get('/api/auth/me', { token: key });
      assert.equal(res.status, 401, key);
      assert.deepEqual(res.body, { error: 'Unauthorized', code: 'UNAUTHORIZED' });
      assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
    }
    for (const authorization of ['Bearer', 'Bearer ', `Basic ${alice.key}`, `Token ${alice.key}`, alice.key]) {
      const res = await s.api.get('/api/auth/me', { headers: { authorization } });
      assert.equal(res.status, 401, authorization);
      assert.equal(res.body.code, 'UNAUTHORIZED');
    }
  });

  it('refuses an expired key with 401 EXPIRED_KEY', async () => {
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const res = await s.api.post('/api/keys', { name: 'expiring', expires_at: soon }, { token: alice.key });
    assert.equal(res.status, 201);
    assert.equal(Date.parse(res.body.expires_at), Date.parse(soon));
    assert.equal((await s.api.get('/api/auth/me', { token: res.body.key })).status, 200);
    sqlite(s).prepare('UPDATE api_keys SET expires_at = ? WHERE id = ?').run(new Date(Date.now() - 1000).toISOString(), res.body.id);
    const expired = await s.api.get('/api/auth/me', { token: res.body.key });
    assert.equal(expired.status, 401);
    assert.equal(expired.body.code, 'EXPIRED_KEY');
    // An expiry the server cannot read fails closed.
    sqlite(s).prepare('UPDATE api_keys SET expires_at = ? WHERE id = ?').run('not a date', res.body.id);
    assert.equal((await s.api.get('/api/auth/me', { token: res.body.key })).body.code, 'EXPIRED_KEY');
  });

  it('refuses to create a key that has already expired', async () => {
    const res = await s.api.post('/api/keys', { name: 'past', expires_at: new Date(Date.now() - 1000).toISOString() }, { token: alice.key });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'VALIDATION_ERROR');
    assert.equal(res.body.details[0].field, 'expires_at');
  });

  it('refuses a legacy key without an owning user with 401 LEGACY_API_KEY_UNSUPPORTED', async () => {
    const now = new Date().toISOString();
    for (const key of ['rackd_' + randomToken(32), randomToken(32) + '=']) {
      sqlite(s)
        .prepare('INSERT INTO api_keys (id, name, description, key_hash, start, user_id, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?)')
        .run(newId(), `legacy-${key.slice(0, 8)}`, '', sha256Hex(key), key.slice(0, 12), now);
      const res = await s.api.get('/api/auth/me', { token: key });
      assert.equal(res.status, 401, key);
      assert.equal(res.body.code, 'LEGACY_API_KEY_UNSUPPORTED');
      const write = await s.api.post('/api/keys', { name: 'from-legacy' }, { token: key });
      assert.equal(write.status, 401);
    }
  });

  it("acts with exactly its owner's permissions", async () => {
    const me = await s.api.get('/api/auth/me', { token: viewer.key });
    assert.equal(me.status, 200);
    const viewerPerms = [...SYSTEM_ROLES.find((r) => r.name === 'viewer')!.permissions].sort();
    assert.deepEqual(me.body.permissions, viewerPerms);
    // A role without apikey:create cannot mint keys (every built-in role may keep its own).
    const db = sqlite(s);
    const now = new Date().toISOString();
    db.prepare("INSERT INTO roles (id, name, description, is_system, created_at, updated_at) VALUES (?, 'no-keys', '', 0, ?, ?)").run(newId(), now, now);
    db.prepare("INSERT INTO role_permissions (role_id, permission_id) SELECT r.id, p.id FROM roles r, permissions p WHERE r.name = 'no-keys' AND p.name = 'device:list'").run();
    const noKeys = await createTestUser(s.env, ['no-keys']);
    const before = (sqlite(s).prepare('SELECT count(*) AS n FROM api_keys').get() as { n: number }).n;
    const res = await s.api.post('/api/keys', { name: 'escalate' }, { token: noKeys.key });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'FORBIDDEN');
    assert.equal((sqlite(s).prepare('SELECT count(*) AS n FROM api_keys').get() as { n: number }).n, before);
    assert.equal((await s.api.get('/api/keys', { token: noKeys.key })).status, 403);
    // Grants follow the owner: a role taken away is gone for the key on its next request.
    sqlite(s).prepare("DELETE FROM user_roles WHERE user_id = ?").run(alice.id);
    try {
      assert.equal((await s.api.get('/api/keys', { token: alice.key })).status, 403);
    } finally {
      sqlite(s)
        .prepare("INSERT INTO user_roles (user_id, role_id, created_at) SELECT ?, id, ? FROM roles WHERE name = 'key-holder'")
        .run(alice.id, new Date().toISOString());
    }
    assert.equal((await s.api.get('/api/keys', { token: alice.key })).status, 200);
  });

  it('stops working when its owner is deactivated', async () => {
    const u = await createTestUser(s.env, ['viewer']);
    assert.equal((await s.api.get('/api/auth/me', { token: u.key })).status, 200);
    sqlite(s).prepare('UPDATE users SET is_active = 0 WHERE id = ?').run(u.id);
    const res = await s.api.get('/api/auth/me', { token: u.key });
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'UNAUTHORIZED');
  });

  it('records last use, writing at most once a minute', async () => {
    const created = await s.api.post('/api/keys', { name: 'tracked' }, { token: alice.key });
    const { id, key } = created.body;
    assert.equal(row(id)!.last_used_at, null);
    const t0 = Date.now();
    assert.equal((await s.api.get('/api/auth/me', { token: key })).status, 200);
    const first = row(id)!.last_used_at!;
    assert.ok(first, 'last_used_at set on first use');
    assert.ok(Math.abs(Date.parse(first) - t0) < 5000);
    await sleep(20);
    assert.equal((await s.api.get('/api/auth/me', { token: key })).status, 200);
    assert.equal(row(id)!.last_used_at, first, 'a second use within a minute does not write');
    const listed = await s.api.get(`/api/keys/${id}`, { token: alice.key });
    assert.equal(listed.body.last_used_at, first);
    // Once the recorded use is older than a minute, the next use writes again.
    const old = new Date(Date.now() - 61_000).toISOString();
    sqlite(s).prepare('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(old, id);
    assert.equal((await s.api.get('/api/auth/me', { token: key })).status, 200);
    const third = row(id)!.last_used_at!;
    assert.ok(Date.parse(third) > Date.parse(old) + 60_000);
    // Failed authentication (expired) does not count as use.
    sqlite(s).prepare('UPDATE api_keys SET last_used_at = NULL, expires_at = ? WHERE id = ?').run(old, id);
    assert.equal((await s.api.get('/api/auth/me', { token: key })).status, 401);
    assert.equal(row(id)!.last_used_at, null);
  });

  it("shows a non-admin only their own keys and refuses another user's key", async () => {
    const bobs = await s.api.post('/api/keys', { name: 'bobs-key' }, { token: bob.key });
    assert.equal(bobs.status, 201);
    const aliceList = await s.api.get('/api/keys', { token: alice.key });
    assert.equal(aliceList.status, 200);
    assert.ok(aliceList.body.length > 0);
    for (const k of aliceList.body) assert.equal(k.user_id, alice.id);
    assert.equal(Number(aliceList.headers.get('x-total-count')), aliceList.body.length);
    assert.ok(!aliceList.body.some((k: { id: string }) => k.id === bobs.body.id));
    const get = await s.api.get(`/api/keys/${bobs.body.id}`, { token: alice.key });
    assert.equal(get.status, 403);
    const del = await s.api.delete(`/api/keys/${bobs.body.id}`, { token: alice.key });
    assert.equal(del.status, 403);
    assert.ok(row(bobs.body.id), "bob's key survives alice's delete");
    assert.equal((await s.api.get('/api/auth/me', { token: bobs.body.key })).status, 200);
    // An admin sees everyone's keys.
    const all = await s.api.get('/api/keys', { token: admin.key });
    assert.ok(all.body.some((k: { id: string }) => k.id === bobs.body.id));
    assert.equal((await s.api.get(`/api/keys/${bobs.body.id}`, { token: admin.key })).status, 200);
  });

  it('revokes a key on delete, by its owner or an admin', async () => {
    const own = await s.api.post('/api/keys', { name: 'revoke-me' }, { token: bob.key });
    assert.equal((await s.api.get('/api/auth/me', { token: own.body.key })).status, 200);
    assert.equal((await s.api.delete(`/api/keys/${own.body.id}`, { token: bob.key })).status, 204);
    const after = await s.api.get('/api/auth/me', { token: own.body.key });
    assert.equal(after.status, 401);
    assert.equal(after.body.code, 'UNAUTHORIZED');
    assert.equal(row(own.body.id), undefined);
    assert.equal((await s.api.get(`/api/keys/${own.body.id}`, { token: bob.key })).status, 404);

    const theirs = await s.api.post('/api/keys', { name: 'admin-revokes' }, { token: bob.key });
    assert.equal((await s.api.delete(`/api/keys/${theirs.body.id}`, { token: admin.key })).status, 204);
    assert.equal((await s.api.get('/api/auth/me', { token: theirs.body.key })).status, 401);
  });

  it("a key that deletes itself is revoked for its very next request", async () => {
    const self = await s.api.post('/api/keys', { name: 'self-destruct' }, { token: alice.key });
    assert.equal((await s.api.delete(`/api/keys/${self.body.id}`, { token: self.body.key })).status, 204);
    assert.equal((await s.api.get('/api/keys', { token: self.body.key })).status, 401);
  });
});
