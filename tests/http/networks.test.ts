import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemContext } from '../../src/auth/context.ts';
import { getDevice } from '../../src/services/devices/get.ts';
import { saveDevice } from '../../src/services/devices/save.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

describe('networks over REST', () => {
  let s: TestServer;
  let admin: TestUser;
  let viewer: TestUser;
  const as = () => ({ token: admin.key });
  const device = (name: string, ips: string[]) => saveDevice(s.env, systemContext('test'), { name, addresses: ips.map((ip) => ({ ip })) });

  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
    viewer = await createTestUser(s.env, ['viewer']);
  });
  after(() => s.stop());

  it('normalizes an IPv4 CIDR to its network address and an IPv6 one to RFC 5952 form', async () => {
    const v4 = await s.api.post('/api/networks', { name: 'lan', subnet: '10.0.0.5/24', vlan_id: 100 }, as());
    assert.equal(v4.status, 201);
    assert.equal(v4.body.subnet, '10.0.0.0/24');
    assert.equal(v4.body.family, 4);
    assert.equal(v4.body.vlan_id, 100);
    assert.equal(v4.body.datacenter_id, null);
    const v6 = await s.api.post('/api/networks', { name: 'v6', subnet: '2001:DB8:0:0:0:0:0:1/64' }, as());
    assert.equal(v6.status, 201);
    assert.equal(v6.body.subnet, '2001:db8::/64');
    assert.equal(v6.body.family, 6);
    const got = await s.api.get(`/api/networks/${v4.body.id}`, { token: viewer.key });
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, v4.body);
  });

  it('rejects bad CIDRs, VLAN 0 and 4095, unknown fields and a missing datacenter with exact codes', async () => {
    for (const subnet of ['10.0.0.0/33', 'nonsense', '10.0.0.0', '300.1.1.1/8', '2001:db8::/129', '10.0.0.0/24/1']) {
      const r = await s.api.post('/api/networks', { name: 'bad', subnet }, as());
      assert.equal(r.status, 400, subnet);
      assert.equal(r.body.code, 'VALIDATION_ERROR');
      assert.equal(r.body.details[0].field, 'subnet', subnet);
    }
    for (const vlan_id of [0, 4095, -1]) {
      const r = await s.api.post('/api/networks', { name: 'bad', subnet: '10.9.0.0/16', vlan_id }, as());
      assert.equal(r.status, 400, String(vlan_id));
      assert.equal(r.body.details[0].field, 'vlan_id');
    }
    const missingName = await s.api.post('/api/networks', { subnet: '10.9.0.0/16' }, as());
    assert.equal(missingName.status, 400);
    assert.equal(missingName.body.details[0].field, 'name');
    const unknown = await s.api.post('/api/networks', { name: 'x', subnet: '10.9.0.0/16', cidr: '1' }, as());
    assert.equal(unknown.status, 400);
    assert.deepEqual(unknown.body.details, [{ field: 'cidr', message: 'unknown field' }]);
    const dc = await s.api.post('/api/networks', { name: 'x', subnet: '10.9.0.0/16', datacenter_id: 'nope' }, as());
    assert.equal(dc.status, 404);
    assert.equal(dc.body.code, 'NOT_FOUND');
    const withId = await s.api.post('/api/networks', { id: 'x', name: 'x', subnet: '10.9.0.0/16' }, as());
    assert.equal(withId.status, 400);
    const list = await s.api.get('/api/networks?name=bad', as());
    assert.equal(list.body.length, 0);
  });

  it('updates partially: fields not sent keep their values; null clears vlan and datacenter', async () => {
    const dc = await s.api.post('/api/datacenters', { name: 'DC1' }, as());
    const n = await s.api.post('/api/networks', { name: 'part', subnet: '172.16.0.0/16', vlan_id: 7, datacenter_id: dc.body.id, description: 'keep' }, as());
    const u = await s.api.put(`/api/networks/${n.body.id}`, { name: 'part2' }, as());
    assert.equal(u.status, 200);
    assert.equal(u.body.name, 'part2');
    assert.equal(u.body.vlan_id, 7);
    assert.equal(u.body.datacenter_id, dc.body.id);
    assert.equal(u.body.description, 'keep');
    assert.equal(u.body.subnet, '172.16.0.0/16');
    const cleared = await s.api.put(`/api/networks/${n.body.id}`, { vlan_id: null, datacenter_id: null }, as());
    assert.equal(cleared.body.vlan_id, null);
    assert.equal(cleared.body.datacenter_id, null);
    const missing = await s.api.put('/api/networks/does-not-exist', { name: 'x' }, as());
    assert.equal(missing.status, 404);
    const dcInUse = await s.api.put(`/api/networks/${n.body.id}`, { datacenter_id: dc.body.id }, as());
    assert.equal(dcInUse.status, 200);
    assert.equal((await s.api.delete(`/api/datacenters/${dc.body.id}`, as())).body.code, 'IN_USE');
  });

  it('filters by name substring, datacenter and VLAN, pages with X-Total-Count, rejects unknown filters', async () => {
    const dc = await s.api.post('/api/datacenters', { name: 'DC-filter' }, as());
    for (let i = 0; i < 3; i++) {
      await s.api.post('/api/networks', { name: `flt-${i}`, subnet: `192.168.${i}.0/24`, vlan_id: 300 + (i % 2), datacenter_id: dc.body.id }, as());
    }
    const byName = await s.api.get('/api/networks?name=FLT-&limit=2', as());
    assert.equal(byName.status, 200);
    assert.deepEqual(byName.body.map((n: { name: string }) => n.name), ['flt-0', 'flt-1']);
    assert.equal(byName.headers.get('x-total-count'), '3');
    const page2 = await s.api.get('/api/networks?name=flt-&limit=2&offset=2', as());
    assert.deepEqual(page2.body.map((n: { name: string }) => n.name), ['flt-2']);
    const byDc = await s.api.get(`/api/networks?datacenter_id=${dc.body.id}`, as());
    assert.equal(byDc.body.length, 3);
    const byVlan = await s.api.get('/api/networks?vlan_id=301', as());
    assert.deepEqual(byVlan.body.map((n: { name: string }) => n.name), ['flt-1']);
    const unknown = await s.api.get('/api/networks?vlan=301', as());
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.details[0].field, 'vlan');
  });

  it('computes IPv4 utilization exactly from distinct addresses inside the usable hosts', async () => {
    const n = await s.api.post('/api/networks', { name: 'util', subnet: '10.50.1.0/24' }, as());
    await device('u1', ['10.50.1.1', '10.50.1.2', '10.50.1.3']);
    await device('u2', ['10.50.1.3', '10.50.1.254', '10.50.2.1']); // .3 again (counted once); 10.50.2.1 outside
    await device('u3', ['10.50.1.0', '10.50.1.255']); // network and broadcast: no host can use them
    const u = await s.api.get(`/api/networks/${n.body.id}/utilization`, { token: viewer.key });
    assert.equal(u.status, 200);
    assert.deepEqual(u.body, {
      network_id: n.body.id,
      subnet: '10.50.1.0/24',
      total_ips: 254,
      used_ips: 4,
      available_ips: 250,
      utilization: 1.5748,
      total_ips_exact: '254',
      available_ips_exact: '250',
    });
    for (const [subnet, total] of [['10.60.0.0/31', 2], ['10.60.0.8/32', 1], ['10.60.0.4/30', 2], ['10.0.0.0/8', 16777214]] as const) {
      const m = await s.api.post('/api/networks', { name: `t${total}`, subnet }, as());
      const r = await s.api.get(`/api/networks/${m.body.id}/utilization`, as());
      assert.equal(r.body.total_ips, total, subnet);
    }
  });

  it('counts IPv6 utilization without enumerating the prefix', async () => {
    const n = await s.api.post('/api/networks', { name: 'v6util', subnet: '2001:db8:aa::/48' }, as());
    await device('v6a', ['2001:db8:aa::1', '2001:db8:aa:ffff:ffff:ffff:ffff:ffff', '2001:db8:ab::1']);
    const started = performance.now();
    const u = await s.api.get(`/api/networks/${n.body.id}/utilization`, as());
    assert.ok(performance.now() - started < 1000);
    assert.equal(u.body.total_ips_exact, (1n << 80n).toString());
    assert.equal(u.body.available_ips_exact, ((1n << 80n) - 2n).toString());
    assert.equal(u.body.used_ips, 2);
    assert.equal(u.body.total_ips, 2 ** 80);
    const host = await s.api.post('/api/networks', { name: 'v6host', subnet: '2001:db8::7/128' }, as());
    assert.equal((await s.api.get(`/api/networks/${host.body.id}/utilization`, as())).body.total_ips_exact, '1');
  });

  it('refuses a subnet change that would orphan a pool (409) and allows one that keeps it inside', async () => {
    const n = await s.api.post('/api/networks', { name: 'grow', subnet: '10.70.0.0/24' }, as());
    const p = await s.api.post(`/api/networks/${n.body.id}/pools`, { name: 'p', start_ip: '10.70.0.10', end_ip: '10.70.0.20' }, as());
    assert.equal(p.status, 201);
    const shrink = await s.api.put(`/api/networks/${n.body.id}`, { subnet: '10.70.0.0/29' }, as());
    assert.equal(shrink.status, 409);
    assert.equal(shrink.body.code, 'CONFLICT');
    const family = await s.api.put(`/api/networks/${n.body.id}`, { subnet: '2001:db8:70::/64' }, as());
    assert.equal(family.status, 409);
    const grow = await s.api.put(`/api/networks/${n.body.id}`, { subnet: '10.70.0.77/16' }, as());
    assert.equal(grow.status, 200);
    assert.equal(grow.body.subnet, '10.70.0.0/16');
  });

  it('deletes a network with its pools and unlinks device addresses; indexes it for search', async () => {
    const n = await s.api.post('/api/networks', { name: 'zebranet', subnet: '10.80.0.0/24', description: 'doomed' }, as());
    const found = await s.api.get('/api/search?q=zebranet', as());
    assert.equal(found.status, 200);
    assert.ok(JSON.stringify(found.body).includes(n.body.id));
    const p = await s.api.post(`/api/networks/${n.body.id}/pools`, { name: 'p', start_ip: '10.80.0.1', end_ip: '10.80.0.9' }, as());
    const d = await device('in-net', ['10.80.0.5']);
    assert.equal(d.addresses[0]!.network_id, n.body.id);
    assert.equal(d.addresses[0]!.pool_id, p.body.id);
    const res = await s.api.post('/api/reservations', { pool_id: p.body.id }, as());
    assert.equal(res.status, 201);
    assert.equal((await s.api.delete(`/api/networks/${n.body.id}`, { token: viewer.key })).status, 403);
    const del = await s.api.delete(`/api/networks/${n.body.id}`, as());
    assert.equal(del.status, 204);
    assert.equal((await s.api.get(`/api/networks/${n.body.id}`, as())).status, 404);
    assert.equal((await s.api.get(`/api/pools/${p.body.id}`, as())).status, 404);
    assert.equal((await s.api.get(`/api/reservations/${res.body.id}`, as())).status, 404);
    const dev = await getDevice(s.env, systemContext('test'), { id: d.id });
    assert.equal(dev.addresses[0]!.ip, '10.80.0.5');
    assert.equal(dev.addresses[0]!.id, d.addresses[0]!.id);
    assert.equal(dev.addresses[0]!.network_id, null);
    assert.equal(dev.addresses[0]!.pool_id, null);
    const gone = await s.api.get('/api/search?q=zebranet', as());
    assert.ok(!JSON.stringify(gone.body).includes(n.body.id));
    assert.equal((await s.api.delete(`/api/networks/${n.body.id}`, as())).status, 404);
  });

  it('a new network (or a widened subnet) adopts the device addresses inside it that had no network', async () => {
    const before = await device('adopt-a', ['198.18.1.5', '198.19.0.9']);
    const pinned = await device('adopt-b', ['198.18.1.6']);
    assert.equal(before.addresses[0]!.network_id, null);
    const wide = await s.api.post('/api/networks', { name: 'adopt-wide', subnet: '198.18.0.0/16' }, as());
    assert.equal(wide.status, 201);
    // An address already in a network stays there, even when a more specific one appears.
    const narrow = await s.api.post('/api/networks', { name: 'adopt-narrow', subnet: '198.18.1.0/24' }, as());
    assert.equal(narrow.status, 201);
    assert.equal((await getDevice(s.env, systemContext('test'), { id: pinned.id })).addresses[0]!.network_id, wide.body.id);
    const other = await s.api.post('/api/networks', { name: 'adopt-other', subnet: '198.19.0.0/24' }, as());
    const a = await getDevice(s.env, systemContext('test'), { id: before.id });
    assert.deepEqual(a.addresses.map((x) => x.network_id), [wide.body.id, other.body.id]);
    const listed = await s.api.get(`/api/devices?network_id=${other.body.id}`, as());
    assert.deepEqual(listed.body.map((d: { name: string }) => d.name), ['adopt-a']);
    const audit = await s.api.get(`/api/audit?resource=network&resource_id=${wide.body.id}`, as());
    assert.equal(audit.body[0].changes.adopted_addresses, 2);

    // Widening a subnet adopts too; bulk creation adopts like network_save.
    const lone = await device('adopt-c', ['198.20.0.200', '198.21.0.1']);
    const grown = await s.api.post('/api/networks', { name: 'adopt-grow', subnet: '198.20.1.0/24' }, as());
    assert.equal((await s.api.put(`/api/networks/${grown.body.id}`, { subnet: '198.20.0.0/23' }, as())).status, 200);
    const bulk = await s.api.post('/api/networks/bulk', [{ name: 'adopt-bulk', subnet: '198.21.0.0/30' }], as());
    assert.equal(bulk.status, 200, bulk.text);
    const c = await getDevice(s.env, systemContext('test'), { id: lone.id });
    assert.equal(c.addresses[0]!.network_id, grown.body.id);
    assert.ok(c.addresses[1]!.network_id, 'adopted by the bulk-created network');
  });

  it('lets a viewer read but not write', async () => {
    const list = await s.api.get('/api/networks', { token: viewer.key });
    assert.equal(list.status, 200);
    const create = await s.api.post('/api/networks', { name: 'v', subnet: '10.90.0.0/24' }, { token: viewer.key });
    assert.equal(create.status, 403);
    assert.equal(create.body.code, 'FORBIDDEN');
    assert.equal((await s.api.get('/api/networks')).status, 401);
  });
});
