// Discovery scans against the real server, over REST: loopback networks with listeners this test
// opens on specific 127.x addresses. On Linux every 127.x address answers (a listener refuses
// or accepts), so every host of a loopback subnet is up; what must be exact is which ports are
// open, where, and what their banners say.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { auditLogs, discoveredDevices, discoveryScans } from '../../src/db/schema/index.ts';
import { failInterruptedScans } from '../../src/services/discovery/interrupted.ts';
import { createTestUser, startTestServer, tempDir, type TestServer, type TestUser, writerOf } from '../helpers/server.ts';

const listen = (server: net.Server, host: string) =>
  new Promise<number>((resolve) => server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('discovery scans over REST', () => {
  let s: TestServer;
  let admin: TestUser;
  let viewer: TestUser;
  let operator: TestUser;
  const ssh = net.createServer((c) => c.end('SSH-2.0-TestSSH_1.0\r\n'));
  const web = http.createServer((_req, res) => {
    res.setHeader('Server', 'TestHTTP/2.1');
    res.end('hello');
  });
  let sshPort = 0;
  let webPort = 0;

  before(async () => {
    // A small socket budget makes the slow scan below take long enough to cancel.
    s = await startTestServer({ DISCOVERY_MAX_CONCURRENT: '16' });
    admin = await createTestUser(s.env, ['admin']);
    viewer = await createTestUser(s.env, ['viewer']);
    operator = await createTestUser(s.env, ['operator']);
    sshPort = await listen(ssh, '127.77.0.5');
    webPort = await listen(web, '127.77.0.9');
  });
  after(async () => {
    ssh.close();
    web.close();
    await s.stop();
  });

  const network = async (subnet: string) => {
    const res = await s.api.post('/api/networks', { name: `disc-${subnet}`, subnet }, { token: admin.key });
    assert.equal(res.status, 201, res.text);
    return res.body.id as string;
  };
  const finished = async (id: string, timeoutMs = 20_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const res = await s.api.get(`/api/discovery/scans/${id}`, { token: admin.key });
      assert.equal(res.status, 200, res.text);
      if (!['pending', 'running'].includes(res.body.status)) return res.body;
      assert.ok(Date.now() < end, `scan ${id} still ${res.body.status}`);
      await sleep(50);
    }
  };
  const devices = async (networkId: string) => {
    const res = await s.api.get(`/api/discovery/devices?network_id=${networkId}&limit=1000`, { token: admin.key });
    assert.equal(res.status, 200, res.text);
    return new Map<string, any>(res.body.map((d: any) => [d.ip, d]));
  };

  it('finds exactly the listeners, with their banners; refused addresses are up without open ports', async () => {
    const netId = await network('127.77.0.0/28');
    const res = await s.api.post(`/api/discovery/networks/${netId}/scan`, { ports: [webPort, sshPort, webPort], reverse_dns: false }, { token: admin.key });
    assert.equal(res.status, 202, res.text);
    assert.equal(res.body.status, 'pending');
    assert.equal(res.body.scan_type, 'custom');
    assert.equal(res.body.total_hosts, 14);
    const probed = [sshPort, webPort].sort((a, b) => a - b);
    assert.deepEqual(res.body.ports, probed, 'the explicit ports, sorted and de-duplicated');
    const scan = await finished(res.body.id);
    assert.equal(scan.status, 'completed');
    assert.deepEqual(scan.ports, probed, 'GET shows what was probed');
    assert.equal(scan.scanned_hosts, 14);
    assert.equal(scan.found_hosts, 14);
    assert.equal(scan.progress_percent, 100);
    assert.ok(scan.started_at && scan.completed_at);
    const found = await devices(netId);
    assert.equal(found.size, 14);
    for (const [ip, d] of found) {
      if (ip === '127.77.0.5') {
        assert.deepEqual(d.open_ports, [sshPort]);
        assert.deepEqual(d.services, [{ port: sshPort, protocol: 'tcp', service: 'ssh', version: 'TestSSH_1.0', banner: 'SSH-2.0-TestSSH_1.0' }]);
        assert.equal(d.device_type, 'server');
        assert.equal(d.status, 'online:server');
        assert.ok(d.confidence > 0);
      } else if (ip === '127.77.0.9') {
        assert.deepEqual(d.open_ports, [webPort]);
        assert.equal(d.services[0].service, 'http');
        assert.equal(d.services[0].version, 'TestHTTP/2.1');
        assert.match(d.services[0].banner, /^HTTP\/1\.[01] 200 OK \| Server: TestHTTP\/2\.1$/);
      } else {
        assert.deepEqual(d.open_ports, [], ip);
        assert.deepEqual(d.services, []);
        assert.equal(d.status, 'online');
      }
      assert.equal(d.network_id, netId);
      assert.equal(d.last_scan_id, scan.id);
      assert.equal(d.promoted_to_device_id, null);
    }

    // A second scan updates the same records: ids and first_seen stay, last_seen moves.
    const again = await s.api.post(`/api/discovery/networks/${netId}/scan`, { ports: [sshPort], reverse_dns: false }, { token: admin.key });
    const second = await finished(again.body.id);
    assert.equal(second.status, 'completed');
    const after2 = await devices(netId);
    const before5 = found.get('127.77.0.5');
    const now5 = after2.get('127.77.0.5');
    assert.equal(now5.id, before5.id);
    assert.equal(now5.first_seen, before5.first_seen);
    assert.ok(now5.last_seen > before5.last_seen);
    assert.equal(now5.last_scan_id, second.id);
    assert.deepEqual(after2.get('127.77.0.9').open_ports, [], 'the web port was not probed this time');
    // Changed (.9) and unchanged rows (the rest, touched in one statement per flush) alike: same ids, this scan, seen now.
    assert.deepEqual([...after2.keys()].sort(), [...found.keys()].sort());
    for (const [ip, d] of after2) {
      assert.equal(d.id, found.get(ip).id, ip);
      assert.equal(d.last_scan_id, second.id, ip);
      assert.ok(d.last_seen > found.get(ip).last_seen, ip);
      assert.equal(d.updated_at, d.last_seen, ip);
    }

    // Scans list newest first, filtered by network; audit has started, completed and found.
    const list = await s.api.get(`/api/discovery/scans?network_id=${netId}`, { token: viewer.key });
    assert.equal(list.status, 200);
    assert.equal(list.headers.get('x-total-count'), '2');
    assert.deepEqual(list.body.map((x: any) => x.id), [second.id, scan.id]);
    const actions = s.env.db.select({ action: auditLogs.action, resourceId: auditLogs.resourceId, changes: auditLogs.changes }).from(auditLogs).all();
    assert.ok(actions.some((a) => a.action === 'discovery.start' && a.resourceId === scan.id));
    assert.equal(actions.filter((a) => a.action === 'discovery.complete' && (a.resourceId === scan.id || a.resourceId === second.id)).length, 2);
    const foundEntries = actions.filter((a) => a.action === 'discovery.device_found' && a.resourceId === scan.id);
    assert.equal(foundEntries.reduce((n, a) => n + JSON.parse(a.changes).after.length, 0), 14, 'each new host audited once');
    assert.equal(actions.filter((a) => a.action === 'discovery.device_found' && a.resourceId === second.id).length, 0, 'nothing new the second time');
  });

  it('scans with a profile: its ports, type and worker limit', async () => {
    const profile = await s.api.post(
      '/api/scan-profiles',
      { name: 'loopback-ssh', scan_type: 'custom', ports: [sshPort, webPort], timeout_sec: 1, max_workers: 2 },
      { token: admin.key },
    );
    assert.equal(profile.status, 201, profile.text);
    const netId = await network('127.77.0.0/29');
    const res = await s.api.post(`/api/discovery/networks/${netId}/scan`, { profile_id: profile.body.id, reverse_dns: false }, { token: admin.key });
    assert.equal(res.status, 202, res.text);
    assert.equal(res.body.profile_id, profile.body.id);
    assert.equal(res.body.scan_type, 'custom');
    const scan = await finished(res.body.id);
    assert.equal(scan.status, 'completed');
    assert.equal(scan.found_hosts, 6);
    const found = await devices(netId);
    assert.deepEqual(found.get('127.77.0.5').open_ports, [sshPort]);
    assert.deepEqual([...found.values()].filter((d) => d.open_ports.length > 0).map((d) => d.ip), ['127.77.0.5']);
    const started = s.env.db.select().from(auditLogs).all().find((a) => a.action === 'discovery.start' && a.resourceId === scan.id)!;
    assert.deepEqual(JSON.parse(started.changes).after.ports, [sshPort, webPort].sort((a, b) => a - b));
    assert.deepEqual(scan.ports, [sshPort, webPort].sort((a, b) => a - b));
    // A built-in profile scans its type's set (quick: nothing listens on 22, 80, 443, 3389 here).
    const quick = await s.api.post(`/api/discovery/networks/${netId}/scan`, { profile_id: 'default-quick', reverse_dns: false }, { token: admin.key });
    assert.equal(quick.status, 202, quick.text);
    assert.equal(quick.body.scan_type, 'quick');
    assert.deepEqual(quick.body.ports, [22, 80, 443, 3389]);
    assert.equal((await finished(quick.body.id)).status, 'completed');
  });

  it('honours the exclude list', async () => {
    const netId = await network('127.78.0.0/28');
    const res = await s.api.post(
      `/api/discovery/networks/${netId}/scan`,
      // reverse_dns left on: the hosts go through the lookup pool (the system resolver answers or not).
      { scan_type: 'custom', ports: [sshPort], exclude: ['127.78.0.5', '127.78.0.12/30'] },
      { token: admin.key },
    );
    assert.equal(res.status, 202, res.text);
    assert.deepEqual(res.body.exclude, ['127.78.0.5', '127.78.0.12/30']);
    assert.equal(res.body.total_hosts, 10);
    const scan = await finished(res.body.id);
    assert.equal(scan.scanned_hosts, 10);
    const ips = [...(await devices(netId)).keys()].sort();
    assert.equal(ips.length, 10);
    for (const gone of ['127.78.0.5', '127.78.0.12', '127.78.0.13', '127.78.0.14']) assert.ok(!ips.includes(gone), gone);
  });

  it('refuses subnets larger than a /16 with a clear 400, and bad requests by name', async () => {
    const big = await network('10.40.0.0/15');
    const res = await s.api.post(`/api/discovery/networks/${big}/scan`, {}, { token: admin.key });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.code, 'VALIDATION_ERROR');
    assert.match(res.body.error, /10\.40\.0\.0\/15 is a \/15 \(131,072 addresses\); a discovery scan covers at most a \/16/);
    assert.equal(res.body.details[0].field, 'network_id');
    const v6 = await network('2001:db8:40::/64');
    const r6 = await s.api.post(`/api/discovery/networks/${v6}/scan`, {}, { token: admin.key });
    assert.equal(r6.status, 400);
    assert.equal(r6.body.code, 'VALIDATION_ERROR');
    assert.equal(s.env.db.select().from(discoveryScans).where(eq(discoveryScans.networkId, big)).all().length, 0, 'no scan recorded');

    const netId = await network('127.79.0.0/28');
    const cases: [unknown, number, string][] = [
      [{ scan_type: 'bogus' }, 400, 'scan_type'],
      [{ exclude: ['not-an-ip'] }, 400, 'exclude.0'],
      [{ exclude: ['2001:db8::1'] }, 400, 'exclude[0]'],
      [{ ports: [0] }, 400, 'ports.0'],
      [{ scan_type: 'custom' }, 400, 'ports'],
      [{ profile_id: '0190a0a0-0000-7000-8000-00000000dead', scan_type: 'quick' }, 400, 'profile_id'],
      [{ profile_id: '0190a0a0-0000-7000-8000-00000000dead' }, 404, 'profile_id'],
      [{ wait: true }, 400, 'wait'],
      [{ colour: 'blue' }, 400, 'colour'],
    ];
    for (const [body, status, field] of cases) {
      const r = await s.api.post(`/api/discovery/networks/${netId}/scan`, body, { token: admin.key });
      assert.equal(r.status, status, `${JSON.stringify(body)}: ${r.text}`);
      assert.ok(r.body.details?.some((d: any) => d.field === field), `${JSON.stringify(body)} names ${field}: ${r.text}`);
    }
    const missing = await s.api.post('/api/discovery/networks/0190a0a0-0000-7000-8000-00000000dead/scan', {}, { token: admin.key });
    assert.equal(missing.status, 404);
  });

  it('enforces discovery permissions: a viewer reads but cannot scan; an operator scans but cannot cancel or delete', async () => {
    const netId = await network('127.79.1.0/29');
    const denied = await s.api.post(`/api/discovery/networks/${netId}/scan`, {}, { token: viewer.key });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, 'FORBIDDEN');
    const started = await s.api.post(`/api/discovery/networks/${netId}/scan`, { ports: [sshPort], reverse_dns: false }, { token: operator.key });
    assert.equal(started.status, 202, started.text);
    await finished(started.body.id);
    assert.equal((await s.api.get(`/api/discovery/scans/${started.body.id}`, { token: viewer.key })).status, 200);
    assert.equal((await s.api.get(`/api/discovery/devices?network_id=${netId}`, { token: viewer.key })).status, 200);
    assert.equal((await s.api.delete(`/api/discovery/scans/${started.body.id}`, { token: operator.key })).status, 403);
    assert.equal((await s.api.delete(`/api/discovery/devices?network_id=${netId}`, { token: viewer.key })).status, 403);
  });

  it('cancels a running scan at once, keeping its partial counts', async () => {
    // Every address answers on this port and stays silent: each host holds a socket for the whole
    // banner wait, so with 16 sockets a /24 takes about 16 s.
    const silent = net.createServer((c) => c.on('error', () => undefined));
    const port = await listen(silent, '0.0.0.0');
    try {
      const netId = await network('127.80.0.0/24');
      const res = await s.api.post(`/api/discovery/networks/${netId}/scan`, { ports: [port], reverse_dns: false }, { token: admin.key });
      assert.equal(res.status, 202);
      let scan = res.body;
      const end = Date.now() + 10_000;
      while (scan.scanned_hosts < 16) {
        assert.ok(Date.now() < end, 'progress is persisted while the scan runs');
        await sleep(100);
        scan = (await s.api.get(`/api/discovery/scans/${res.body.id}`, { token: admin.key })).body;
        assert.equal(scan.status, 'running');
      }
      assert.ok(scan.progress_percent > 0 && scan.progress_percent < 100);
      // One live scan per network: a second one is refused while this one runs.
      const second = await s.api.post(`/api/discovery/networks/${netId}/scan`, { ports: [port], reverse_dns: false }, { token: admin.key });
      assert.equal(second.status, 409, second.text);
      assert.equal(second.body.code, 'CONFLICT');
      assert.deepEqual(second.body.details, [{ field: 'network_id', message: `scan ${res.body.id} is running` }]);
      const t0 = Date.now();
      const cancelled = await s.api.post(`/api/discovery/scans/${res.body.id}/cancel`, {}, { token: admin.key });
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.ok(Date.now() - t0 < 2_000, `cancel took ${Date.now() - t0} ms`);
      assert.equal(cancelled.body.status, 'cancelled');
      assert.equal(cancelled.body.error_message, 'scan cancelled');
      assert.ok(cancelled.body.completed_at);
      assert.ok(cancelled.body.scanned_hosts >= scan.scanned_hosts && cancelled.body.scanned_hosts < 254, String(cancelled.body.scanned_hosts));
      assert.equal(cancelled.body.found_hosts, cancelled.body.scanned_hosts);
      assert.equal((await devices(netId)).size, cancelled.body.found_hosts, 'every host counted is stored');
      await sleep(300);
      const later = (await s.api.get(`/api/discovery/scans/${res.body.id}`, { token: admin.key })).body;
      assert.deepEqual(later, cancelled.body, 'nothing writes after the cancel');
      const twice = await s.api.post(`/api/discovery/scans/${res.body.id}/cancel`, {}, { token: admin.key });
      assert.equal(twice.status, 400);
      assert.equal(twice.body.code, 'VALIDATION_ERROR');
      const del = await s.api.delete(`/api/discovery/scans/${res.body.id}`, { token: admin.key });
      assert.equal(del.status, 204);
      assert.equal((await s.api.get(`/api/discovery/scans/${res.body.id}`, { token: admin.key })).status, 404);
    } finally {
      silent.close();
    }
  });

  it('deletes discovered hosts one by one and per network', async () => {
    const netId = await network('127.81.0.0/29');
    await finished((await s.api.post(`/api/discovery/networks/${netId}/scan`, { ports: [sshPort], reverse_dns: false }, { token: admin.key })).body.id);
    const found = await devices(netId);
    assert.equal(found.size, 6);
    const one = found.get('127.81.0.1');
    assert.equal((await s.api.get(`/api/discovery/devices/${one.id}`, { token: viewer.key })).body.ip, '127.81.0.1');
    assert.equal((await s.api.delete(`/api/discovery/devices/${one.id}`, { token: admin.key })).status, 204);
    assert.equal((await s.api.get(`/api/discovery/devices/${one.id}`, { token: admin.key })).status, 404);
    assert.equal((await s.api.delete(`/api/discovery/devices?network_id=${netId}`, { token: admin.key })).status, 204);
    assert.equal((await devices(netId)).size, 0);
  });

  it('removes stale un-promoted hosts in the discovery-cleanup job', async () => {
    const netId = await network('127.82.0.0/29');
    await finished((await s.api.post(`/api/discovery/networks/${netId}/scan`, { ports: [sshPort], reverse_dns: false }, { token: admin.key })).body.id);
    const found = await devices(netId);
    const old = new Date(Date.now() - 31 * 86_400_000).toISOString();
    const stale = found.get('127.82.0.1').id;
    const promotedStale = found.get('127.82.0.2').id;
    const dev = await s.api.post('/api/devices', { name: 'cleanup-keep' }, { token: admin.key });
    writerOf(s.env).update(discoveredDevices).set({ lastSeen: old }).where(eq(discoveredDevices.id, stale)).run();
    writerOf(s.env).update(discoveredDevices).set({ lastSeen: old, promotedToDeviceId: dev.body.id }).where(eq(discoveredDevices.id, promotedStale)).run();
    await s.server.scheduler.runNow('discovery-cleanup');
    const left = await devices(netId);
    assert.equal(left.size, 5);
    assert.ok(!left.has('127.82.0.1'), 'stale and not promoted: removed');
    assert.ok(left.has('127.82.0.2'), 'stale but promoted: kept');
    const entry = s.env.db.select().from(auditLogs).all().filter((a) => a.action === 'discovered_device.cleanup');
    assert.equal(entry.length, 1);
    assert.equal(entry[0]!.source, 'system');
    assert.equal(JSON.parse(entry[0]!.changes).deleted, 1);
  });

  it('marks scans left running by a previous process as failed at start-up', async () => {
    const dataDir = tempDir();
    const first = await startTestServer({}, { dataDir });
    const key = (await createTestUser(first.env, ['admin'])).key;
    const netId = (await first.api.post('/api/networks', { name: 'restart', subnet: '127.83.0.0/29' }, { token: key })).body.id;
    const now = new Date().toISOString();
    for (const [id, status] of [['0190a0a0-0000-7000-8000-0000000000a1', 'running'], ['0190a0a0-0000-7000-8000-0000000000a2', 'pending'], ['0190a0a0-0000-7000-8000-0000000000a3', 'completed']] as const) {
      writerOf(first.env).insert(discoveryScans).values({ id, networkId: netId, status, scanType: 'quick', totalHosts: 6, scannedHosts: 2, createdAt: now, updatedAt: now }).run();
    }
    await first.stop();
    const second = await startTestServer({}, { dataDir });
    try {
      const rows = new Map(second.env.db.select().from(discoveryScans).all().map((r) => [r.id, r]));
      for (const id of ['0190a0a0-0000-7000-8000-0000000000a1', '0190a0a0-0000-7000-8000-0000000000a2']) {
        assert.equal(rows.get(id)!.status, 'failed');
        assert.equal(rows.get(id)!.errorMessage, 'interrupted by restart');
        assert.ok(rows.get(id)!.completedAt);
        assert.equal(rows.get(id)!.scannedHosts, 2, 'the partial counts stay');
      }
      assert.equal(rows.get('0190a0a0-0000-7000-8000-0000000000a3')!.status, 'completed');
      assert.equal(await failInterruptedScans(second.env), 0, 'nothing left to mark');
    } finally {
      await second.stop();
    }
  });
});
