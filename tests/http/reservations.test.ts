import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('reservations over REST', () => {
  let s: TestServer;
  let admin: TestUser;
  let opA: TestUser;
  let opB: TestUser;
  let viewer: TestUser;
  let poolId: string;
  let v6PoolId: string;
  const as = (u: TestUser = admin) => ({ token: u.key });

  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
    opA = await createTestUser(s.env, ['operator']);
    opB = await createTestUser(s.env, ['operator']);
    viewer = await createTestUser(s.env, ['viewer']);
    const n = await s.api.post('/api/networks', { name: 'res', subnet: '10.20.0.0/24' }, as());
    poolId = (await s.api.post(`/api/networks/${n.body.id}/pools`, { name: 'p', start_ip: '10.20.0.1', end_ip: '10.20.0.100' }, as())).body.id;
    const n6 = await s.api.post('/api/networks', { name: 'res6', subnet: '2001:db8:20::/64' }, as());
    v6PoolId = (await s.api.post(`/api/networks/${n6.body.id}/pools`, { name: 'p6', start_ip: '2001:db8:20::1', end_ip: '2001:db8:20::ff' }, as())).body.id;
  });
  after(() => s.stop());

  it('creates with an explicit or automatic address and an expiry in days or as a timestamp', async () => {
    const explicit = await s.api.post('/api/reservations', { pool_id: poolId, ip_address: '10.20.0.50', hostname: 'db1', purpose: 'db', notes: 'n', expires_in_days: 30 }, as(opA));
    assert.equal(explicit.status, 201);
    assert.equal(explicit.body.ip_address, '10.20.0.50');
    assert.equal(explicit.body.status, 'active');
    assert.equal(explicit.body.reserved_by, opA.id);
    const days = (Date.parse(explicit.body.expires_at) - Date.now()) / 86_400_000;
    assert.ok(days > 29.99 && days <= 30, String(days));
    const auto = await s.api.post('/api/reservations', { pool_id: poolId, expires_at: '2999-01-01T00:00:00+01:00' }, as(opA));
    assert.equal(auto.status, 201);
    assert.equal(auto.body.ip_address, '10.20.0.1');
    assert.equal(auto.body.expires_at, '2998-12-31T23:00:00.000Z');
    const none = await s.api.post('/api/reservations', { pool_id: v6PoolId, ip_address: '2001:DB8:20:0::10' }, as(opA));
    assert.equal(none.body.ip_address, '2001:db8:20::10');
    assert.equal(none.body.expires_at, null);
  });

  it('rejects bad input with exact codes', async () => {
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ pool_id: poolId, ip_address: '10.20.0.50' }, 409, 'IP_NOT_AVAILABLE', 'ip'],
      [{ pool_id: poolId, ip_address: '10.20.0.200' }, 400, 'VALIDATION_ERROR', 'ip_address'],
      [{ pool_id: poolId, ip_address: '2001:db8:20::5' }, 400, 'VALIDATION_ERROR', 'ip_address'],
      [{ pool_id: poolId, ip_address: 'nope' }, 400, 'VALIDATION_ERROR', 'ip_address'],
      [{ pool_id: poolId, expires_in_days: 366 }, 400, 'VALIDATION_ERROR', 'expires_in_days'],
      [{ pool_id: poolId, expires_in_days: 0 }, 400, 'VALIDATION_ERROR', 'expires_in_days'],
      [{ pool_id: poolId, expires_at: '2000-01-01T00:00:00Z' }, 400, 'VALIDATION_ERROR', 'expires_at'],
      [{ pool_id: poolId, expires_at: 'tomorrow' }, 400, 'VALIDATION_ERROR', 'expires_at'],
      [{ pool_id: poolId, expires_at: '2999-01-01T00:00:00Z', expires_in_days: 3 }, 400, 'VALIDATION_ERROR', 'expires_at'],
      [{ pool_id: poolId, ttl: 3 }, 400, 'VALIDATION_ERROR', 'ttl'],
      [{ pool_id: 'missing' }, 404, 'NOT_FOUND', ''],
    ];
    for (const [body, status, code, field] of cases) {
      const r = await s.api.post('/api/reservations', body, as(opA));
      assert.equal(r.status, status, JSON.stringify(body));
      assert.equal(r.body.code, code, JSON.stringify(body));
      if (field) assert.equal(r.body.details[0].field, field, JSON.stringify(body));
    }
    assert.equal((await s.api.post('/api/reservations', { pool_id: poolId }, as(viewer))).status, 403);
  });

  it('lists with pool, status, reserved_by and ip filters; the pool route shows active ones only', async () => {
    const r = await s.api.post('/api/reservations', { pool_id: v6PoolId, ip_address: '2001:db8:20::20' }, as(opB));
    const byIp = await s.api.get('/api/reservations?ip=2001:DB8:20:0:0:0:0:20', as(viewer));
    assert.equal(byIp.status, 200);
    assert.deepEqual(byIp.body.map((x: { id: string }) => x.id), [r.body.id]);
    const byUser = await s.api.get(`/api/reservations?reserved_by=${opB.id}`, as());
    assert.equal(byUser.headers.get('x-total-count'), '1');
    const byPool = await s.api.get(`/api/reservations?pool_id=${poolId}&status=active`, as());
    assert.deepEqual(byPool.body.map((x: { ip_address: string }) => x.ip_address), ['10.20.0.1', '10.20.0.50']);
    await s.api.post(`/api/reservations/${r.body.id}/release`, undefined, as(opB));
    const released = await s.api.get(`/api/reservations?status=released&pool_id=${v6PoolId}`, as());
    assert.deepEqual(released.body.map((x: { id: string }) => x.id), [r.body.id]);
    const poolRoute = await s.api.get(`/api/pools/${v6PoolId}/reservations`, as());
    assert.ok(poolRoute.body.every((x: { status: string }) => x.status === 'active'));
    assert.ok(!poolRoute.body.some((x: { id: string }) => x.id === r.body.id));
    assert.equal((await s.api.get('/api/pools/missing/reservations', as())).status, 404);
    assert.equal((await s.api.get('/api/reservations?state=active', as())).status, 400);
    assert.equal((await s.api.get('/api/reservations?status=bogus', as())).status, 400);
  });

  it('updates partially and only while active', async () => {
    const r = await s.api.post('/api/reservations', { pool_id: poolId, hostname: 'h1', purpose: 'p1', expires_in_days: 5 }, as(opA));
    const u = await s.api.put(`/api/reservations/${r.body.id}`, { notes: 'more' }, as(opA));
    assert.equal(u.status, 200);
    assert.equal(u.body.hostname, 'h1');
    assert.equal(u.body.purpose, 'p1');
    assert.equal(u.body.notes, 'more');
    assert.equal(u.body.expires_at, r.body.expires_at);
    const noExpiry = await s.api.put(`/api/reservations/${r.body.id}`, { expires_at: null }, as(opA));
    assert.equal(noExpiry.body.expires_at, null);
    await s.api.post(`/api/reservations/${r.body.id}/release`, undefined, as(opA));
    const late = await s.api.put(`/api/reservations/${r.body.id}`, { notes: 'x' }, as(opA));
    assert.equal(late.status, 400);
    assert.equal(late.body.code, 'VALIDATION_ERROR');
    const again = await s.api.post(`/api/reservations/${r.body.id}/release`, undefined, as(opA));
    assert.equal(again.status, 400);
  });

  it('lets only the owner or an admin update, release and delete (catalog §4.1)', async () => {
    const r = await s.api.post('/api/reservations', { pool_id: poolId, ip_address: '10.20.0.60' }, as(opA));
    const upd = await s.api.put(`/api/reservations/${r.body.id}`, { notes: 'mine now' }, as(opB));
    assert.equal(upd.status, 403);
    assert.equal(upd.body.code, 'FORBIDDEN');
    const rel = await s.api.post(`/api/reservations/${r.body.id}/release`, undefined, as(opB));
    assert.equal(rel.status, 403);
    assert.equal((await s.api.get(`/api/reservations/${r.body.id}`, as())).body.status, 'active');
    const own = await s.api.put(`/api/reservations/${r.body.id}`, { notes: 'ok' }, as(opA));
    assert.equal(own.status, 200);
    const adminRel = await s.api.post(`/api/reservations/${r.body.id}/release`, undefined, as());
    assert.equal(adminRel.status, 200);
    assert.deepEqual(adminRel.body, { status: 'released', id: r.body.id, message: 'Reservation of 10.20.0.60 released' });
    const got = await s.api.get(`/api/reservations/${r.body.id}`, as(viewer));
    assert.equal(got.body.status, 'released');
    assert.ok(got.body.released_at);
    // the address is free again
    const re = await s.api.post('/api/reservations', { pool_id: poolId, ip_address: '10.20.0.60' }, as(opB));
    assert.equal(re.status, 201);
    // operators hold no reservation:delete; admins may delete anyone's, which frees the address
    assert.equal((await s.api.delete(`/api/reservations/${re.body.id}`, as(opB))).status, 403);
    assert.equal((await s.api.delete(`/api/reservations/${re.body.id}`, as())).status, 204);
    assert.equal((await s.api.get(`/api/reservations/${re.body.id}`, as())).status, 404);
    assert.equal((await s.api.post('/api/reservations', { pool_id: poolId, ip_address: '10.20.0.60' }, as(opA))).status, 201);
  });

  it('expires reservations in the reservation-expiry job and frees their addresses', async () => {
    const n = await s.api.post('/api/networks', { name: 'exp', subnet: '10.21.0.0/29' }, as());
    const p = (await s.api.post(`/api/networks/${n.body.id}/pools`, { name: 'e', start_ip: '10.21.0.1', end_ip: '10.21.0.6' }, as())).body.id;
    const soon = new Date(Date.now() + 1200).toISOString();
    const short = await s.api.post('/api/reservations', { pool_id: p, expires_at: soon }, as(opA));
    const kept = await s.api.post('/api/reservations', { pool_id: p, expires_in_days: 1 }, as(opA));
    assert.equal(short.body.ip_address, '10.21.0.1');
    assert.equal((await s.api.get(`/api/pools/${p}/next-ip`, as())).body.ip, '10.21.0.3');
    await s.server.scheduler.runNow('reservation-expiry');
    assert.equal((await s.api.get(`/api/reservations/${short.body.id}`, as())).body.status, 'active', 'not yet due');
    await sleep(1300);
    await s.server.scheduler.runNow('reservation-expiry');
    const expired = await s.api.get(`/api/reservations/${short.body.id}`, as());
    assert.equal(expired.body.status, 'expired');
    assert.ok(expired.body.released_at);
    assert.equal((await s.api.get(`/api/reservations/${kept.body.id}`, as())).body.status, 'active');
    assert.equal((await s.api.get(`/api/pools/${p}/next-ip`, as())).body.ip, '10.21.0.1');
    const audit = await s.api.get(`/api/audit?action=reservation.expire&resource_id=${short.body.id}`, as());
    assert.equal(audit.status, 200);
    assert.equal(audit.body.length, 1);
    assert.equal(audit.body[0].source, 'system');
    assert.equal(audit.body[0].status, 'success');
    const again = await s.api.post('/api/reservations', { pool_id: p }, as(opB));
    assert.equal(again.body.ip_address, '10.21.0.1');
  });
});
