// The outbox survives a crash: changes are made while the webhook worker is off
// (WEBHOOK_WORKER_ENABLED=false), rackd is killed with SIGKILL, and after a restart on the same
// DATA_DIR each event arrives exactly once per webhook — counted by webhook-id — and never again
// on a further restart.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ADMIN, ApiClient, spawnServer, tempDir, type SpawnedServer } from '../helpers/server.ts';
import { sleep, startReceiver, WEBHOOK_TEST_ENV, type Receiver } from './receiver.ts';

describe('webhook delivery across restarts', () => {
  let r: Receiver;
  const dataDir = tempDir();
  let server: SpawnedServer | undefined;
  const env = (workerEnabled: boolean) => ({ ...WEBHOOK_TEST_ENV, DATA_DIR: dataDir, LISTEN_ADDR: '127.0.0.1:0', WEBHOOK_WORKER_ENABLED: String(workerEnabled) });

  before(async () => {
    r = await startReceiver();
  });
  after(async () => {
    await server?.stop('SIGKILL');
    await r?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Per path: how many requests carried each webhook-id. */
  const countsBy = (path: string) => {
    const out = new Map<string, number>();
    for (const x of r.at(path)) out.set(String(x.headers['webhook-id']), (out.get(String(x.headers['webhook-id'])) ?? 0) + 1);
    return out;
  };

  it('delivers every event written before a SIGKILL exactly once per webhook after the restart', async () => {
    // 1. Worker off: the changes only reach the outbox.
    server = await spawnServer(env(false));
    let api = new ApiClient(server.url);
    const cookie = await api.login(ADMIN.username, ADMIN.password);
    const opts = { cookie };
    const a = await api.post('/api/webhooks', { name: 'all', url: `${r.url}/a`, events: ['*'] }, opts);
    const b = await api.post('/api/webhooks', { name: 'devices', url: `${r.url}/b`, events: ['device.created', 'device.deleted'] }, opts);
    assert.equal(a.status, 201, a.text);
    assert.equal(b.status, 201, b.text);
    r.secrets.set('/a', a.body.secret);
    r.secrets.set('/b', b.body.secret);
    const dev = await api.post('/api/devices', { name: 'restart-dev' }, opts);
    assert.equal(dev.status, 201, dev.text);
    assert.equal((await api.post('/api/networks', { name: 'restart-net', subnet: '10.64.0.0/24' }, opts)).status, 201);
    assert.equal((await api.delete(`/api/devices/${dev.body.id}`, opts)).status, 204);
    await sleep(1_500);
    assert.equal(r.received.length, 0, 'nothing is sent while the worker is off');
    assert.equal(await server.stop('SIGKILL'), null);

    // 2. Restart with the worker on: the queue is the database.
    server = await spawnServer(env(true));
    api = new ApiClient(server.url);
    // /a: webhook.created (b's; a's own when it existed), device.created, network.created, device.deleted. /b: the two device events.
    await r.waitFor(() => r.at('/b').length >= 2 && r.at('/a').some((x) => x.payload.type === 'device.deleted'), 15_000, 'the queued events');
    const typesA = r.at('/a').map((x) => x.payload.type).sort();
    assert.deepEqual(typesA, ['device.created', 'device.deleted', 'network.created', 'webhook.created', 'webhook.created']);
    assert.deepEqual(r.at('/b').map((x) => x.payload.type).sort(), ['device.created', 'device.deleted']);
    for (const x of r.received) assert.ok(x.verified, x.verifyError);
    // The device events reached both webhooks under the same webhook-id.
    const created = r.at('/a').find((x) => x.payload.type === 'device.created')!;
    assert.equal(r.at('/b').find((x) => x.payload.type === 'device.created')!.headers['webhook-id'], created.headers['webhook-id']);

    // 3. A further restart sends nothing again.
    await sleep(1_000);
    await server.stop('SIGTERM');
    server = await spawnServer(env(true));
    await sleep(2_000);
    for (const path of ['/a', '/b']) for (const [id, n] of countsBy(path)) assert.equal(n, 1, `${path} received ${id} ${n} times`);
    assert.equal(r.at('/a').length, 5);
    assert.equal(r.at('/b').length, 2);
  });
});
