// Two rackd processes on one DATA_DIR hammer the same pool at once, over REST and MCP: the
// claims' primary key and IMMEDIATE transactions (with busy_timeout) must keep every address
// unique, and lock waits must never surface as errors.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callTool, connectMcp } from '../helpers/mcp.ts';
import { ADMIN, ApiClient, spawnServer, tempDir, type SpawnedServer } from '../helpers/server.ts';

describe('ip_allocate from two processes sharing one database', () => {
  const dataDir = tempDir('rackd-two-');
  let a: SpawnedServer;
  let b: SpawnedServer;
  let key: string;
  const clients: Client[] = [];
  before(async () => {
    // The second process starts once the first has migrated the database and created the admin.
    a = await spawnServer({ DATA_DIR: dataDir });
    b = await spawnServer({ DATA_DIR: dataDir });
    const api = new ApiClient(a.url);
    const cookie = await api.login(ADMIN.username, ADMIN.password);
    const created = await api.post('/api/keys', { name: 'hammer' }, { cookie });
    assert.equal(created.status, 201, created.text);
    key = created.body.key;
    for (const url of [a.url, b.url, a.url, b.url]) clients.push(await connectMcp(url, key));
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await a?.stop();
    await b?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('300 calls split over both processes: 254 distinct addresses, the rest IP_NOT_AVAILABLE', async (t) => {
    const apiA = new ApiClient(a.url);
    const apiB = new ApiClient(b.url);
    const n = await apiA.post('/api/networks', { name: 'shared', subnet: '10.99.0.0/24' }, { token: key });
    const p = await apiB.post(`/api/networks/${n.body.id}/pools`, { name: 'shared', start_ip: '10.99.0.1', end_ip: '10.99.0.254' }, { token: key });
    assert.equal(p.status, 201, p.text);
    const poolId = p.body.id as string;
    // Even calls go over REST, odd ones over MCP; each kind alternates between the processes.
    const call = async (i: number): Promise<{ ip?: string; code?: string; status?: number; server: 'a' | 'b' }> => {
      const server = (i >> 1) % 2 === 0 ? 'a' : 'b';
      if (i % 2 === 0) {
        const r = await (server === 'a' ? apiA : apiB).post(`/api/pools/${poolId}/allocate`, { hostname: `r${i}` }, { token: key });
        return r.status === 201 ? { ip: r.body.ip, server } : { code: r.body.code, status: r.status, server };
      }
      const r = await callTool(clients[(i >> 1) % clients.length]!, 'ip_allocate', { pool_id: poolId, hostname: `m${i}` });
      return r.ok ? { ip: r.data.ip, server } : { code: r.error!.code, server };
    };
    const started = performance.now();
    const outcomes = await Promise.all(Array.from({ length: 300 }, (_, i) => call(i)));
    t.diagnostic(`300 calls over two processes took ${(performance.now() - started).toFixed(0)} ms`);
    const ips = outcomes.filter((o) => o.ip).map((o) => o.ip!);
    const failures = outcomes.filter((o) => !o.ip);
    for (const f of failures) {
      assert.equal(f.code, 'IP_NOT_AVAILABLE', JSON.stringify(f));
      if (f.status !== undefined) assert.equal(f.status, 409);
    }
    assert.equal(ips.length, 254);
    assert.equal(new Set(ips).size, 254, 'no address handed out twice');
    assert.equal(failures.length, 46);
    const winsA = outcomes.filter((o) => o.ip && o.server === 'a').length;
    t.diagnostic(`process A allocated ${winsA}, process B ${254 - winsA}`);
    assert.ok(winsA > 0 && winsA < 254, 'both processes allocated');

    // Read back what each process sees: the same 254 active reservations, one per address.
    for (const api of [apiA, apiB]) {
      const res = await api.get(`/api/reservations?pool_id=${poolId}&limit=1000`, { token: key });
      assert.equal(res.headers.get('x-total-count'), '254');
      const stored = res.body.map((r: { ip_address: string; status: string }) => r.ip_address);
      assert.equal(new Set(stored).size, 254);
      assert.deepEqual(new Set(stored), new Set(ips));
      const pool = await api.get(`/api/pools/${poolId}`, { token: key });
      assert.equal(pool.body.utilization.used, 254);
    }
    assert.doesNotMatch(a.output() + b.output(), /SQLITE_BUSY|database is locked|"level":"error"/);
  });
});
