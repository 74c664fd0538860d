// API keys for scripts and agents: a key narrowed to scopes acts with its owner's current
// permissions ∩ its scopes (per request, so role changes apply at once), MCP lists only what it
// may call, every built-in role may make keys of its own, an administrator may make one for a
// service account (audited with both names), and nobody can make a key broader than themselves.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { SYSTEM_ROLES } from '../../src/auth/permissions.ts';
import { expandScopes } from '../../src/auth/scopes.ts';
import { auditLogs } from '../../src/db/schema/index.ts';
import { connectMcp } from '../helpers/mcp.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';
import { guard } from './support.ts';

describe('API keys narrowed to scopes, and service-account keys', () => {
  let s: TestServer;
  let admin: TestUser;
  let viewer: TestUser;
  let operator: TestUser;

  before(async () => {
    s = await startTestServer();
    guard(s.api);
    admin = await createTestUser(s.env, ['admin']);
    viewer = await createTestUser(s.env, ['viewer']);
    operator = await createTestUser(s.env, ['operator']);
  });
  after(() => s.stop());

  const mint = async (owner: TestUser, body: Record<string, unknown>) => {
    const res = await s.api.post('/api/keys', { name: `k-${Date.now()}`, ...body }, { token: owner.key });
    assert.equal(res.status, 201, res.text);
    return res.body as { id: string; key: string; scopes: string[] | null; user_id: string; created_by: string | null };
  };

  it('a viewer gets a read-only key for a script; the key is shown once', async () => {
    const k = await mint(viewer, { scopes: ['rackd:read'] });
    assert.deepEqual(k.scopes, ['rackd:read']);
    assert.equal((await s.api.get('/api/devices', { token: k.key })).status, 200);
    const got = await s.api.get(`/api/keys/${k.id}`, { token: viewer.key });
    assert.equal(got.body.key, undefined);
    assert.deepEqual(got.body.scopes, ['rackd:read']);
  });

  it('an operator\'s read-only key cannot write, though the operator can', async () => {
    const k = await mint(operator, { scopes: ['rackd:read'] });
    assert.equal((await s.api.post('/api/datacenters', { name: 'op-dc' }, { token: operator.key })).status, 403, 'operator may not create datacenters anyway');
    assert.equal((await s.api.post('/api/devices', { name: 'by-operator' }, { token: operator.key })).status, 201);
    const refused = await s.api.post('/api/devices', { name: 'by-read-key' }, { token: k.key });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'FORBIDDEN');
    assert.equal((await s.api.get('/api/devices', { token: k.key })).status, 200);
    // What the key may do: the operator's permissions ∩ rackd:read, and nothing else.
    const me = await s.api.get('/api/auth/me', { token: k.key });
    const operatorPerms = SYSTEM_ROLES.find((r) => r.name === 'operator')!.permissions;
    const expected = operatorPerms.filter((p) => expandScopes(['rackd:read']).has(p)).sort();
    assert.deepEqual(me.body.permissions, expected);
    assert.ok(!me.body.permissions.includes('device:create'));
  });

  it('MCP lists only the tools a scoped key may call', async () => {
    const full = await connectMcp(s.url, operator.key);
    const read = await connectMcp(s.url, (await mint(operator, { scopes: ['rackd:read'] })).key);
    const single = await connectMcp(s.url, (await mint(operator, { scopes: ['device:list'] })).key);
    try {
      const names = async (c: typeof full) => new Set((await c.listTools()).tools.map((t) => t.name));
      const [f, r, one] = await Promise.all([names(full), names(read), names(single)]);
      assert.ok(f.has('device_save') && f.has('device_list'));
      assert.ok(r.has('device_list') && r.has('network_get') && !r.has('device_save') && !r.has('discovery_scan'));
      assert.ok(one.has('device_list') && !one.has('device_get') && !one.has('network_list'));
      // search needs any of the three list permissions: device:list is one.
      assert.ok(one.has('search'));
      const call = (await single.callTool({ name: 'network_list', arguments: {} })) as { isError?: boolean; _meta?: Record<string, { code?: string }> };
      assert.equal(call.isError, true);
      assert.equal(call._meta?.['rackd/error']?.code, 'FORBIDDEN');
    } finally {
      await Promise.all([full.close(), read.close(), single.close()]);
    }
  });

  it('a single-permission key acts with exactly that permission (if the owner holds it)', async () => {
    const k = await mint(viewer, { scopes: ['network:list'] });
    assert.equal((await s.api.get('/api/networks', { token: k.key })).status, 200);
    assert.equal((await s.api.get('/api/devices', { token: k.key })).status, 403);
    // A scope the owner's roles do not grant grants nothing.
    const wide = await mint(viewer, { scopes: ['rackd:admin'] });
    assert.equal((await s.api.post('/api/devices', { name: 'x' }, { token: wide.key })).status, 403);
  });

  it('is re-evaluated per request: a role granted or taken applies at once', async () => {
    const u = await createTestUser(s.env, ['viewer']);
    const k = await mint(u, { scopes: ['rackd:write'] });
    assert.equal((await s.api.post('/api/devices', { name: 'before-grant' }, { token: k.key })).status, 403);
    const operatorRole = (await s.api.get('/api/roles?name=operator', { token: admin.key })).body[0].id;
    assert.equal((await s.api.post('/api/users/grant-role', { user_id: u.id, role_id: operatorRole }, { token: admin.key })).status, 201);
    assert.equal((await s.api.post('/api/devices', { name: 'after-grant' }, { token: k.key })).status, 201);
    assert.equal((await s.api.post('/api/users/revoke-role', { user_id: u.id, role_id: operatorRole }, { token: admin.key })).status, 204);
    assert.equal((await s.api.post('/api/devices', { name: 'after-revoke' }, { token: k.key })).status, 403);
  });

  it('refuses unknown scopes and an empty list', async () => {
    const bad = await s.api.post('/api/keys', { name: 'bad', scopes: ['rackd:read', 'devices:read'] }, { token: viewer.key });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'VALIDATION_ERROR');
    assert.match(bad.body.error, /devices:read/);
    const empty = await s.api.post('/api/keys', { name: 'empty', scopes: [] }, { token: viewer.key });
    assert.equal(empty.status, 400);
  });

  it('a key cannot make a key broader than itself', async () => {
    const narrow = await mint(operator, { scopes: ['apikey:create', 'device:list'] });
    const broader = await s.api.post('/api/keys', { name: 'broader' }, { token: narrow.key });
    assert.equal(broader.status, 403);
    assert.equal(broader.body.code, 'FORBIDDEN');
    assert.match(broader.body.error, /narrow it with scopes/);
    const same = await s.api.post('/api/keys', { name: 'same', scopes: ['device:list'] }, { token: narrow.key });
    assert.equal(same.status, 201, same.text);
  });

  it('an administrator creates a key for a service account, audited with both names', async () => {
    const svc = await createTestUser(s.env, ['operator'], `svc-backup-${Date.now() % 10000}`);
    const k = await mint(admin, { user_id: svc.id, scopes: ['rackd:read'], description: 'nightly export' });
    assert.equal(k.user_id, svc.id);
    assert.equal(k.created_by, admin.id);
    const me = await s.api.get('/api/auth/me', { token: k.key });
    assert.equal(me.body.id, svc.id);
    assert.equal((await s.api.post('/api/devices', { name: 'svc' }, { token: k.key })).status, 403, 'read-only');
    const entry = s.env.db.select().from(auditLogs).where(eq(auditLogs.resourceId, k.id)).all().find((e) => e.action === 'apikey.create')!;
    assert.equal(entry.username, admin.username);
    const changes = JSON.parse(entry.changes);
    assert.equal(changes.owner_username, svc.username);
    assert.equal(changes.owner_id, svc.id);
    // The owner sees it among their keys; only administrators make keys for others.
    assert.ok((await s.api.get('/api/keys', { token: svc.key })).body.some((x: { id: string }) => x.id === k.id));
    const refused = await s.api.post('/api/keys', { name: 'for-someone', user_id: svc.id }, { token: operator.key });
    assert.equal(refused.status, 403);
    assert.equal((await s.api.post('/api/keys', { name: 'nobody', user_id: '0190a0a0-0000-7000-8000-00000000dead' }, { token: admin.key })).status, 404);
  });

  it("an administrator's scoped key without rackd:admin is not an administrator", async () => {
    const k = await mint(admin, { scopes: ['rackd:read', 'apikey:list'] });
    const own = await s.api.get('/api/keys', { token: k.key });
    assert.equal(own.status, 200);
    assert.ok(own.body.every((x: { user_id: string }) => x.user_id === admin.id), 'only the admin\'s own keys');
    const all = await s.api.get('/api/keys', { token: admin.key });
    assert.ok(all.body.some((x: { user_id: string }) => x.user_id !== admin.id));
  });
});
