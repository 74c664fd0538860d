// Discovery deletions reach a real receiver under their catalogued names: one discovered host
// (discovery.device_deleted), the hosts of a network and the stale ones of the cleanup job
// (discovery.devices_deleted, with counts), a scan (discovery.scan_deleted).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { discoveredDevices } from '../../src/db/schema/index.ts';
import { createTestUser, startTestServer, type TestServer, writerOf } from '../helpers/server.ts';
import { sleep, startReceiver, WEBHOOK_TEST_ENV, type Receiver } from './receiver.ts';

const TYPES = ['discovery.scan_deleted', 'discovery.device_deleted', 'discovery.devices_deleted'];

describe('discovery deletion events', () => {
  let s: TestServer;
  let r: Receiver;
  let token = '';
  const events = (type: string) => r.at('/d').filter((x) => x.payload?.type === type).map((x) => x.payload);
  const until = (type: string, n: number) => r.waitFor(() => events(type).length >= n, 10_000, `${n} × ${type}`);

  /** A network of `subnet` scanned once (loopback: every host is up); returns its id and the scan's. */
  async function scanned(subnet: string): Promise<{ netId: string; scanId: string }> {
    const netId = (await s.api.post('/api/networks', { name: subnet, subnet }, { token })).body.id;
    const started = await s.api.post(`/api/discovery/networks/${netId}/scan`, { ports: [9], reverse_dns: false }, { token });
    assert.equal(started.status, 202, started.text);
    for (let i = 0; i < 200; i++) {
      const scan = (await s.api.get(`/api/discovery/scans/${started.body.id}`, { token })).body;
      if (scan.status === 'completed') return { netId, scanId: scan.id };
      await sleep(50);
    }
    throw new Error('scan did not complete');
  }

  before(async () => {
    r = await startReceiver();
    s = await startTestServer(WEBHOOK_TEST_ENV);
    token = (await createTestUser(s.env, ['admin'])).key;
    const hook = await s.api.post('/api/webhooks', { name: 'discovery', url: `${r.url}/d`, events: TYPES }, { token });
    assert.equal(hook.status, 201, hook.text);
    r.secrets.set('/d', hook.body.secret);
  });
  after(async () => {
    await s?.stop();
    await r?.close();
  });

  it('lists the discovery deletion events in the catalogue', async () => {
    const types = (await s.api.get('/api/webhooks/events', { token })).body.map((e: { type: string }) => e.type);
    for (const t of TYPES) assert.ok(types.includes(t), t);
  });

  it('publishes each deletion, signed, with what was deleted', async () => {
    const { netId, scanId } = await scanned('127.86.0.0/30');
    const hosts = (await s.api.get(`/api/discovery/devices?network_id=${netId}`, { token })).body;
    assert.equal(hosts.length, 2);
    assert.equal((await s.api.delete(`/api/discovery/devices/${hosts[0].id}`, { token })).status, 204);
    await until('discovery.device_deleted', 1);
    const one = events('discovery.device_deleted')[0];
    assert.equal(one.data.resource_id, hosts[0].id);
    assert.equal(one.data.before.ip, hosts[0].ip);

    assert.equal((await s.api.delete(`/api/discovery/devices?network_id=${netId}`, { token })).status, 204);
    await until('discovery.devices_deleted', 1);
    assert.deepEqual(events('discovery.devices_deleted')[0].data.details, { network_id: netId, deleted: 1 });
    // Deleting nothing publishes nothing.
    assert.equal((await s.api.delete(`/api/discovery/devices?network_id=${netId}`, { token })).status, 204);

    assert.equal((await s.api.delete(`/api/discovery/scans/${scanId}`, { token })).status, 204);
    await until('discovery.scan_deleted', 1);
    const scan = events('discovery.scan_deleted')[0];
    assert.equal(scan.data.resource_id, scanId);
    assert.equal(scan.data.before.network_id, netId);
    assert.ok(r.at('/d').every((x) => x.verified), 'every delivery verifies');
  });

  it('publishes what the discovery-cleanup job deleted, as the system', async () => {
    await scanned('127.86.0.4/30');
    writerOf(s.env).update(discoveredDevices).set({ lastSeen: new Date(Date.now() - 40 * 86_400_000).toISOString() }).run();
    await s.server.scheduler.runNow('discovery-cleanup');
    await until('discovery.devices_deleted', 2);
    const cleanup = events('discovery.devices_deleted')[1];
    assert.equal(cleanup.data.details.deleted, 2);
    assert.equal(cleanup.data.details.days, 30);
    assert.equal(cleanup.actor.source, 'system');
    await sleep(300);
    assert.equal(events('discovery.devices_deleted').length, 2, 'the empty delete earlier published nothing');
  });
});
