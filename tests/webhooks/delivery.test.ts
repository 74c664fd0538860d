// Delivery against a real receiver: retries with backoff until success (500, 500, 200), `failed`
// after the maximum attempts, manual redelivery, ping, redirects not followed, abandoned when the
// webhook is deactivated, and the attempt log over REST and MCP.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callTool, connectMcp } from '../helpers/mcp.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser, writerOf } from '../helpers/server.ts';
import { backoffMs } from '../../src/webhooks/delivery.ts';
import { startReceiver, WEBHOOK_TEST_ENV, type Receiver } from './receiver.ts';

describe('webhook delivery', () => {
  let s: TestServer;
  let r: Receiver;
  let admin: TestUser;
  let mcp: Client;
  const token = () => ({ token: admin.key });

  /** A webhook on `path` subscribed to `events`, its secret registered with the receiver. */
  async function hook(path: string, events: string[] = ['datacenter.created'], extra: Record<string, unknown> = {}): Promise<string> {
    const res = await s.api.post('/api/webhooks', { name: `hook ${path}`, url: `${r.url}${path}`, events, ...extra }, token());
    assert.equal(res.status, 201, res.text);
    r.secrets.set(path, res.body.secret);
    return res.body.id;
  }
  async function deliveries(id: string, query = ''): Promise<any[]> {
    const res = await s.api.get(`/api/webhooks/${id}/deliveries${query}`, token());
    assert.equal(res.status, 200, res.text);
    return res.body;
  }
  async function settled(id: string, status: string, timeoutMs = 10_000): Promise<any> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const list = await deliveries(id);
      const hit = list.find((d) => d.status === status);
      if (hit) return hit;
      if (Date.now() > end) assert.fail(`no ${status} delivery: ${JSON.stringify(list.map((d) => [d.status, d.attempts, d.last_error]))}`);
      await new Promise((res) => setTimeout(res, 50));
    }
  }

  before(async () => {
    r = await startReceiver();
    s = await startTestServer(WEBHOOK_TEST_ENV);
    admin = await createTestUser(s.env, ['admin']);
    mcp = await connectMcp(s.url, admin.key);
  });
  after(async () => {
    await mcp?.close();
    await s?.stop();
    await r?.close();
  });

  it('computes full-jitter exponential backoff under the cap', () => {
    const cfg = { retryBaseMs: 10_000, retryCapMs: 3_600_000 };
    assert.equal(backoffMs(1, cfg, () => 0.999999), 9_999);
    assert.equal(backoffMs(3, cfg, () => 0.5), 20_000);
    assert.equal(backoffMs(20, cfg, () => 0.5), 1_800_000);
    assert.equal(backoffMs(4, cfg, () => 0), 0);
  });

  it('retries a receiver that fails twice, then succeeds (attempt log 500, 500, 200)', async () => {
    const id = await hook('/flaky');
    r.script.set('/flaky', [500, 500]);
    await s.api.post('/api/datacenters', { name: 'retry-dc' }, token());
    const ok = await settled(id, 'success');
    assert.equal(ok.event_type, 'datacenter.created');
    assert.equal(ok.attempts, 3);
    assert.equal(ok.last_status_code, 200);
    assert.equal(ok.last_error, '');
    assert.ok(ok.completed_at);
    assert.deepEqual(ok.attempt_log.map((a: any) => [a.attempt, a.status_code]), [[1, 500], [2, 500], [3, 200]]);
    assert.match(ok.attempt_log[0].error, /HTTP 500/);
    for (const a of ok.attempt_log) assert.ok(Number.isInteger(a.duration_ms) && a.duration_ms >= 0);
    const got = r.at('/flaky');
    assert.equal(got.length, 3);
    assert.equal(new Set(got.map((x) => x.headers['webhook-id'])).size, 1, 'webhook-id is stable across retries');
    assert.equal(got[0]!.headers['webhook-id'], ok.event_id);
    for (const x of got) assert.ok(x.verified, x.verifyError);
    const one = await s.api.get(`/api/webhooks/${id}/deliveries/${ok.id}`, token());
    assert.equal(one.status, 200);
    assert.deepEqual(one.body, ok);
    assert.equal((await s.api.get(`/api/webhooks/${await hook('/other')}/deliveries/${ok.id}`, token())).status, 404);
  });

  it('gives up after the maximum attempts (failed), then redelivers on request', async () => {
    const id = await hook('/down');
    r.script.set('/down', [503, 503, 503]);
    await s.api.post('/api/datacenters', { name: 'down-dc' }, token());
    const failed = await settled(id, 'failed');
    assert.equal(failed.attempts, 3);
    assert.equal(failed.next_attempt_at, null);
    assert.equal(failed.last_status_code, 503);
    assert.deepEqual(failed.attempt_log.map((a: any) => a.status_code), [503, 503, 503]);
    assert.equal((await deliveries(id, '?status=failed')).length, 1);
    assert.equal((await deliveries(id, '?status=success')).length, 0);
    // Nothing more arrives once failed.
    await new Promise((res) => setTimeout(res, 600));
    assert.equal(r.at('/down').length, 3);

    const again = await s.api.post(`/api/webhooks/deliveries/${failed.id}/redeliver`, {}, token());
    assert.equal(again.status, 200, again.text);
    assert.equal(again.body.status, 'pending');
    assert.equal(again.body.attempts, 0);
    const ok = await settled(id, 'success');
    assert.equal(ok.id, failed.id);
    assert.deepEqual(ok.attempt_log.map((a: any) => [a.attempt, a.status_code]), [[1, 503], [2, 503], [3, 503], [1, 200]]);
    assert.equal(r.at('/down').length, 4);
    assert.equal(r.at('/down')[3]!.headers['webhook-id'], failed.event_id);
    assert.equal((await s.api.post('/api/webhooks/deliveries/0190a0a0-0000-7000-8000-00000000dead/redeliver', {}, token())).status, 404);
  });

  it('does not follow redirects: a 3xx is a failed attempt and the target is never asked', async () => {
    const id = await hook('/moved', ['datacenter.created'], {});
    r.script.set('/moved', [302, 302, 302]);
    r.headersFor.set('/moved', { location: `${r.url}/elsewhere` });
    await s.api.post('/api/datacenters', { name: 'moved-dc' }, token());
    const failed = await settled(id, 'failed');
    assert.deepEqual(failed.attempt_log.map((a: any) => a.status_code), [302, 302, 302]);
    assert.match(failed.last_error, /redirects are not followed/);
    assert.equal(r.at('/elsewhere').length, 0);
  });

  it('pings synchronously, records the ping, and reports a failing receiver', async () => {
    const id = await hook('/ping', ['network.created'], { active: false });
    const res = await s.api.post(`/api/webhooks/${id}/ping`, {}, token());
    assert.equal(res.status, 200, res.text);
    assert.equal(res.body.message, 'Webhook ping sent successfully');
    assert.equal(res.body.delivery.status, 'success');
    assert.equal(res.body.delivery.event_type, 'webhook.ping');
    assert.deepEqual(res.body.delivery.attempt_log.map((a: any) => a.status_code), [200]);
    const got = r.at('/ping');
    assert.equal(got.length, 1);
    assert.ok(got[0]!.verified, got[0]!.verifyError);
    assert.equal(got[0]!.payload.type, 'webhook.ping');
    assert.equal(got[0]!.payload.data.resource_id, id);
    assert.equal(got[0]!.payload.data.details.webhook_name, 'hook /ping');

    r.script.set('/ping', [500]);
    const bad = await callTool(mcp, 'webhook_ping', { id });
    assert.ok(bad.ok, JSON.stringify(bad.error));
    assert.equal(bad.data.delivery.status, 'failed');
    assert.equal(bad.data.delivery.last_status_code, 500);
    assert.match(bad.data.message, /HTTP 500/);
    const log = await callTool(mcp, 'webhook_deliveries', { id, event_type: 'webhook.ping' });
    assert.equal(log.data.total, 2);
    assert.deepEqual(log.data.items.map((d: any) => d.status).sort(), ['failed', 'success']);
    // A failed ping is not retried.
    await new Promise((res) => setTimeout(res, 500));
    assert.equal(r.at('/ping').length, 2);
  });

  it('abandons queued deliveries of a webhook that was deactivated', async () => {
    const id = await hook('/off');
    r.script.set('/off', [500]);
    // Hold the retry back long enough to deactivate the webhook first.
    writerOf(s.env).$client.exec("CREATE TEMP TRIGGER hold_retry AFTER UPDATE OF status ON webhook_deliveries WHEN NEW.status = 'retrying' BEGIN UPDATE webhook_deliveries SET next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 second') WHERE id = NEW.id; END");
    try {
      await s.api.post('/api/datacenters', { name: 'off-dc' }, token());
      await settled(id, 'retrying');
      assert.equal((await s.api.put(`/api/webhooks/${id}`, { active: false }, token())).status, 200);
    } finally {
      writerOf(s.env).$client.exec('DROP TRIGGER hold_retry');
    }
    const abandoned = await settled(id, 'abandoned');
    assert.equal(abandoned.attempt_log.length, 1);
    assert.equal(r.at('/off').length, 1);
    const redeliver = await s.api.post(`/api/webhooks/deliveries/${abandoned.id}/redeliver`, {}, token());
    assert.equal(redeliver.status, 409, 'an inactive webhook is not redelivered to');
    // A deactivated webhook gets no new deliveries either.
    await s.api.post('/api/datacenters', { name: 'off-dc-2' }, token());
    await new Promise((res) => setTimeout(res, 300));
    assert.equal((await deliveries(id)).length, 1);
  });
});
