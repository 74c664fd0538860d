import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'drizzle-orm';
import { systemContext } from '../../src/auth/context.ts';
import { getDevice } from '../../src/services/devices/get.ts';
import { saveDevice } from '../../src/services/devices/save.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

describe('pools, next free IP and ip_allocate over REST', () => {
  let s: TestServer;
  let admin: TestUser;
  let operator: TestUser;
  let viewer: TestUser;
  const as = (u: TestUser = admin) => ({ token: u.key });
  const network = async (subnet: string, name = subnet) => (await s.api.post('/api/networks', { name, subnet }, as())).body as { id: string };
  const pool = async (networkId: string, start_ip: string, end_ip: string, extra: Record<string, unknown> = {}) => {
    const r = await s.api.post(`/api/networks/${networkId}/pools`, { name: `${start_ip}-${end_ip}`, start_ip, end_ip, ...extra }, as());
    assert.equal(r.status, 201, r.text);
    return r.body as { id: string; network_id: string };
  };
  const claims = (poolId: string) => s.env.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM pool_claims WHERE pool_id = ${poolId}`).n;

  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
    operator = await createTestUser(s.env, ['operator']);
    viewer = await createTestUser(s.env, ['viewer']);
  });
  after(() => s.stop());

  it('creates a pool inside its network with tags and utilization, lists and updates it partially', async () => {
    const n = await network('10.1.0.0/24');
    const created = await s.api.post(`/api/networks/${n.id}/pools`, { name: 'servers', start_ip: '10.1.0.10', end_ip: '10.1.0.19', tags: ['prod', 'web', 'prod'] }, as());
    assert.equal(created.status, 201);
    assert.equal(created.body.network_id, n.id);
    assert.deepEqual(created.body.tags, ['prod', 'web']);
    assert.deepEqual(created.body.utilization, { total: 10, used: 0, available: 10, utilization: 0, total_exact: '10', available_exact: '10' });
    const list = await s.api.get(`/api/networks/${n.id}/pools`, as(viewer));
    assert.equal(list.status, 200);
    assert.equal(list.headers.get('x-total-count'), '1');
    assert.equal(list.body[0].id, created.body.id);
    assert.equal((await s.api.get('/api/networks/nope/pools', as())).status, 404);
    const upd = await s.api.put(`/api/pools/${created.body.id}`, { description: 'd' }, as());
    assert.equal(upd.status, 200);
    assert.equal(upd.body.name, 'servers');
    assert.deepEqual(upd.body.tags, ['prod', 'web']);
    assert.equal(upd.body.start_ip, '10.1.0.10');
    const retag = await s.api.put(`/api/pools/${created.body.id}`, { tags: ['lab'], end_ip: '10.1.0.29' }, as());
    assert.deepEqual(retag.body.tags, ['lab']);
    assert.equal(retag.body.utilization.total, 20);
    const move = await s.api.put(`/api/pools/${created.body.id}`, { network_id: n.id }, as());
    assert.equal(move.status, 400);
    assert.equal(move.body.details[0].field, 'network_id');
  });

  it('validates ranges: parse, family, order, inside the usable hosts, no overlap', async () => {
    const n = await network('10.2.0.0/24');
    const cases: [Record<string, string>, string][] = [
      [{ start_ip: 'x', end_ip: '10.2.0.5' }, 'start_ip'],
      [{ start_ip: '10.2.0.5', end_ip: '10.2.0.256' }, 'end_ip'],
      [{ start_ip: '10.2.0.9', end_ip: '10.2.0.5' }, 'end_ip'],
      [{ start_ip: '10.3.0.1', end_ip: '10.3.0.5' }, 'start_ip'],
      [{ start_ip: '10.2.0.250', end_ip: '10.2.1.5' }, 'end_ip'],
      [{ start_ip: '10.2.0.0', end_ip: '10.2.0.5' }, 'start_ip'],
      [{ start_ip: '10.2.0.200', end_ip: '10.2.0.255' }, 'end_ip'],
      [{ start_ip: '2001:db8::1', end_ip: '2001:db8::5' }, 'start_ip'],
    ];
    for (const [body, field] of cases) {
      const r = await s.api.post(`/api/networks/${n.id}/pools`, { name: 'bad', ...body }, as());
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.code, 'VALIDATION_ERROR');
      assert.equal(r.body.details[0].field, field, JSON.stringify(body));
    }
    const missing = await s.api.post(`/api/networks/${n.id}/pools`, { name: 'bad', start_ip: '10.2.0.1' }, as());
    assert.equal(missing.body.details[0].field, 'end_ip');
    assert.equal((await s.api.post('/api/networks/nope/pools', { name: 'x', start_ip: '10.2.0.1', end_ip: '10.2.0.2' }, as())).status, 404);
    const a = await pool(n.id, '10.2.0.10', '10.2.0.20');
    const overlap = await s.api.post(`/api/networks/${n.id}/pools`, { name: 'o', start_ip: '10.2.0.20', end_ip: '10.2.0.30' }, as());
    assert.equal(overlap.status, 409);
    assert.equal(overlap.body.code, 'CONFLICT');
    await pool(n.id, '10.2.0.21', '10.2.0.30'); // adjacent is fine
    const grow = await s.api.put(`/api/pools/${a.id}`, { end_ip: '10.2.0.25' }, as());
    assert.equal(grow.status, 409);
    // Another network may hold the same range: overlap is only refused within one network.
    const other = await network('10.2.0.0/16', 'wide');
    await pool(other.id, '10.2.0.10', '10.2.0.20');
  });

  it('handles IPv6 pools', async () => {
    const n = await network('2001:db8:1::/64');
    const p = await pool(n.id, '2001:db8:1::1:0', '2001:DB8:1::ffff:ffff');
    const got = await s.api.get(`/api/pools/${p.id}`, as());
    assert.equal(got.body.end_ip, '2001:db8:1::ffff:ffff');
    assert.equal(got.body.utilization.total_exact, String(0xffffffffn - 0x10000n + 1n));
    const a = await s.api.post(`/api/pools/${p.id}/allocate`, {}, as());
    assert.equal(a.status, 201);
    assert.equal(a.body.ip, '2001:db8:1::1:0');
    assert.equal((await s.api.get(`/api/pools/${p.id}/next-ip`, as())).body.ip, '2001:db8:1::1:1');
    const whole = await network('2001:db8:2::/64');
    const big = await pool(whole.id, '2001:db8:2::', '2001:db8:2::ffff:ffff:ffff:ffff');
    const bigGot = await s.api.get(`/api/pools/${big.id}`, as());
    assert.equal(bigGot.body.utilization.total_exact, (1n << 64n).toString());
    const heat = await s.api.get(`/api/pools/${big.id}/heatmap`, as());
    assert.equal(heat.status, 200);
    assert.equal(heat.body.length, 65_536);
    assert.equal(heat.body[65_535].ip, '2001:db8:2::ffff');
  });

  it('next-ip skips addresses used by devices and by active reservations, and adopts existing device addresses', async () => {
    const n = await network('10.3.0.0/24');
    const d = await saveDevice(s.env, systemContext('test'), { name: 'early', addresses: [{ ip: '10.3.0.2' }] });
    assert.equal(d.addresses[0]!.network_id, n.id);
    assert.equal(d.addresses[0]!.pool_id, null);
    const p = await pool(n.id, '10.3.0.1', '10.3.0.10');
    const adopted = await getDevice(s.env, systemContext('test'), { id: d.id });
    assert.equal(adopted.addresses[0]!.pool_id, p.id);
    assert.equal((await s.api.get(`/api/pools/${p.id}`, as())).body.utilization.used, 1);
    const r = await s.api.post('/api/reservations', { pool_id: p.id, ip_address: '10.3.0.1' }, as());
    assert.equal(r.status, 201);
    await saveDevice(s.env, systemContext('test'), { name: 'later', addresses: [{ ip: '10.3.0.3' }] });
    const next = await s.api.get(`/api/pools/${p.id}/next-ip`, as(viewer));
    assert.equal(next.status, 200);
    assert.deepEqual(next.body, { ip: '10.3.0.4' });
    assert.equal((await s.api.get(`/api/pools/${p.id}/next-ip`, as(viewer))).body.ip, '10.3.0.4', 'read-only: does not take it');
    await s.api.post(`/api/reservations/${r.body.id}/release`, undefined, as());
    assert.equal((await s.api.get(`/api/pools/${p.id}/next-ip`, as())).body.ip, '10.3.0.1');
    const heat = await s.api.get(`/api/pools/${p.id}/heatmap`, as());
    assert.equal(heat.headers.get('x-total-count'), '10');
    assert.deepEqual(heat.body.slice(0, 4), [
      { ip: '10.3.0.1', status: 'available' },
      { ip: '10.3.0.2', status: 'used', device_id: d.id },
      { ip: '10.3.0.3', status: 'used', device_id: heat.body[2].device_id },
      { ip: '10.3.0.4', status: 'available' },
    ]);
    await s.api.post('/api/reservations', { pool_id: p.id, ip_address: '10.3.0.4' }, as());
    assert.deepEqual((await s.api.get(`/api/pools/${p.id}/heatmap`, as())).body[3], { ip: '10.3.0.4', status: 'reserved' });
    const shrink = await s.api.put(`/api/pools/${p.id}`, { start_ip: '10.3.0.3' }, as());
    assert.equal(shrink.status, 409);
    assert.equal(shrink.body.code, 'CONFLICT');
  });

  it('allocates to a device: a new address after the existing ones, in the pool and its network', async () => {
    const n = await network('10.4.0.0/24');
    const p = await pool(n.id, '10.4.0.100', '10.4.0.110');
    const d = await saveDevice(s.env, systemContext('test'), { name: 'host', addresses: [{ ip: '192.0.2.1', label: 'oob' }] });
    const r = await s.api.post(`/api/pools/${p.id}/allocate`, { device_id: d.id, label: 'eth0' }, as());
    assert.equal(r.status, 201);
    assert.equal(r.body.ip, '10.4.0.100');
    assert.equal(r.body.device_id, d.id);
    assert.equal(r.body.network_id, n.id);
    assert.equal(r.body.idempotent_replay, false);
    assert.equal(r.body.reservation_id, undefined);
    const dev = await getDevice(s.env, systemContext('test'), { id: d.id });
    assert.equal(dev.addresses.length, 2);
    assert.equal(dev.addresses[0]!.ip, '192.0.2.1');
    assert.deepEqual(dev.addresses[1], { id: r.body.address_id, ip: '10.4.0.100', type: 'ipv4', port: null, label: 'eth0', network_id: n.id, pool_id: p.id, switch_port: '' });
    const found = await s.api.get('/api/search?q=10.4.0.100', as());
    assert.ok(JSON.stringify(found.body).includes(d.id), 'the device is found by its new address');
    const missing = await s.api.post(`/api/pools/${p.id}/allocate`, { device_id: 'nope' }, as());
    assert.equal(missing.status, 404);
    assert.equal(missing.body.details[0].field, 'device_id');
    const mixed = await s.api.post(`/api/pools/${p.id}/allocate`, { device_id: d.id, hostname: 'x' }, as());
    assert.equal(mixed.status, 400);
    assert.equal(mixed.body.details[0].field, 'hostname');
    assert.equal((await s.api.post('/api/pools/nope/allocate', {}, as())).status, 404);
    assert.equal(claims(p.id), 1);
  });

  it('allocates a reservation without device_id, replays an idempotency key and refuses its reuse with another body', async () => {
    const n = await network('10.5.0.0/24');
    const p = await pool(n.id, '10.5.0.1', '10.5.0.50');
    const first = await s.api.post(`/api/pools/${p.id}/allocate`, { idempotency_key: 'job-42', hostname: 'web1' }, as(operator));
    assert.equal(first.status, 201);
    assert.equal(first.body.ip, '10.5.0.1');
    const res = await s.api.get(`/api/reservations/${first.body.reservation_id}`, as());
    assert.equal(res.body.hostname, 'web1');
    assert.equal(res.body.reserved_by, operator.id);
    assert.equal(res.body.status, 'active');
    const again = await s.api.post(`/api/pools/${p.id}/allocate`, { idempotency_key: 'job-42', hostname: 'web1' }, as(operator));
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, { ...first.body, idempotent_replay: true });
    assert.equal(claims(p.id), 1, 'the replay claimed nothing');
    const other = await s.api.post(`/api/pools/${p.id}/allocate`, { idempotency_key: 'job-42', hostname: 'web2' }, as(operator));
    assert.equal(other.status, 409);
    assert.equal(other.body.code, 'CONFLICT');
    const d = await saveDevice(s.env, systemContext('test'), { name: 'dev' });
    const withDevice = await s.api.post(`/api/pools/${p.id}/allocate`, { idempotency_key: 'job-42', device_id: d.id }, as());
    assert.equal(withDevice.status, 409);
    const next = await s.api.post(`/api/pools/${p.id}/allocate`, { idempotency_key: 'job-43', hostname: 'web1' }, as(operator));
    assert.equal(next.body.ip, '10.5.0.2');
    const longKey = await s.api.post(`/api/pools/${p.id}/allocate`, { idempotency_key: 'k'.repeat(129) }, as());
    assert.equal(longKey.status, 400);
    assert.equal(claims(p.id), 2);
  });

  it('reports an exhausted pool as 409 IP_NOT_AVAILABLE on next-ip and allocate', async () => {
    const n = await network('10.6.0.0/30');
    const p = await pool(n.id, '10.6.0.1', '10.6.0.2');
    assert.equal((await s.api.post(`/api/pools/${p.id}/allocate`, {}, as())).body.ip, '10.6.0.1');
    assert.equal((await s.api.post(`/api/pools/${p.id}/allocate`, {}, as())).body.ip, '10.6.0.2');
    const full = await s.api.post(`/api/pools/${p.id}/allocate`, {}, as());
    assert.equal(full.status, 409);
    assert.equal(full.body.code, 'IP_NOT_AVAILABLE');
    const next = await s.api.get(`/api/pools/${p.id}/next-ip`, as());
    assert.equal(next.status, 409);
    assert.equal(next.body.code, 'IP_NOT_AVAILABLE');
    const pd = await s.api.get(`/api/pools/${p.id}`, as());
    assert.deepEqual(pd.body.utilization, { total: 2, used: 2, available: 0, utilization: 100, total_exact: '2', available_exact: '0' });
  });

  it('enforces permissions: viewer cannot allocate; reservation:create is not enough for a device', async () => {
    const n = await network('10.7.0.0/24');
    const p = await pool(n.id, '10.7.0.1', '10.7.0.9');
    const v = await s.api.post(`/api/pools/${p.id}/allocate`, {}, as(viewer));
    assert.equal(v.status, 403);
    assert.equal(v.body.code, 'FORBIDDEN');
    assert.equal((await s.api.post(`/api/networks/${n.id}/pools`, { name: 'x', start_ip: '10.7.0.20', end_ip: '10.7.0.30' }, as(viewer))).status, 403);
    const role = await s.api.post('/api/roles', { name: 'reserver', description: 'r', permissions: ['pool:read', 'reservation:create'] }, as());
    assert.equal(role.status, 201, role.text);
    const reserver = await createTestUser(s.env, ['reserver']);
    assert.equal((await s.api.post(`/api/pools/${p.id}/allocate`, {}, as(reserver))).status, 201);
    const d = await saveDevice(s.env, systemContext('test'), { name: 'nodev' });
    const dev = await s.api.post(`/api/pools/${p.id}/allocate`, { device_id: d.id }, as(reserver));
    assert.equal(dev.status, 403);
    assert.match(dev.body.error, /device:update/);
    const noRead = await s.api.post('/api/roles', { name: 'blind', description: 'b', permissions: ['reservation:create', 'device:update'] }, as());
    assert.equal(noRead.status, 201, noRead.text);
    const blind = await createTestUser(s.env, ['blind']);
    const br = await s.api.post(`/api/pools/${p.id}/allocate`, {}, as(blind));
    assert.equal(br.status, 403);
    assert.match(br.body.error, /pool:read/);
    assert.equal((await s.api.post(`/api/pools/${p.id}/allocate`, { device_id: d.id }, as(operator))).status, 201);
    assert.equal((await s.api.delete(`/api/pools/${p.id}`, as(operator))).status, 403);
  });

  it('deletes a pool with its reservations; device addresses stay, unlinked', async () => {
    const n = await network('10.8.0.0/24');
    const p = await pool(n.id, '10.8.0.1', '10.8.0.9');
    const d = await saveDevice(s.env, systemContext('test'), { name: 'keep' });
    const a = await s.api.post(`/api/pools/${p.id}/allocate`, { device_id: d.id }, as());
    const r = await s.api.post(`/api/pools/${p.id}/allocate`, {}, as());
    assert.equal((await s.api.delete(`/api/pools/${p.id}`, as())).status, 204);
    assert.equal((await s.api.get(`/api/pools/${p.id}`, as())).status, 404);
    assert.equal((await s.api.get(`/api/reservations/${r.body.reservation_id}`, as())).status, 404);
    const dev = await getDevice(s.env, systemContext('test'), { id: d.id });
    assert.equal(dev.addresses[0]!.id, a.body.address_id);
    assert.equal(dev.addresses[0]!.pool_id, null);
    assert.equal(dev.addresses[0]!.network_id, n.id);
    assert.equal(claims(p.id), 0);
  });
});
