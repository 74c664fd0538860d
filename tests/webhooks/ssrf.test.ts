// SSRF: every form the issue lists is refused when a webhook is saved (400 VALIDATION_ERROR naming
// url, on REST and MCP), private ranges only with SSRF_ALLOW_PRIVATE_TARGETS, and a target that is
// refused by the time of sending gets an attempt recorded as an error — and no connection.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { callTool, connectMcp } from '../helpers/mcp.ts';
import { createTestUser, startTestServer, tempDir, type TestServer, type TestUser } from '../helpers/server.ts';
import { startReceiver, WEBHOOK_TEST_ENV, type Receiver } from './receiver.ts';

const REFUSED = [
  'http://127.0.0.1/hook',
  'http://localhost/hook',
  'http://localhost./hook',
  'http://api.localhost/hook',
  'http://2130706433/hook',
  'http://0177.0.0.1/hook',
  'http://0x7f.1/hook',
  'http://127.1/hook',
  'http://[::1]/hook',
  'http://[::ffff:127.0.0.1]/hook',
  'http://[::ffff:7f00:1]/hook',
  'http://169.254.169.254/latest/meta-data/',
  'http://[fe80::1]/hook',
  'http://[::ffff:169.254.169.254]/hook',
  'http://0.0.0.0/hook',
  'http://[::]/hook',
  'http://224.0.0.1/hook',
  'http://[ff02::1]/hook',
  'http://10.0.0.1/hook',
  'http://192.168.1.10/hook',
  'http://[fd00::1]/hook',
  `https://example.com/${'a'.repeat(2049 - 'https://example.com/'.length)}`,
  'ftp://example.com/hook',
  'javascript:alert(1)',
  'file:///etc/passwd',
  'http://user:pw@example.com/hook',
  'http:///hook',
  'not a url',
];

/** A name from /etc/hosts (other than localhost) that resolves to a loopback address, if any. */
function loopbackHostName(): string | undefined {
  try {
    for (const line of readFileSync('/etc/hosts', 'utf8').split('\n')) {
      const [addr, ...names] = line.replace(/#.*/, '').trim().split(/\s+/);
      if (!addr || !/^127\.|^::1$/.test(addr)) continue;
      const name = names.find((n) => n && !n.includes('localhost') && /^[a-z0-9.-]+$/i.test(n));
      if (name) return name;
    }
  } catch {
    /* no hosts file */
  }
  return undefined;
}

describe('webhook SSRF protection', () => {
  let s: TestServer;
  let admin: TestUser;
  before(async () => {
    // SSRF_ALLOW_LOOPBACK_TARGETS and SSRF_ALLOW_PRIVATE_TARGETS unset: the production defaults.
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
  });
  after(async () => s?.stop());

  it('refuses every forbidden target when a webhook is created (REST)', async () => {
    assert.equal(REFUSED.find((u) => u.startsWith('https://example.com/a'))!.length, 2049);
    for (const url of REFUSED) {
      const res = await s.api.post('/api/webhooks', { name: 'x', url, events: ['*'] }, { token: admin.key });
      assert.equal(res.status, 400, `${url}: ${res.text}`);
      assert.equal(res.body.code, 'VALIDATION_ERROR', url);
      assert.deepEqual(res.body.details.map((d: { field: string }) => d.field), ['url'], url);
    }
    assert.equal((await s.api.get('/api/webhooks', { token: admin.key })).headers.get('x-total-count'), '0');
  });

  it('refuses them on update and over MCP as well', async () => {
    const ok = await s.api.post('/api/webhooks', { name: 'public', url: 'https://203.0.112.7/hook', events: ['*'], active: false }, { token: admin.key });
    assert.equal(ok.status, 201, ok.text);
    const mcp = await connectMcp(s.url, admin.key);
    try {
      for (const url of ['http://[::ffff:127.0.0.1]/x', 'http://169.254.169.254/', 'http://0177.0.0.1/']) {
        const put = await s.api.put(`/api/webhooks/${ok.body.id}`, { url }, { token: admin.key });
        assert.equal(put.status, 400, url);
        assert.equal(put.body.details[0].field, 'url');
        const tool = await callTool(mcp, 'webhook_save', { name: 'm', url, events: ['*'] });
        assert.equal(tool.ok, false);
        assert.equal(tool.error!.code, 'VALIDATION_ERROR');
        assert.equal(tool.error!.details![0]!.field, 'url');
      }
    } finally {
      await mcp.close();
    }
    assert.equal((await s.api.get(`/api/webhooks/${ok.body.id}`, { token: admin.key })).body.url, 'https://203.0.112.7/hook');
  });

  it('refuses a host name that resolves to loopback when it is saved', async (t) => {
    const name = loopbackHostName();
    if (!name) return t.skip('no non-localhost loopback name in /etc/hosts');
    const res = await s.api.post('/api/webhooks', { name: 'x', url: `http://${name}:8080/hook`, events: ['*'] }, { token: admin.key });
    assert.equal(res.status, 400, res.text);
    assert.match(res.body.error, /resolves to 127\.|resolves to ::1/);
  });

  it('allows private receivers only with SSRF_ALLOW_PRIVATE_TARGETS=true, and never loopback', async () => {
    const p = await startTestServer({ SSRF_ALLOW_PRIVATE_TARGETS: 'true' });
    try {
      const user = await createTestUser(p.env, ['admin']);
      const ok = await p.api.post('/api/webhooks', { name: 'lan', url: 'http://10.0.0.1/hook', events: ['*'], active: false }, { token: user.key });
      assert.equal(ok.status, 201, ok.text);
      for (const url of ['http://127.0.0.1/hook', 'http://169.254.169.254/', 'http://[::1]/']) {
        assert.equal((await p.api.post('/api/webhooks', { name: 'x', url, events: ['*'] }, { token: user.key })).status, 400, url);
      }
    } finally {
      await p.stop();
    }
  });
});

describe('webhook SSRF protection at send time', () => {
  let r: Receiver;
  const dataDir = tempDir();
  before(async () => {
    r = await startReceiver();
  });
  after(async () => {
    await r?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records a refused attempt and never connects when the target is no longer allowed', async () => {
    // Saved while loopback receivers were allowed (as in a test setup) …
    const first = await startTestServer({ ...WEBHOOK_TEST_ENV, WEBHOOK_WORKER_ENABLED: 'false' }, { dataDir });
    const admin = await createTestUser(first.env, ['admin'], 'ssrf-admin');
    const urls = [`${r.url}/literal`, ...(loopbackHostName() ? [`http://${loopbackHostName()}:${r.port}/named`] : [])];
    const ids: string[] = [];
    for (const url of urls) {
      const res = await first.api.post('/api/webhooks', { name: url, url, events: ['datacenter.created'] }, { token: admin.key });
      assert.equal(res.status, 201, res.text);
      ids.push(res.body.id);
    }
    assert.equal((await first.api.post('/api/datacenters', { name: 'refused-dc' }, { token: admin.key })).status, 201);
    await first.stop();

    // … then sent by a server with the production default: refused before any connection.
    const second = await startTestServer({ ...WEBHOOK_TEST_ENV, SSRF_ALLOW_LOOPBACK_TARGETS: 'false' }, { dataDir });
    try {
      for (const id of ids) {
        const end = Date.now() + 10_000;
        let list: any[] = [];
        while (Date.now() < end) {
          list = (await second.api.get(`/api/webhooks/${id}/deliveries`, { token: admin.key })).body;
          if (list[0]?.status === 'failed') break;
          await new Promise((res) => setTimeout(res, 50));
        }
        assert.equal(list.length, 1);
        assert.equal(list[0].status, 'failed', JSON.stringify(list));
        assert.equal(list[0].attempt_log.length, 3);
        for (const a of list[0].attempt_log) {
          assert.equal(a.status_code, null);
          assert.match(a.error, /target refused: .*loopback/);
        }
        const ping = await second.api.post(`/api/webhooks/${id}/ping`, {}, { token: admin.key });
        assert.equal(ping.status, 200);
        assert.equal(ping.body.delivery.status, 'failed');
        assert.match(ping.body.message, /loopback/);
      }
      assert.equal(r.received.length, 0, 'no request may reach a refused target');
    } finally {
      await second.stop();
    }
  });
});
