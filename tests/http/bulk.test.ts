// REST bulk operations: array bodies, the 100-item cap, all-or-nothing in one transaction
// (one bad item → nothing written, 400 naming devices[i].field), tags, networks, permissions.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

describe('bulk operations over REST', () => {
  let s: TestServer;
  let admin: TestUser;
  let operator: TestUser;
  let viewer: TestUser;
  const as = (u: TestUser) => ({ token: u.key });
  const count = async (q = '') => Number((await s.api.get(`/api/devices?limit=1${q}`, as(admin))).headers.get('x-total-count'));

  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
    operator = await createTestUser(s.env, ['operator']);
    viewer = await createTestUser(s.env, ['viewer']);
  });
  after(() => s.stop());

  it('creates many devices in one request', async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({ name: `bulk-${String(i).padStart(3, '0')}`, tags: ['bulk'] }));
    const r = await s.api.post('/api/devices/bulk', items, as(operator));
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.total, 100);
    assert.equal(r.body.success, 100);
    assert.equal(r.body.failed, 0);
    assert.deepEqual(r.body.errors, []);
    assert.equal(r.body.ids.length, 100);
    assert.equal(await count('&tags=bulk'), 100);
    const found = await s.api.get('/api/devices?query=bulk-042', as(admin));
    assert.equal(found.body[0].name, 'bulk-042');
  });

  it('writes nothing when one item fails, and names every failing item', async () => {
    const before = await count();
    const items = [{ name: 'ok-1' }, { name: 'ok-2', hostname: 'bad host' }, { name: 'ok-3' }, { name: 'ok-4', addresses: [{ ip: '300.1.1.1' }] }];
    const r = await s.api.post('/api/devices/bulk', items, as(admin));
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 'VALIDATION_ERROR');
    assert.deepEqual(r.body.details.map((d: { field: string }) => d.field), ['devices[1].hostname', 'devices[3].addresses[0].ip']);
    // Failures found inside the transaction (not by the schema) also roll everything back.
    const late = await s.api.post('/api/devices/bulk', [{ name: 'ok-5' }, { name: 'ok-6', datacenter_id: 'no-such-dc' }], as(admin));
    assert.equal(late.status, 400);
    assert.equal(late.body.details[0].field, 'devices[1].datacenter_id');
    assert.match(late.body.details[0].message, /NOT_FOUND/);
    assert.equal(await count(), before);
    assert.equal((await s.api.get('/api/devices?query=ok-5', as(admin))).body.length, 0);
  });

  it('refuses more than 100 items, non-array bodies and non-JSON', async () => {
    const tooMany = await s.api.post('/api/devices/bulk', Array.from({ length: 101 }, (_, i) => ({ name: `x${i}` })), as(admin));
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.details[0].field, 'devices');
    const obj = await s.api.post('/api/devices/bulk', { name: 'x' }, as(admin));
    assert.equal(obj.status, 400);
    assert.equal(obj.body.code, 'INVALID_INPUT');
    const empty = await s.api.post('/api/devices/bulk', [], as(admin));
    assert.equal(empty.status, 400);
    const ids = Array.from({ length: 101 }, (_, i) => `id-${i}`);
    assert.equal((await s.api.delete('/api/devices/bulk', { ...as(admin), body: { ids } })).status, 400);
  });

  it('updates partially in bulk and rolls back on an unknown id', async () => {
    const list = (await s.api.get('/api/devices?tags=bulk&limit=3', as(admin))).body;
    const upd = await s.api.put('/api/devices/bulk', list.map((d: { id: string }) => ({ id: d.id, description: 'bulk-updated' })), as(admin));
    assert.equal(upd.status, 200, upd.text);
    const after1 = (await s.api.get(`/api/devices/${list[0].id}`, as(admin))).body;
    assert.equal(after1.description, 'bulk-updated');
    assert.deepEqual(after1.tags, ['bulk']);
    assert.equal(after1.name, list[0].name);
    const bad = await s.api.put('/api/devices/bulk', [{ id: list[0].id, description: 'changed' }, { id: 'ghost', name: 'x' }, { description: 'no id' }], as(admin));
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.details.map((d: { field: string }) => d.field), ['devices[2].id']);
    const bad2 = await s.api.put('/api/devices/bulk', [{ id: list[0].id, description: 'changed' }, { id: 'ghost', name: 'x' }], as(admin));
    assert.equal(bad2.status, 400);
    assert.equal(bad2.body.details[0].field, 'devices[1]');
    assert.equal((await s.api.get(`/api/devices/${list[0].id}`, as(admin))).body.description, 'bulk-updated');
  });

  it('adds and removes tags in bulk', async () => {
    const list = (await s.api.get('/api/devices?tags=bulk&limit=5', as(admin))).body.map((d: { id: string }) => d.id);
    const add = await s.api.post('/api/devices/bulk/tags', { device_ids: list, tags: ['gold', 'gold', 'bulk'] }, as(operator));
    assert.equal(add.status, 200, add.text);
    assert.equal(await count('&tags=gold'), 5);
    assert.equal(await count('&query=gold'), 5);
    const rollback = await s.api.post('/api/devices/bulk/tags', { device_ids: [list[0], 'ghost'], tags: ['silver'] }, as(admin));
    assert.equal(rollback.status, 400);
    assert.equal(rollback.body.details[0].field, 'device_ids[1]');
    assert.equal(await count('&tags=silver'), 0);
    const rm = await s.api.delete('/api/devices/bulk/tags', { ...as(operator), body: { device_ids: list.slice(0, 2), tags: ['gold'] } });
    assert.equal(rm.status, 200, rm.text);
    assert.equal(await count('&tags=gold'), 3);
    assert.deepEqual((await s.api.get(`/api/devices/${list[0]}`, as(admin))).body.tags, ['bulk']);
  });

  it('deletes in bulk, all or nothing, and releases pool addresses', async () => {
    const net = (await s.api.post('/api/networks', { name: 'bulk-net', subnet: '10.77.0.0/24' }, as(admin))).body.id;
    const pool = (await s.api.post(`/api/networks/${net}/pools`, { name: 'bp', start_ip: '10.77.0.1', end_ip: '10.77.0.9' }, as(admin))).body.id;
    const made = await s.api.post('/api/devices/bulk', [{ name: 'del-1', addresses: [{ ip: '10.77.0.1' }] }, { name: 'del-2', addresses: [{ ip: '10.77.0.2' }] }], as(admin));
    assert.equal(made.status, 200, made.text);
    assert.equal((await s.api.get(`/api/pools/${pool}/next-ip`, as(admin))).body.ip, '10.77.0.3');
    const dupInBatch = await s.api.post('/api/devices/bulk', [{ name: 'x', addresses: [{ ip: '10.77.0.5' }] }, { name: 'y', addresses: [{ ip: '10.77.0.5' }] }], as(admin));
    assert.equal(dupInBatch.status, 400);
    assert.equal(dupInBatch.body.details[0].field, 'devices[1].addresses[0].ip');
    assert.match(dupInBatch.body.details[0].message, /IP_NOT_AVAILABLE/);
    assert.equal((await s.api.get(`/api/pools/${pool}/next-ip`, as(admin))).body.ip, '10.77.0.3');

    const partial = await s.api.delete('/api/devices/bulk', { ...as(admin), body: { ids: [made.body.ids[0], 'ghost'] } });
    assert.equal(partial.status, 400);
    assert.equal(partial.body.details[0].field, 'ids[1]');
    assert.equal((await s.api.get(`/api/devices/${made.body.ids[0]}`, as(admin))).status, 200);
    assert.equal((await s.api.delete('/api/devices/bulk', { ...as(operator), body: { ids: made.body.ids } })).status, 403);
    const del = await s.api.delete('/api/devices/bulk', { ...as(admin), body: { ids: made.body.ids } });
    assert.equal(del.status, 200, del.text);
    assert.equal(del.body.success, 2);
    assert.equal((await s.api.get(`/api/devices/${made.body.ids[1]}`, as(admin))).status, 404);
    assert.equal((await s.api.get(`/api/pools/${pool}/next-ip`, as(admin))).body.ip, '10.77.0.1');
    const log = await s.api.get('/api/audit?action=device.bulk_delete&status=success', as(admin));
    assert.deepEqual(log.body[0].changes.ids, made.body.ids);
  });

  it('creates and deletes networks in bulk with CIDR validation', async () => {
    const missing = await s.api.post('/api/networks/bulk', [{ name: 'bn-x', subnet: '10.90.0.0/24' }, { name: 'c' }], as(admin));
    assert.equal(missing.status, 400);
    assert.deepEqual(missing.body.details.map((d: { field: string }) => d.field), ['networks[1].subnet']);
    const badCidr = await s.api.post('/api/networks/bulk', [{ name: 'bn-x', subnet: '10.90.0.0/24' }, { name: 'b', subnet: '10.90.1.0/33' }], as(admin));
    assert.equal(badCidr.status, 400);
    assert.deepEqual(badCidr.body.details.map((d: { field: string }) => d.field), ['networks[1].subnet']);
    assert.equal((await s.api.get('/api/networks?name=bn-x', as(admin))).body.length, 0);
    const ok = await s.api.post('/api/networks/bulk', [{ name: 'bn-a', subnet: '10.90.0.5/24' }, { name: 'bn-b', subnet: '2001:db8:90::/64', vlan_id: 90 }], as(operator));
    assert.equal(ok.status, 200, ok.text);
    const a = (await s.api.get(`/api/networks/${ok.body.ids[0]}`, as(admin))).body;
    assert.equal(a.subnet, '10.90.0.0/24');
    assert.equal((await s.api.delete('/api/networks/bulk', { ...as(operator), body: { ids: ok.body.ids } })).status, 403);
    const rollback = await s.api.delete('/api/networks/bulk', { ...as(admin), body: { ids: [ok.body.ids[0], 'ghost'] } });
    assert.equal(rollback.status, 400);
    assert.equal((await s.api.get(`/api/networks/${ok.body.ids[0]}`, as(admin))).status, 200);
    const del = await s.api.delete('/api/networks/bulk', { ...as(admin), body: { ids: ok.body.ids } });
    assert.equal(del.status, 200, del.text);
    assert.equal((await s.api.get(`/api/networks/${ok.body.ids[1]}`, as(admin))).status, 404);
  });

  it('refuses a viewer and counts bulk calls against the login rate limiter', async () => {
    assert.equal((await s.api.post('/api/devices/bulk', [{ name: 'v' }], as(viewer))).status, 403);
    assert.equal((await s.api.post('/api/networks/bulk', [{ name: 'v', subnet: '10.0.0.0/8' }], as(viewer))).status, 403);
    const limited = await startTestServer({ LOGIN_RATE_LIMIT_REQUESTS: '2' });
    try {
      const key = (await createTestUser(limited.env, ['admin'])).key;
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) codes.push((await limited.api.post('/api/devices/bulk', [{ name: `rl-${i}` }], { token: key })).status);
      assert.deepEqual(codes, [200, 200, 429]);
    } finally {
      await limited.stop();
    }
  });
});
