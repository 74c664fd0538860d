// From discovery to the inventory: promotion (a device whose address is linked to the network and
// claimed in its pool, the link recorded both ways), what deleting either side does, and the
// drift report — hosts not in the inventory, inventory addresses not seen, MAC and name changes.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import { systemContext } from '../../src/auth/context.ts';
import { auditLogs, discoveredDevices, discoveryScans } from '../../src/db/schema/index.ts';
import type { HostReport } from '../../src/discovery/enrich.ts';
import { flushFound } from '../../src/services/discovery/persist.ts';
import { callTool, connectMcp } from '../helpers/mcp.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser, writerOf } from '../helpers/server.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('promotion and drift', () => {
  let s: TestServer;
  let admin: TestUser;
  let viewer: TestUser;
  const ssh = net.createServer((c) => c.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n'));
  let port = 0;
  let netId = '';
  let poolId = '';
  const byIp = new Map<string, any>();

  const finished = async (id: string) => {
    for (let i = 0; i < 400; i++) {
      const res = await s.api.get(`/api/discovery/scans/${id}`, { token: admin.key });
      if (!['pending', 'running'].includes(res.body.status)) return res.body;
      await sleep(50);
    }
    assert.fail(`scan ${id} did not finish`);
  };
  const refresh = async () => {
    const res = await s.api.get(`/api/discovery/devices?network_id=${netId}`, { token: admin.key });
    byIp.clear();
    for (const d of res.body) byIp.set(d.ip, d);
  };

  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
    viewer = await createTestUser(s.env, ['viewer']);
    port = await new Promise<number>((resolve) => ssh.listen(0, '127.90.0.5', () => resolve((ssh.address() as net.AddressInfo).port)));
    netId = (await s.api.post('/api/networks', { name: 'promote-net', subnet: '127.90.0.0/28' }, { token: admin.key })).body.id;
    const pool = await s.api.post(`/api/networks/${netId}/pools`, { name: 'promote-pool', start_ip: '127.90.0.1', end_ip: '127.90.0.14' }, { token: admin.key });
    assert.equal(pool.status, 201, pool.text);
    poolId = pool.body.id;
    const scan = await s.api.post(`/api/discovery/networks/${netId}/scan`, { ports: [port], reverse_dns: false }, { token: admin.key });
    assert.equal((await finished(scan.body.id)).found_hosts, 14);
    await refresh();
  });
  after(async () => {
    ssh.close();
    await s.stop();
  });

  it('promotes a discovered host into a device linked to the network and its pool', async () => {
    const d = byIp.get('127.90.0.5');
    const res = await s.api.post(`/api/discovery/devices/${d.id}/promote`, { name: 'web-05' }, { token: admin.key });
    assert.equal(res.status, 201, res.text);
    const device = res.body;
    assert.equal(device.name, 'web-05');
    assert.equal(device.os, 'Debian Linux', 'the OS guess from the SSH banner');
    assert.equal(device.addresses.length, 1);
    assert.equal(device.addresses[0].ip, '127.90.0.5');
    assert.equal(device.addresses[0].network_id, netId);
    assert.equal(device.addresses[0].pool_id, poolId);
    assert.match(device.description, new RegExp(`Ports: \\[${port}\\] \\| Services: ssh@${port} \\(tcp OpenSSH_9\\.2p1 Debian-2\\)`));
    const after = (await s.api.get(`/api/discovery/devices/${d.id}`, { token: admin.key })).body;
    assert.equal(after.promoted_to_device_id, device.id);
    assert.ok(after.promoted_at);
    // The address is in use in the pool: the next free one is another.
    const next = await s.api.get(`/api/pools/${poolId}/next-ip`, { token: admin.key });
    assert.equal(next.status, 200, next.text);
    assert.notEqual(next.body.ip, '127.90.0.5');
    const entries = s.env.db.select().from(auditLogs).where(eq(auditLogs.resourceId, device.id)).all().map((a) => a.action);
    assert.ok(entries.includes('device.create') && entries.includes('device.promote'), entries.join(','));
    // Promoting again is refused; the inventory is not duplicated.
    const again = await s.api.post(`/api/discovery/devices/${d.id}/promote`, { name: 'web-05-again' }, { token: admin.key });
    assert.equal(again.status, 409);
    assert.equal(again.body.code, 'ALREADY_EXISTS');
    assert.equal((await s.api.get('/api/devices?query=web-05-again', { token: admin.key })).body.length, 0);
    byIp.set('127.90.0.5', after);
  });

  it('needs discovery:create and device:create; bad input is a 400, unknown ids 404', async () => {
    const d = byIp.get('127.90.0.6');
    assert.equal((await s.api.post(`/api/discovery/devices/${d.id}/promote`, { name: 'x' }, { token: viewer.key })).status, 403);
    const role = await s.api.post('/api/roles', { name: 'discoverer', description: 'discovery only', permissions: ['discovery:create', 'discovery:read'] }, { token: admin.key });
    assert.equal(role.status, 201, role.text);
    const discoverer = await createTestUser(s.env, ['discoverer']);
    const denied = await s.api.post(`/api/discovery/devices/${d.id}/promote`, { name: 'x' }, { token: discoverer.key });
    assert.equal(denied.status, 403);
    assert.match(denied.body.error, /device:create/);
    assert.equal((await s.api.get(`/api/discovery/devices/${d.id}`, { token: admin.key })).body.promoted_to_device_id, null);
    const noName = await s.api.post(`/api/discovery/devices/${d.id}/promote`, {}, { token: admin.key });
    assert.equal(noName.status, 400);
    assert.equal(noName.body.details[0].field, 'name');
    const missing = await s.api.post('/api/discovery/devices/0190a0a0-0000-7000-8000-00000000dead/promote', { name: 'x' }, { token: admin.key });
    assert.equal(missing.status, 404);
  });

  it('reports drift: unknown hosts, unseen inventory addresses, MAC and host-name changes', async () => {
    // Inventory: .9 belongs to a device called old-name; .13 to a device discovery never saw (excluded below).
    const nine = await s.api.post('/api/devices', { name: 'nine', hostname: 'old-name', addresses: [{ ip: '127.90.0.9' }] }, { token: admin.key });
    assert.equal(nine.status, 201, nine.text);
    const ghost = await s.api.post('/api/devices', { name: 'ghost', addresses: [{ ip: '127.90.0.13' }] }, { token: admin.key });
    writerOf(s.env).delete(discoveredDevices).where(eq(discoveredDevices.id, byIp.get('127.90.0.13').id)).run();
    // Discovery saw .9 as new-name; .3 changed its MAC between two sightings (through the real upsert).
    writerOf(s.env).update(discoveredDevices).set({ hostname: 'new-name.example.com' }).where(eq(discoveredDevices.id, byIp.get('127.90.0.9').id)).run();
    writerOf(s.env).update(discoveredDevices).set({ macAddress: '00:0c:29:00:00:01' }).where(eq(discoveredDevices.id, byIp.get('127.90.0.3').id)).run();
    const now = new Date().toISOString();
    const scanId = '0190a0a0-0000-7000-8000-0000000000d1';
    writerOf(s.env).insert(discoveryScans).values({ id: scanId, networkId: netId, status: 'running', scanType: 'custom', totalHosts: 1, createdAt: now, updatedAt: now }).run();
    const nothing = { value: '', confidence: 0, reasons: [] };
    const report: HostReport = {
      ip: '127.90.0.3', openPorts: [], services: [], mac: '00:0c:29:00:00:02', vendor: 'VMware, Inc.', hostname: '', hostnameSource: '',
      classification: { deviceType: nothing, os: nothing }, facts: {},
    };
    assert.equal(await flushFound(s.env, systemContext('test'), { scanId, networkId: netId }, [report], { scanned: 1, found: 1, total: 1 }), 0);
    const three = (await s.api.get(`/api/discovery/devices/${byIp.get('127.90.0.3').id}`, { token: admin.key })).body;
    assert.equal(three.mac_address, '00:0c:29:00:00:02');
    assert.equal(three.facts.previous_mac, '00:0c:29:00:00:01');
    assert.equal(three.id, byIp.get('127.90.0.3').id);

    const res = await s.api.get(`/api/discovery/networks/${netId}/diff?stale_days=7`, { token: viewer.key });
    assert.equal(res.status, 200, res.text);
    const diff = res.body;
    assert.equal(diff.subnet, '127.90.0.0/28');
    assert.equal(diff.stale_days, 7);
    // Seen, no device: everything but .5 (promoted), .9 (device nine) and .13 (not seen any more).
    const unknown = diff.not_in_inventory.map((x: any) => x.ip);
    assert.equal(unknown.length, 11);
    assert.equal(diff.totals.not_in_inventory, 11);
    for (const ip of ['127.90.0.5', '127.90.0.9', '127.90.0.13']) assert.ok(!unknown.includes(ip), ip);
    assert.deepEqual(diff.not_seen, [{ device_id: ghost.body.id, device_name: 'ghost', address_id: ghost.body.addresses[0].id, ip: '127.90.0.13', last_seen: null }]);
    assert.deepEqual(
      diff.changes.map((c: any) => [c.ip, c.field, c.expected, c.observed, c.device_name]),
      [
        ['127.90.0.3', 'mac_address', '00:0c:29:00:00:01', '00:0c:29:00:00:02', ''],
        ['127.90.0.9', 'hostname', 'old-name', 'new-name.example.com', 'nine'],
      ],
    );
    // Same short name is no change; a sighting older than stale_days counts as not seen.
    writerOf(s.env).update(discoveredDevices).set({ hostname: 'old-name.lan', lastSeen: new Date(Date.now() - 10 * 86_400_000).toISOString() }).where(eq(discoveredDevices.id, byIp.get('127.90.0.9').id)).run();
    const later = (await s.api.get(`/api/discovery/networks/${netId}/diff?stale_days=7`, { token: admin.key })).body;
    assert.deepEqual(later.changes.map((c: any) => c.ip), ['127.90.0.3']);
    assert.deepEqual(later.not_seen.map((x: any) => x.ip), ['127.90.0.9', '127.90.0.13']);
    assert.equal((await s.api.get(`/api/discovery/networks/${netId}/diff?stale_days=30`, { token: admin.key })).body.not_seen.length, 1);

    // The same report over MCP; nothing was changed by asking.
    const mcp = await connectMcp(s.url, viewer.key);
    const tool = await callTool(mcp, 'discovery_diff', { network_id: netId, stale_days: 7 });
    await mcp.close();
    assert.ok(tool.ok, JSON.stringify(tool.error));
    assert.deepEqual(tool.data.changes, later.changes);
    assert.equal((await s.api.get(`/api/devices/${nine.body.id}`, { token: admin.key })).body.hostname, 'old-name');
    assert.equal((await s.api.get(`/api/discovery/networks/0190a0a0-0000-7000-8000-00000000dead/diff`, { token: admin.key })).status, 404);
    assert.equal((await s.api.get(`/api/discovery/networks/${netId}/diff?stale_days=0`, { token: admin.key })).status, 400);
  });

  it('deleting a promoted device clears the link; deleting a scanned network removes its discovery data', async () => {
    const five = byIp.get('127.90.0.5');
    assert.equal((await s.api.delete(`/api/devices/${five.promoted_to_device_id}`, { token: admin.key })).status, 204);
    const unlinked = (await s.api.get(`/api/discovery/devices/${five.id}`, { token: admin.key })).body;
    assert.equal(unlinked.promoted_to_device_id, null);

    const other = (await s.api.post('/api/networks', { name: 'doomed', subnet: '127.91.0.0/29' }, { token: admin.key })).body.id;
    const scan = await s.api.post(`/api/discovery/networks/${other}/scan`, { ports: [port], reverse_dns: false }, { token: admin.key });
    await finished(scan.body.id);
    const found = (await s.api.get(`/api/discovery/devices?network_id=${other}`, { token: admin.key })).body;
    assert.equal(found.length, 6);
    assert.equal((await s.api.delete(`/api/networks/${other}`, { token: admin.key })).status, 204);
    assert.equal((await s.api.get(`/api/discovery/scans/${scan.body.id}`, { token: admin.key })).status, 404);
    assert.equal((await s.api.get(`/api/discovery/devices/${found[0].id}`, { token: admin.key })).status, 404);
    assert.equal((await s.api.get(`/api/discovery/devices?network_id=${other}`, { token: admin.key })).body.length, 0);
  });
});
