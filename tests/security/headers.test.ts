// Security headers on every response, whatever its status, and the X-Request-Id contract.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN, createTestUser, startTestServer, type ApiResponse, type TestServer } from '../helpers/server.ts';
import { guard } from './support.ts';

function assertSecurityHeaders(res: ApiResponse, what: string): void {
  const h = res.headers;
  assert.equal(h.get('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
  assert.equal(h.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  assert.equal(h.get('referrer-policy'), 'strict-origin-when-cross-origin', `${what}: Referrer-Policy`);
  const pp = h.get('permissions-policy');
  assert.ok(pp && /camera=\(\)/.test(pp) && /microphone=\(\)/.test(pp) && /geolocation=\(\)/.test(pp), `${what}: Permissions-Policy ${pp}`);
  const csp = h.get('content-security-policy');
  assert.ok(csp, `${what}: Content-Security-Policy present`);
  const directives = new Map(
    csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
      const [name, ...values] = d.split(/\s+/);
      return [name!.toLowerCase(), values] as const;
    }),
  );
  assert.deepEqual(directives.get('default-src'), ["'self'"], `${what}: default-src`);
  const scriptSrc = directives.get('script-src') ?? directives.get('default-src')!;
  assert.ok(!scriptSrc.includes("'unsafe-inline'"), `${what}: script-src without 'unsafe-inline'`);
  assert.ok(!scriptSrc.includes("'unsafe-eval'"), `${what}: script-src without 'unsafe-eval'`);
  assert.ok(!scriptSrc.includes('*'), `${what}: script-src without wildcards`);
  assert.deepEqual(directives.get('frame-ancestors'), ["'none'"], `${what}: frame-ancestors`);
  assert.deepEqual(directives.get('object-src'), ["'none'"], `${what}: object-src`);
  assert.match(h.get('x-request-id') ?? '', /^[0-9a-f-]{36}$|^[A-Za-z0-9._:-]+$/, `${what}: X-Request-Id`);
}

describe('security headers', () => {
  let s: TestServer;
  let key: string;
  before(async () => {
    s = await startTestServer();
    guard(s.api);
    key = (await createTestUser(s.env, ['admin'])).key;
  });
  after(() => s.stop());

  it('are set on 200, 201, 204 and 400/401/403/404/415 API responses', async () => {
    const viewer = await createTestUser(s.env, ['viewer']);
    const cases: Array<[string, () => Promise<ApiResponse>, number]> = [
      ['200 /api/auth/me', () => s.api.get('/api/auth/me', { token: key }), 200],
      ['200 /api/keys', () => s.api.get('/api/keys', { token: key }), 200],
      ['201 POST /api/keys', () => s.api.post('/api/keys', { name: 'hdr' }, { token: key }), 201],
      ['400 invalid JSON', () => s.api.request('POST', '/api/keys', { raw: '{', token: key, headers: { 'content-type': 'application/json' } }), 400],
      ['401 no credentials', () => s.api.get('/api/auth/me'), 401],
      ['401 bad key', () => s.api.get('/api/auth/me', { token: 'rackd_nope' }), 401],
      ['403 forbidden', () => s.api.get('/api/users', { token: viewer.key }), 403],
      ['404 unknown route', () => s.api.get('/nope'), 404],
      ['404 unknown API route', () => s.api.get('/api/nope', { token: key }), 404],
      ['415 form body', () => s.api.request('POST', '/api/keys', { raw: 'name=x', token: key, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415],
    ];
    for (const [what, run, status] of cases) {
      const res = await run();
      assert.equal(res.status, status, `${what}: ${res.text}`);
      assertSecurityHeaders(res, what);
    }
  });

  it('are set on /healthz and /readyz', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const res = await s.api.get(path);
      assert.equal(res.status, 200);
      assertSecurityHeaders(res, path);
    }
  });

  it('are set on a 413 (body over 1 MiB)', async () => {
    const res = await s.api.request('POST', '/api/keys', {
      raw: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }),
      token: key,
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(res.status, 413);
    assert.equal(res.body.code, 'PAYLOAD_TOO_LARGE');
    assertSecurityHeaders(res, '413');
  });

  it('are set on 429s of both limiters', async () => {
    const limited = await startTestServer({ RATE_LIMIT_REQUESTS: '3', LOGIN_RATE_LIMIT_REQUESTS: '1' });
    try {
      guard(limited.api);
      let res = await limited.api.post('/api/auth/login', { username: 'nobody', password: 'wrong-password-123' });
      assert.equal(res.status, 401);
      res = await limited.api.post('/api/auth/login', { username: 'nobody', password: 'wrong-password-123' });
      assert.equal(res.status, 429);
      assert.equal(res.body.code, 'LOGIN_RATE_LIMIT_EXCEEDED');
      assertSecurityHeaders(res, 'login 429');
      res = await limited.api.get('/api/auth/me');
      assert.equal(res.status, 401);
      res = await limited.api.get('/api/auth/me');
      assert.equal(res.status, 429);
      assert.equal(res.body.code, 'RATE_LIMIT_EXCEEDED');
      assertSecurityHeaders(res, 'general 429');
    } finally {
      await limited.stop();
    }
  });

  it('are set on a cookie-authenticated 403 CSRF_FAILED and on a 204', async () => {
    const cookie = await s.api.login(ADMIN.username, ADMIN.password);
    let res = await s.api.post('/api/keys', { name: 'x' }, { cookie, csrf: false });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'CSRF_FAILED');
    assertSecurityHeaders(res, '403 CSRF');
    res = await s.api.post('/api/auth/logout', undefined, { cookie });
    assert.equal(res.status, 204);
    assertSecurityHeaders(res, '204 logout');
  });

  it('marks API responses as not cacheable', async () => {
    const res = await s.api.get('/api/auth/me', { token: key });
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('echoes a sane X-Request-Id', async () => {
    for (const id of ['abc-123', 'req.42:trace_1', 'A'.repeat(128)]) {
      const res = await s.api.get('/healthz', { headers: { 'x-request-id': id } });
      assert.equal(res.headers.get('x-request-id'), id);
    }
  });

  it('generates a fresh X-Request-Id when none or an unsafe one is given', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const seen = new Set<string>();
    for (const id of [undefined, '', 'has space', '<script>', 'A'.repeat(129), 'x"y', 'ü']) {
      const headers: Record<string, string> = id === undefined ? {} : { 'x-request-id': id };
      const res = await s.api.get('/api/nope', { headers });
      const got = res.headers.get('x-request-id')!;
      assert.match(got, uuid, `for ${JSON.stringify(id)}`);
      assert.ok(!seen.has(got));
      seen.add(got);
    }
  });
});
