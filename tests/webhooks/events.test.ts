// Events through the outbox to a real receiver: every resource's writes publish their event with
// before/after and no secrets, signed so that the independent `standardwebhooks` library verifies
// them; reads publish nothing; filters, the catalogue, pool.utilization_high; webhook CRUD keeps
// its secret to itself on every surface.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callTool, connectMcp } from '../helpers/mcp.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';
import { allStoredText } from '../security/support.ts';
import { startReceiver, WEBHOOK_TEST_ENV, type Receiver, type Received } from './receiver.ts';

const RACKD_EVENTS = [
  'device.created', 'device.updated', 'device.deleted', 'device.promoted', 'network.created', 'network.updated', 'network.deleted',
  'discovery.started', 'discovery.completed', 'discovery.device_found', 'conflict.detected', 'conflict.resolved', 'pool.utilization_high',
];

describe('webhook events', () => {
  let s: TestServer;
  let r: Receiver;
  let admin: TestUser;
  let viewer: TestUser;
  let mcp: Client;
  let allId: string;
  let allSecret: string;
  const all = () => r.at('/all');
  const ofType = (type: string) => all().filter((x) => x.payload?.type === type);
  /** Waits for an event of `type` on /all matching `pred`, and returns it. */
  async function event(type: string, pred: (x: Received) => boolean = () => true): Promise<Received> {
    await r.waitFor(() => ofType(type).some(pred), 10_000, type);
    return ofType(type).find(pred)!;
  }
  const token = () => ({ token: admin.key });

  before(async () => {
    r = await startReceiver();
    s = await startTestServer(WEBHOOK_TEST_ENV);
    admin = await createTestUser(s.env, ['admin']);
    viewer = await createTestUser(s.env, ['viewer']);
    mcp = await connectMcp(s.url, admin.key);
    const res = await s.api.post('/api/webhooks', { name: 'everything', url: `${r.url}/all`, events: ['*'] }, token());
    assert.equal(res.status, 201, res.text);
    allId = res.body.id;
    allSecret = res.body.secret;
    r.secrets.set('/all', allSecret);
  });
  after(async () => {
    await mcp?.close();
    await s?.stop();
    await r?.close();
  });

  it('returns a generated Standard Webhooks secret once, and never again on any surface', async () => {
    assert.match(allSecret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(allSecret.slice(6), 'base64').length, 32);
    const got = await s.api.get(`/api/webhooks/${allId}`, token());
    assert.equal(got.status, 200);
    assert.equal(got.body.has_secret, true);
    assert.equal(got.body.active, true);
    assert.deepEqual(got.body.events, ['*']);
    assert.equal(got.body.created_by, admin.id);
    const listed = await s.api.get('/api/webhooks', { token: viewer.key });
    assert.equal(listed.status, 200);
    assert.equal(listed.headers.get('x-total-count'), '1');
    const updated = await s.api.put(`/api/webhooks/${allId}`, { description: 'all of it' }, token());
    assert.equal(updated.status, 200);
    assert.equal(updated.body.description, 'all of it');
    assert.equal(updated.body.name, 'everything');
    const viaMcp = await callTool(mcp, 'webhook_get', { id: allId });
    const listMcp = await callTool(mcp, 'webhook_list', {});
    for (const text of [got.text, listed.text, updated.text, JSON.stringify(viaMcp.raw), JSON.stringify(listMcp.raw)]) {
      assert.ok(!text.includes(allSecret), 'secret leaked');
      assert.ok(!/"secret"/.test(text), `no secret field: ${text}`);
    }
    // At rest: sealed, so the plaintext is nowhere in the database (audit log and outbox included).
    assert.ok(!allStoredText(s).some((v) => v.includes(allSecret.slice(6))), 'secret stored in plaintext');
    const audit = await s.api.get(`/api/audit?resource=webhook&resource_id=${allId}`, token());
    assert.equal(audit.status, 200);
    assert.ok(audit.body.length >= 2, audit.text);
    assert.ok(!audit.text.includes(allSecret.slice(6)));
  });

  it('serves the event catalogue to any authenticated caller', async () => {
    const res = await s.api.get('/api/webhooks/events', { token: viewer.key });
    assert.equal(res.status, 200);
    const types = (res.body as { type: string; value: string; label: string; description: string }[]).map((e) => e.type);
    for (const t of RACKD_EVENTS) assert.ok(types.includes(t), `catalogue lacks ${t}`);
    for (const t of ['datacenter.created', 'user.deleted', 'apikey.created', 'oauth_client.created', 'webhook.updated', 'reservation.released']) assert.ok(types.includes(t), t);
    assert.ok(!types.includes('webhook.ping'));
    for (const e of res.body) {
      assert.equal(e.value, e.type);
      assert.ok(e.label && e.description, e.type);
    }
    assert.equal((await s.api.get('/api/webhooks/events')).status, 401);
  });

  it('publishes device, network and datacenter changes with before/after, signed and verifiable', async () => {
    for (const [kind, path, create, change] of [
      ['device', '/api/devices', { name: 'ev-dev', description: 'one' }, { description: 'two' }],
      ['network', '/api/networks', { name: 'ev-net', subnet: '10.61.0.0/24' }, { description: 'two' }],
      ['datacenter', '/api/datacenters', { name: 'ev-dc' }, { location: 'Lyon' }],
    ] as const) {
      const made = await s.api.post(path, create, token());
      assert.equal(made.status, 201, made.text);
      const id = made.body.id as string;
      assert.equal((await s.api.put(`${path}/${id}`, change, token())).status, 200);
      assert.equal((await s.api.delete(`${path}/${id}`, token())).status, 204);
      const created = await event(`${kind}.created`, (x) => x.payload.data.resource_id === id);
      const updated = await event(`${kind}.updated`, (x) => x.payload.data.resource_id === id);
      const deleted = await event(`${kind}.deleted`, (x) => x.payload.data.resource_id === id);
      assert.equal(created.payload.data.before, null);
      assert.equal(created.payload.data.after.name, create.name);
      const [field, value] = Object.entries(change)[0]!;
      assert.equal(updated.payload.data.after[field], value);
      assert.notEqual(updated.payload.data.before[field], value);
      assert.equal(deleted.payload.data.before.id, id);
      assert.equal(deleted.payload.data.after, null);
      for (const x of [created, updated, deleted]) {
        assert.ok(x.verified, x.verifyError);
        assert.equal(x.headers['webhook-id'], x.payload.id);
        assert.equal(x.headers['content-type'], 'application/json');
        assert.equal(x.headers['user-agent'], 'rackd-webhooks/0.1');
        assert.ok(Math.abs(Number(x.headers['webhook-timestamp']) - Date.now() / 1000) < 60);
        assert.deepEqual(x.payload.actor, { user_id: admin.id, username: admin.username, source: 'api' });
        assert.ok(!Number.isNaN(Date.parse(x.payload.timestamp)));
      }
    }
  });

  it('publishes user and API key changes without passwords, keys or hashes', async () => {
    const password = 'webhook-user-password-1';
    const u = await s.api.post('/api/users', { username: 'evuser', email: 'evuser@example.test', password }, token());
    assert.equal(u.status, 201, u.text);
    assert.equal((await s.api.put(`/api/users/${u.body.id}`, { full_name: 'Ev User' }, token())).status, 200);
    assert.equal((await s.api.post(`/api/users/${u.body.id}/reset-password`, { new_password: 'another-password-22' }, token())).status, 204);
    assert.equal((await s.api.delete(`/api/users/${u.body.id}`, token())).status, 204);
    const key = await s.api.post('/api/keys', { name: 'ev-key' }, token());
    assert.equal(key.status, 201, key.text);
    assert.equal((await s.api.delete(`/api/keys/${key.body.id}`, token())).status, 204);
    const client = await s.api.post('/api/oauth/clients', { client_name: 'ev-agent' }, token());
    assert.equal(client.status, 201, client.text);

    const byId = (id: string) => (x: Received) => x.payload.data.resource_id === id;
    const got = [
      await event('user.created', byId(u.body.id)),
      await event('user.updated', byId(u.body.id)),
      await event('user.password_changed', byId(u.body.id)),
      await event('user.deleted', byId(u.body.id)),
      await event('apikey.created', byId(key.body.id)),
      await event('apikey.deleted', byId(key.body.id)),
      await event('oauth_client.created', byId(client.body.id)),
    ];
    assert.equal(got[0]!.payload.data.after.username, 'evuser');
    assert.equal(got[1]!.payload.data.after.full_name, 'Ev User');
    assert.equal(got[4]!.payload.data.after.name, 'ev-key');
    assert.equal(got[6]!.payload.data.after.client_name, 'ev-agent');
    for (const x of got) {
      assert.ok(x.verified, x.verifyError);
      for (const secret of [password, 'another-password-22', key.body.key, client.body.client_secret]) assert.ok(!x.body.includes(secret), `${x.payload.type} leaks a secret`);
      assert.doesNotMatch(x.body, /password_hash|key_hash|secret_hash|"key":/);
    }
  });

  it('publishes one event per item of a bulk operation', async () => {
    const res = await s.api.post('/api/devices/bulk', [{ name: 'bulk-a' }, { name: 'bulk-b' }], token());
    assert.equal(res.status, 200, res.text);
    const a = await event('device.created', (x) => x.payload.data.after?.name === 'bulk-a');
    const b = await event('device.created', (x) => x.payload.data.after?.name === 'bulk-b');
    assert.notEqual(a.payload.id, b.payload.id);
    const tags = await s.api.post('/api/devices/bulk/tags', { device_ids: [a.payload.data.resource_id], tags: ['hot'] }, token());
    assert.equal(tags.status, 200, tags.text);
    const tagged = await event('device.updated', (x) => x.payload.data.resource_id === a.payload.data.resource_id && x.payload.data.after.tags.includes('hot'));
    assert.deepEqual(tagged.payload.data.before.tags, []);
  });

  it('publishes device.updated for each device whose addresses a new network takes in', async () => {
    const dev = await s.api.post('/api/devices', { name: 'adoptee', addresses: [{ ip: '198.51.100.7' }] }, token());
    assert.equal(dev.status, 201, dev.text);
    assert.equal(dev.body.addresses[0].network_id, null);
    const net = await s.api.post('/api/networks', { name: 'adopter', subnet: '198.51.100.0/24' }, token());
    assert.equal(net.status, 201, net.text);
    const moved = await event('device.updated', (x) => x.payload.data.resource_id === dev.body.id);
    assert.equal(moved.payload.data.before.addresses[0].network_id, null);
    assert.equal(moved.payload.data.after.addresses[0].network_id, net.body.id);
    assert.equal(moved.payload.actor.user_id, admin.id);
    const created = await event('network.created', (x) => x.payload.data.resource_id === net.body.id);
    assert.deepEqual(created.payload.data.details, { adopted_addresses: 1 });
  });

  it('publishes nothing for reads', async () => {
    const dev = await s.api.post('/api/devices', { name: 'read-me' }, token());
    await event('device.created', (x) => x.payload.data.resource_id === dev.body.id);
    const count = () => s.env.db.$client.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
    const before = count().n;
    for (const p of ['/api/devices', `/api/devices/${dev.body.id}`, '/api/networks', '/api/datacenters', '/api/webhooks', `/api/webhooks/${allId}`, '/api/users', '/api/keys', '/api/webhooks/events']) {
      assert.equal((await s.api.get(p, token())).status, 200, p);
    }
    await callTool(mcp, 'device_list', {});
    assert.equal(count().n, before);
  });

  it('delivers to a filtered webhook only the types it subscribed to', async () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const res = await s.api.post('/api/webhooks', { name: 'devices only', url: `${r.url}/dev`, events: ['device.created'], secret }, token());
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.secret, undefined, 'a secret the caller chose is not echoed');
    r.secrets.set('/dev', secret);
    await s.api.post('/api/networks', { name: 'filtered-net', subnet: '10.62.0.0/24' }, token());
    const dev = await s.api.post('/api/devices', { name: 'filtered-dev' }, token());
    await event('device.created', (x) => x.payload.data.resource_id === dev.body.id);
    await r.waitFor(() => r.at('/dev').length >= 1, 5_000, '/dev delivery');
    await event('network.created', (x) => x.payload.data.after?.name === 'filtered-net');
    assert.deepEqual(r.at('/dev').map((x) => x.payload.type), ['device.created']);
    assert.ok(r.at('/dev')[0]!.verified, r.at('/dev')[0]!.verifyError);
    // The same event reaches both webhooks under the same webhook-id.
    assert.equal(r.at('/dev')[0]!.headers['webhook-id'], (await event('device.created', (x) => x.payload.data.resource_id === dev.body.id)).headers['webhook-id']);
    assert.equal((await s.api.delete(`/api/webhooks/${res.body.id}`, token())).status, 204);
    await event('webhook.deleted', (x) => x.payload.data.resource_id === res.body.id);
  });

  it('fires pool.utilization_high once per crossing of 80%', async () => {
    const net = await s.api.post('/api/networks', { name: 'util-net', subnet: '10.63.0.0/24' }, token());
    const pool = await s.api.post(`/api/networks/${net.body.id}/pools`, { name: 'util-pool', start_ip: '10.63.0.10', end_ip: '10.63.0.19' }, token());
    assert.equal(pool.status, 201, pool.text);
    const reservations: string[] = [];
    const allocate = async () => {
      const a = await s.api.post(`/api/pools/${pool.body.id}/allocate`, { hostname: 'u.example.com' }, token());
      assert.equal(a.status, 201, a.text);
      reservations.push(a.body.reservation_id);
    };
    const highs = () => ofType('pool.utilization_high').filter((x) => x.payload.data.resource_id === pool.body.id);
    for (let i = 0; i < 7; i++) await allocate();
    await event('ip.allocated', (x) => x.payload.data.after?.reservation_id === reservations[6]);
    assert.equal(highs().length, 0, 'not at 70%');
    await allocate(); // 8 of 10
    const high = await event('pool.utilization_high', (x) => x.payload.data.resource_id === pool.body.id);
    assert.deepEqual(high.payload.data.after, { pool_id: pool.body.id, pool_name: 'util-pool', network_id: net.body.id, used: 8, size: 10, utilization: 80, threshold: 80 });
    await allocate(); // 9 of 10: still above, no new event
    for (const id of reservations.splice(0, 3)) assert.equal((await s.api.post(`/api/reservations/${id}/release`, {}, token())).status, 200);
    await allocate(); // 6 → 7 of 10: below
    assert.equal(highs().length, 1);
    await allocate(); // 7 → 8 of 10: a second crossing
    await r.waitFor(() => highs().length === 2, 10_000, 'second crossing');
    await event('ip.allocated', (x) => x.payload.data.after?.reservation_id === reservations.at(-1));
    await event('reservation.released', (x) => x.payload.data.after?.status === 'released');
    assert.equal(highs().length, 2);
  });

  it('validates event filters, secrets and fields by name', async () => {
    const bad = async (body: Record<string, unknown>, field: RegExp) => {
      const res = await s.api.post('/api/webhooks', { name: 'bad', url: `${r.url}/x`, events: ['*'], ...body }, token());
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.code, 'VALIDATION_ERROR');
      assert.ok(res.body.details.some((d: { field: string }) => field.test(d.field)), res.text);
    };
    await bad({ events: ['device.exploded'] }, /^events\.0$/);
    await bad({ events: [] }, /^events$/);
    await bad({ secret: 'hunter2' }, /^secret$/);
    await bad({ secret: `whsec_${randomBytes(8).toString('base64')}` }, /^secret$/);
    await bad({ colour: 'red' }, /^colour$/);
    await bad({ id: '0190a0a0-0000-7000-8000-00000000dead' }, /^id$/);
    const res = await s.api.post('/api/webhooks', { name: 'norm', url: `${r.url}/norm`, events: ['device.created', '*'], active: false }, token());
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.events, ['*']);
    assert.equal(res.body.active, false);
    const inactive = await s.api.get('/api/webhooks?active=false', token());
    assert.deepEqual(inactive.body.map((w: { id: string }) => w.id), [res.body.id]);
  });

  it('lets a viewer read webhooks but not create, change, ping or delete them', async () => {
    const created = await s.api.post('/api/webhooks', { name: 'nope', url: `${r.url}/v`, events: ['*'] }, { token: viewer.key });
    assert.equal(created.status, 403);
    assert.equal(created.body.code, 'FORBIDDEN');
    assert.equal((await s.api.put(`/api/webhooks/${allId}`, { name: 'x' }, { token: viewer.key })).status, 403);
    assert.equal((await s.api.post(`/api/webhooks/${allId}/ping`, {}, { token: viewer.key })).status, 403);
    assert.equal((await s.api.delete(`/api/webhooks/${allId}`, { token: viewer.key })).status, 403);
    assert.equal((await s.api.get(`/api/webhooks/${allId}/deliveries`, { token: viewer.key })).status, 200);
    const client = await connectMcp(s.url, viewer.key);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('webhook_list') && !names.includes('webhook_save'));
    const r2 = await callTool(client, 'webhook_save', { name: 'nope', url: `${r.url}/v`, events: ['*'] });
    assert.equal(r2.error!.code, 'FORBIDDEN');
    await client.close();
  });

  it('creates webhooks over MCP too (active by default, generated secret once)', async () => {
    const made = await callTool(mcp, 'webhook_save', { name: 'via mcp', url: `${r.url}/mcp`, events: ['datacenter.created'] });
    assert.ok(made.ok, JSON.stringify(made.error));
    assert.equal(made.data.active, true);
    assert.match(made.data.secret, /^whsec_/);
    r.secrets.set('/mcp', made.data.secret);
    const changed = await callTool(mcp, 'webhook_save', { id: made.data.id, description: 'changed' });
    assert.equal(changed.data.name, 'via mcp');
    assert.equal(changed.data.secret, undefined);
    await s.api.post('/api/datacenters', { name: 'dc-for-mcp-hook' }, token());
    await r.waitFor(() => r.at('/mcp').length === 1, 10_000, '/mcp delivery');
    assert.ok(r.at('/mcp')[0]!.verified);
    const deleted = await callTool(mcp, 'webhook_delete', { id: made.data.id });
    assert.deepEqual(deleted.data, { status: 'deleted', id: made.data.id });
  });

  it('every request that arrived verified with the independent library', () => {
    assert.ok(r.received.length > 20, `${r.received.length}`);
    for (const x of r.received) assert.ok(x.verified, `${x.path} ${x.payload?.type}: ${x.verifyError}`);
    // Event payloads in the outbox carry no secret of any kind either.
    const stored = (s.env.db.$client.prepare('SELECT payload FROM events').all() as { payload: string }[]).map((e) => e.payload).join('\n');
    assert.doesNotMatch(stored, /whsec_|rackd_cs_|password_hash|key_hash|secret_hash/);
  });
});
