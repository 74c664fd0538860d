// Scan ownership: two rackd servers on one DATA_DIR. A scan belongs to the process that runs it,
// which renews its lease; a server starting beside it leaves it running, fails only the scans
// whose lease expired (their process is gone), and its discovery-lease job does the same later
// for a process that dies meanwhile. A cancel from the other server stops the owner's runner.
import assert from 'node:assert/strict';
import net from 'node:net';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { discoveryScans } from '../../src/db/schema/index.ts';
import { scanManager } from '../../src/discovery/runner.ts';
import { ABANDONED_MESSAGE, DISCOVERY_LEASE_JOB, INTERRUPTED_MESSAGE } from '../../src/services/discovery/interrupted.ts';
import { createTestUser, startTestServer, tempDir, type TestServer, writerOf } from '../helpers/server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// A 2 s lease (heartbeat every 500 ms); 16 sockets make the scan below last about 16 s.
const ENV = { DISCOVERY_SCAN_LEASE: '2s', DISCOVERY_MAX_CONCURRENT: '16' };

describe('scan leases with two servers on one DATA_DIR', () => {
  const dataDir = tempDir();
  // Every address answers on this port and stays silent: each host holds a socket for the banner wait.
  const silent = net.createServer((c) => c.on('error', () => undefined));
  let first: TestServer;
  let second: TestServer | undefined;
  let key = '';
  let netId = '';

  const row = (srv: TestServer, id: string) => srv.env.db.select().from(discoveryScans).where(eq(discoveryScans.id, id)).get()!;
  const insertScan = (id: string, ownerId: string, heartbeatAt: string) => {
    const now = new Date().toISOString();
    writerOf(first.env).insert(discoveryScans).values({ id, networkId: netId, status: 'running', scanType: 'quick', totalHosts: 6, ownerId, heartbeatAt, createdAt: now, updatedAt: now }).run();
  };
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

  before(async () => {
    await new Promise<void>((resolve) => silent.listen(0, '0.0.0.0', resolve));
    first = await startTestServer(ENV, { dataDir });
    key = (await createTestUser(first.env, ['admin'])).key;
    netId = (await first.api.post('/api/networks', { name: 'lease', subnet: '127.84.0.0/24' }, { token: key })).body.id;
  });
  after(async () => {
    silent.close();
    await second?.stop();
    await first?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('a starting server leaves a live scan of the other one alone and fails only expired leases', async () => {
    const port = (silent.address() as net.AddressInfo).port;
    const res = await first.api.post(`/api/discovery/networks/${netId}/scan`, { ports: [port], reverse_dns: false }, { token: key });
    assert.equal(res.status, 202, res.text);
    const live = res.body.id as string;
    const end = Date.now() + 10_000;
    while (row(first, live).status !== 'running') {
      assert.ok(Date.now() < end, 'the scan starts');
      await sleep(50);
    }
    assert.equal(row(first, live).ownerId, scanManager(first.env).instanceId);
    insertScan('0190a0a0-0000-7000-8000-0000000000b1', 'a-process-that-died', ago(10_000));

    second = await startTestServer(ENV, { dataDir });
    assert.notEqual(scanManager(second.env).instanceId, scanManager(first.env).instanceId);
    const dead = row(second, '0190a0a0-0000-7000-8000-0000000000b1');
    assert.equal(dead.status, 'failed');
    assert.equal(dead.errorMessage, INTERRUPTED_MESSAGE);
    assert.equal(row(second, live).status, 'running', 'the other server still runs it');

    // Past the lease, the owner keeps renewing it: the other server's sweep leaves it running.
    await sleep(2_500);
    await second.server.scheduler.runNow(DISCOVERY_LEASE_JOB);
    const now = row(second, live);
    assert.equal(now.status, 'running');
    assert.ok(Date.now() - Date.parse(now.heartbeatAt!) < 1_500, `heartbeat ${now.heartbeatAt}`);
    assert.ok(scanManager(first.env).isActive(live));

    // Cancelled through the other server: the owner's runner stops at its next heartbeat.
    const cancelled = await second.api.post(`/api/discovery/scans/${live}/cancel`, {}, { token: key });
    assert.equal(cancelled.status, 200, cancelled.text);
    assert.equal(cancelled.body.status, 'cancelled');
    const stopBy = Date.now() + 2_000;
    while (scanManager(first.env).isActive(live)) {
      assert.ok(Date.now() < stopBy, 'the owner stopped its runner');
      await sleep(50);
    }
    const final = row(first, live);
    assert.equal(final.status, 'cancelled');
    await sleep(300);
    assert.deepEqual(row(first, live), final, 'the owner wrote nothing after the cancel');
  });

  it('fails the scan of a process that died while the servers run, once its lease expired', async () => {
    const id = '0190a0a0-0000-7000-8000-0000000000b2';
    insertScan(id, 'crashes-soon', new Date().toISOString());
    await second!.server.scheduler.runNow(DISCOVERY_LEASE_JOB);
    assert.equal(row(first, id).status, 'running', 'a fresh lease is respected');
    writerOf(first.env).update(discoveryScans).set({ heartbeatAt: ago(2_500) }).where(eq(discoveryScans.id, id)).run();
    await second!.server.scheduler.runNow(DISCOVERY_LEASE_JOB);
    const failed = row(first, id);
    assert.equal(failed.status, 'failed');
    assert.equal(failed.errorMessage, ABANDONED_MESSAGE);
    assert.ok(failed.completedAt);
  });
});
