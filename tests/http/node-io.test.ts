// The request path reads the node IncomingMessage directly (src/http/node-io.ts); these pin the
// places where Node's own parsed view differs from the web-standard one it replaced.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

/** One raw request, so that header lines can repeat (fetch and the test client merge them). */
function raw(url: string, path: string, rawHeaders: string[]): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path, method: 'GET', headers: ['Host', u.host, ...rawHeaders], agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('request headers read from the node request', () => {
  let s: TestServer;
  let viewer: TestUser;
  before(async () => {
    s = await startTestServer();
    viewer = await createTestUser(s.env, ['viewer']);
  });
  after(() => s.stop());

  it('refuses a request with two Authorization headers instead of taking the first', async () => {
    const ok = await raw(s.url, '/api/auth/me', ['Authorization', `Bearer ${viewer.key}`]);
    assert.equal(ok.status, 200);
    // Node's incoming.headers keeps only the first Authorization; the web view joins them, and
    // so must the middleware: "Bearer k, Bearer x" is no bearer token.
    const twice = await raw(s.url, '/api/auth/me', ['Authorization', `Bearer ${viewer.key}`, 'Authorization', 'Bearer rackd_other']);
    assert.equal(twice.status, 401);
    assert.match(String(twice.headers['www-authenticate']), /error="invalid_token"/);
    assert.equal(JSON.parse(twice.body).code, 'UNAUTHORIZED');
  });

  it('echoes a sane X-Request-Id sent in any letter case, and makes one otherwise', async () => {
    const given = await raw(s.url, '/healthz', ['x-REQUEST-id', 'trace-42']);
    assert.equal(given.headers['x-request-id'], 'trace-42');
    const made = await raw(s.url, '/healthz', ['X-Request-Id', 'not sane!']);
    assert.match(String(made.headers['x-request-id']), /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('puts the security headers on a route that sets its own headers, without losing either', async () => {
    const res = await raw(s.url, '/api/devices', ['Authorization', `Bearer ${viewer.key}`]);
    assert.equal(res.status, 200);
    assert.ok(res.headers['x-total-count'] !== undefined, 'the route header');
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
    assert.ok(res.headers['x-ratelimit-limit'] !== undefined, 'the rate limiter ran');
  });
});
