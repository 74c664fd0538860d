import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { devices } from '../../src/db/schema/index.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser, writerOf } from '../helpers/server.ts';

describe('dashboard', () => {
  let s: TestServer;
  let admin: TestUser;
  let viewer: TestUser;
  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
    viewer = await createTestUser(s.env, ['viewer']);
  });
  after(() => s.stop());

  it('counts every row, not the first page, and computes IPv4 utilization exactly', async () => {
    const net = await s.api.post('/api/networks', { name: 'lan', subnet: '10.20.0.0/24' }, { token: admin.key });
    assert.equal(net.status, 201, net.text);
    const bulk = Array.from({ length: 100 }, (_, i) => ({ name: `d${i}`, status: i < 10 ? 'planned' : 'active', addresses: i < 50 ? [{ ip: `10.20.0.${i + 1}` }] : [] }));
    for (const chunk of [bulk.slice(0, 60), bulk.slice(60)]) {
      const r = await s.api.post('/api/devices/bulk', chunk, { token: admin.key });
      assert.equal(r.status, 200, r.text);
    }
    const more = Array.from({ length: 60 }, (_, i) => ({ name: `e${i}`, status: 'maintenance' }));
    assert.equal((await s.api.post('/api/devices/bulk', more, { token: admin.key })).status, 200);
    const d = await s.api.get('/api/dashboard', { token: viewer.key });
    assert.equal(d.status, 200, d.text);
    assert.equal(d.body.total_devices, 160);
    assert.deepEqual(d.body.device_status_counts, { planned: 10, active: 90, maintenance: 60, decommissioned: 0 });
    assert.equal(d.body.total_networks, 1);
    assert.equal(d.body.ipv4_total_ips, 254);
    assert.equal(d.body.ipv4_used_ips, 50);
    assert.equal(d.body.network_utilization[0].used_ips, 50);
    assert.ok(Math.abs(d.body.overall_utilization - (50 / 254) * 100) < 0.0001, String(d.body.overall_utilization));
  });

  it('lists stale devices by the given threshold', async () => {
    const old = new Date(Date.now() - 30 * 86_400_000).toISOString();
    writerOf(s.env).update(devices).set({ updatedAt: old }).run();
    const d = await s.api.get('/api/dashboard?stale_days=10&stale_limit=5', { token: admin.key });
    assert.equal(d.body.stale_devices, 90);
    assert.equal(d.body.stale_device_list.length, 5);
    assert.equal((await s.api.get('/api/dashboard?stale_days=40', { token: admin.key })).body.stale_devices, 0);
  });

  it('rejects unknown parameters and callers without dashboard:read', async () => {
    assert.equal((await s.api.get('/api/dashboard?colour=1', { token: admin.key })).status, 400);
    const nobody = await createTestUser(s.env, []).catch(() => undefined);
    if (nobody) assert.equal((await s.api.get('/api/dashboard', { token: nobody.key })).status, 403);
  });
});
