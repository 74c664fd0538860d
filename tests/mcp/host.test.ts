// /mcp refuses a Host that is not the server's own (DNS rebinding: a page on evil.example whose
// name now points here sends Host: evil.example and no Origin), and keeps answering under the
// loopback names, the issuer's host, the hosts of MCP_ALLOWED_ORIGINS and MCP_ALLOWED_HOSTS.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { hostAllowed } from '../../src/mcp/http.ts';
import { ConfigError, parseConfig } from '../../src/platform/config.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

/** POST tools/list to /mcp with a Host header of our choosing (fetch does not allow setting Host). */
function postWithHost(url: string, host: string, token: string): Promise<{ status: number; body: any }> {
  const u = new URL('/mcp', url);
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { host, authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('/mcp Host check (DNS rebinding)', () => {
  let s: TestServer;
  let admin: TestUser;
  let port: number;
  before(async () => {
    s = await startTestServer({
      MCP_OAUTH_ISSUER_URL: 'https://rackd.example.com',
      MCP_ALLOWED_ORIGINS: 'https://assistant.example.org',
      MCP_ALLOWED_HOSTS: 'rackd.lan, 10.0.0.5:8080',
    });
    admin = await createTestUser(s.env, ['admin']);
    port = Number(new URL(s.url).port);
  });
  after(() => s.stop());

  it('refuses a foreign Host with 403 HOST_NOT_ALLOWED', async () => {
    for (const host of ['evil.example.com', `evil.example.com:${port}`, 'rackd.example.com.evil.net', `localhost.evil:${port}`, '10.0.0.5:9999']) {
      const res = await postWithHost(s.url, host, admin.key);
      assert.equal(res.status, 403, host);
      assert.equal(res.body.code, 'HOST_NOT_ALLOWED', host);
    }
  });

  it("answers under the server's own names and the configured ones", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'rackd.example.com', 'assistant.example.org', 'rackd.lan', 'rackd.lan:8443', '10.0.0.5:8080']) {
      const res = await postWithHost(s.url, host, admin.key);
      assert.equal(res.status, 200, `${host}: ${JSON.stringify(res.body)}`);
      assert.ok(res.body.result.tools.length > 0);
    }
  });

  it('matches names exactly, an entry without a port on any port', () => {
    const allowed = new Set(['localhost:8080', 'rackd.lan', '[::1]:8080']);
    assert.ok(hostAllowed('localhost:8080', allowed));
    assert.ok(hostAllowed('LocalHost:8080', allowed), 'case-insensitive');
    assert.ok(!hostAllowed('localhost:8081', allowed));
    assert.ok(hostAllowed('rackd.lan:1234', allowed));
    assert.ok(hostAllowed('[::1]:8080', allowed));
    assert.ok(!hostAllowed('[::1]:9', allowed));
    assert.ok(!hostAllowed('rackd.lan.evil', allowed));
  });

  it('MCP_ALLOWED_HOSTS takes host names, not URLs', () => {
    assert.throws(() => parseConfig({ DATA_DIR: '/tmp/x', MCP_ALLOWED_HOSTS: 'https://rackd.lan' }), ConfigError);
    assert.deepEqual(parseConfig({ DATA_DIR: '/tmp/x', MCP_ALLOWED_HOSTS: 'Rackd.LAN,[fd00::1]:8080' }).mcp.allowedHosts, ['rackd.lan', '[fd00::1]:8080']);
  });
});
