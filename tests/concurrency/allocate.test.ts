// 300 simultaneous ip_allocate calls, REST and MCP mixed, with and without device_id, against a
// /24 pool of 254 hosts: exactly 254 distinct successes, the rest IP_NOT_AVAILABLE, and every
// recorded address read back matches what the callers were told.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { systemContext } from '../../src/auth/context.ts';
import { getDevice } from '../../src/services/devices/get.ts';
import { saveDevice } from '../../src/services/devices/save.ts';
import { callTool, connectMcp } from '../helpers/mcp.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

type Outcome = { ok: true; ip: string; via: string } | { ok: false; code: string; status?: number; via: string };

describe('ip_allocate under concurrency (one process)', () => {
  let s: TestServer;
  let admin: TestUser;
  let clients: Client[];
  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
    clients = await Promise.all(Array.from({ length: 4 }, () => connectMcp(s.url, admin.key)));
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await s.stop();
  });

  const makePool = async (subnet: string, start: string, end: string) => {
    const n = await s.api.post('/api/networks', { name: subnet, subnet }, { token: admin.key });
    const p = await s.api.post(`/api/networks/${n.body.id}/pools`, { name: 'hot', start_ip: start, end_ip: end }, { token: admin.key });
    assert.equal(p.status, 201);
    return p.body.id as string;
  };

  it('300 mixed REST/MCP calls on a /24: 254 distinct addresses, 46 IP_NOT_AVAILABLE, no duplicates', async (t) => {
    const poolId = await makePool('10.40.0.0/24', '10.40.0.1', '10.40.0.254');
    const devices = await Promise.all(Array.from({ length: 5 }, (_, i) => saveDevice(s.env, systemContext('test'), { name: `c${i}` })));
    const call = async (i: number): Promise<Outcome> => {
      const args: Record<string, unknown> = i % 3 === 0 ? { device_id: devices[i % 5]!.id } : { hostname: `h${i}` };
      if (i % 2 === 0) {
        const r = await s.api.post(`/api/pools/${poolId}/allocate`, args, { token: admin.key });
        return r.status === 201 ? { ok: true, ip: r.body.ip, via: 'rest' } : { ok: false, code: r.body.code, status: r.status, via: 'rest' };
      }
      const r = await callTool(clients[i % clients.length]!, 'ip_allocate', { pool_id: poolId, ...args });
      return r.ok ? { ok: true, ip: r.data.ip, via: 'mcp' } : { ok: false, code: r.error!.code, via: 'mcp' };
    };
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: 300 }, (_, i) => call(i)));
    const ms = performance.now() - started;
    t.diagnostic(`300 concurrent ip_allocate calls took ${ms.toFixed(0)} ms`);

    const wins = outcomes.filter((o): o is Extract<Outcome, { ok: true }> => o.ok);
    const losses = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
    assert.equal(wins.length, 254);
    assert.equal(new Set(wins.map((w) => w.ip)).size, 254, 'no address handed out twice');
    assert.equal(losses.length, 46);
    for (const l of losses) {
      assert.equal(l.code, 'IP_NOT_AVAILABLE', JSON.stringify(l));
      if (l.via === 'rest') assert.equal(l.status, 409);
    }
    assert.ok(wins.some((w) => w.via === 'rest') && wins.some((w) => w.via === 'mcp'));

    // Read every allocated address back: active reservations plus the devices' addresses.
    const res = await s.api.get(`/api/reservations?pool_id=${poolId}&status=active&limit=1000`, { token: admin.key });
    const stored = res.body.map((r: { ip_address: string }) => r.ip_address) as string[];
    for (const d of devices) {
      for (const a of (await getDevice(s.env, systemContext('test'), { id: d.id })).addresses) {
        assert.equal(a.pool_id, poolId);
        stored.push(a.ip);
      }
    }
    assert.equal(stored.length, 254);
    assert.deepEqual(new Set(stored), new Set(wins.map((w) => w.ip)));
    const expected = new Set(Array.from({ length: 254 }, (_, i) => `10.40.0.${i + 1}`));
    assert.deepEqual(new Set(stored), expected);
    const pool = await s.api.get(`/api/pools/${poolId}`, { token: admin.key });
    assert.equal(pool.body.utilization.used, 254);
    const heat = await s.api.get(`/api/pools/${poolId}/heatmap`, { token: admin.key });
    assert.ok(heat.body.every((e: { status: string }) => e.status !== 'available'));
  });

  it('concurrent retries with one idempotency key allocate once', async () => {
    const poolId = await makePool('10.41.0.0/24', '10.41.0.1', '10.41.0.254');
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? s.api.post(`/api/pools/${poolId}/allocate`, { idempotency_key: 'same', hostname: 'x' }, { token: admin.key }).then((r) => r.body)
          : callTool(clients[i % clients.length]!, 'ip_allocate', { pool_id: poolId, idempotency_key: 'same', hostname: 'x' }).then((r) => r.data),
      ),
    );
    assert.equal(new Set(outcomes.map((o) => o.ip)).size, 1);
    assert.equal(outcomes.filter((o) => !o.idempotent_replay).length, 1);
    assert.equal(new Set(outcomes.map((o) => o.reservation_id)).size, 1);
    const pool = await s.api.get(`/api/pools/${poolId}`, { token: admin.key });
    assert.equal(pool.body.utilization.used, 1);
  });
});
