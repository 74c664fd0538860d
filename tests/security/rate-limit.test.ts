// Rate limiting: the general per-IP budget, the shared login/sensitive budget, their headers,
// configuration, --dev-mode, and which client address the budget is keyed by (TRUST_PROXY).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseCidr, type Cidr } from '../../src/net/ip.ts';
import { resolveClientIp } from '../../src/http/middleware/request-context.ts';
import { ADMIN, createTestUser, sessionCookie, startTestServer, type ApiResponse, type TestServer } from '../helpers/server.ts';
import { guard, sessionSetCookie, sleep } from './support.ts';

const BAD_LOGIN = { username: 'nobody', password: 'wrong-password-123' };

function assertRateHeaders(res: ApiResponse, limit: number, remaining: number, what: string): void {
  assert.equal(res.headers.get('x-ratelimit-limit'), String(limit), `${what}: X-RateLimit-Limit`);
  assert.equal(res.headers.get('x-ratelimit-remaining'), String(remaining), `${what}: X-RateLimit-Remaining`);
  const reset = Number(res.headers.get('x-ratelimit-reset'));
  const now = Date.now() / 1000;
  assert.ok(Number.isInteger(reset) && reset >= Math.floor(now) && reset <= now + 61, `${what}: X-RateLimit-Reset ${reset}`);
}

function assertRetryAfter(res: ApiResponse, maxSeconds: number): void {
  const raw = res.headers.get('retry-after');
  assert.match(raw ?? '', /^\d+$/, `Retry-After is whole seconds: ${raw}`);
  const n = Number(raw);
  assert.ok(n >= 1 && n <= maxSeconds, `Retry-After ${n} within 1..${maxSeconds}`);
}

async function withServer(env: Record<string, string>, fn: (s: TestServer) => Promise<void>, devMode = false): Promise<void> {
  const s = await startTestServer(env, { devMode });
  guard(s.api);
  try {
    await fn(s);
  } finally {
    await s.stop();
  }
}

describe('general rate limit', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ RATE_LIMIT_REQUESTS: '5' });
    guard(s.api);
  });
  after(() => s.stop());

  it('counts every API response, sends the headers on each, and answers the 6th with 429', async () => {
    const paths = ['/api/auth/me', '/api/nope', '/nope', '/api/keys', '/api/auth/me'];
    for (const [i, path] of paths.entries()) {
      const res = await s.api.get(path);
      assert.ok(res.status === 401 || res.status === 404, `${path}: ${res.status}`);
      assertRateHeaders(res, 5, 4 - i, `request ${i + 1}`);
    }
    const res = await s.api.get('/api/auth/me');
    assert.equal(res.status, 429);
    assert.deepEqual(res.body, { error: 'Rate limit exceeded', code: 'RATE_LIMIT_EXCEEDED' });
    assertRetryAfter(res, 60);
    assertRateHeaders(res, 5, 0, '429');
  });

  it('does not let rotating credentials or X-Forwarded-For escape the budget', async () => {
    const variants: Array<Record<string, string>> = [
      { authorization: 'Bearer rackd_a' },
      { authorization: 'Bearer rackd_b' },
      { 'x-forwarded-for': '203.0.113.7' },
      { 'x-forwarded-for': '198.51.100.1, 203.0.113.8' },
      { 'x-real-ip': '192.0.2.44' },
    ];
    for (const headers of variants) {
      const res = await s.api.get('/api/auth/me', { headers });
      assert.equal(res.status, 429, JSON.stringify(headers));
    }
  });

  it('leaves the health probes outside the budget', async () => {
    const res = await s.api.get('/healthz');
    assert.equal(res.status, 200);
    assert.equal(res.text, 'ok');
  });
});

describe('login rate limit', () => {
  it('shares one bucket between POST /api/auth/login and POST /api/keys and answers 429 LOGIN_RATE_LIMIT_EXCEEDED', async () => {
    await withServer({ LOGIN_RATE_LIMIT_REQUESTS: '3' }, async (s) => {
      const key = (await createTestUser(s.env, ['admin'])).key;
      let res = await s.api.post('/api/auth/login', BAD_LOGIN);
      assert.equal(res.status, 401);
      assertRateHeaders(res, 3, 2, 'login 1');
      res = await s.api.post('/api/keys', { name: 'k1' }, { token: key });
      assert.equal(res.status, 201);
      assertRateHeaders(res, 3, 1, 'keys 1');
      // Unauthenticated attempts count too: the limiter runs before authentication.
      res = await s.api.post('/api/keys', { name: 'k2' });
      assert.equal(res.status, 401);
      assertRateHeaders(res, 3, 0, 'keys 2');
      res = await s.api.post('/api/auth/login', ADMIN);
      assert.equal(res.status, 429, 'even correct credentials are refused once the budget is spent');
      assert.deepEqual(res.body, { error: 'Too many login attempts. Please try again later.', code: 'LOGIN_RATE_LIMIT_EXCEEDED' });
      assert.equal(sessionCookie(res.headers), undefined);
      assertRetryAfter(res, 60);
      assertRateHeaders(res, 3, 0, 'login 429');
      res = await s.api.post('/api/keys', { name: 'k3' }, { token: key });
      assert.equal(res.status, 429);
      assert.equal(res.body.code, 'LOGIN_RATE_LIMIT_EXCEEDED');
      // Other routes still answer from the general budget.
      res = await s.api.get('/api/keys', { token: key });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-ratelimit-limit'), '100000');
    });
  });

  it('counts successful logins, and defaults to 5 per minute', async () => {
    await withServer({ LOGIN_RATE_LIMIT_REQUESTS: '' }, async (s) => {
      for (let i = 0; i < 5; i++) {
        const res = await s.api.post('/api/auth/login', ADMIN);
        assert.equal(res.status, 200, `login ${i + 1}`);
        assertRateHeaders(res, 5, 4 - i, `login ${i + 1}`);
      }
      const res = await s.api.post('/api/auth/login', ADMIN);
      assert.equal(res.status, 429);
      assert.equal(res.body.code, 'LOGIN_RATE_LIMIT_EXCEEDED');
    });
  });
});

describe('login rate limit and path spellings', () => {
  it('cannot be sidestepped by spelling the path differently', async () => {
    await withServer({ LOGIN_RATE_LIMIT_REQUESTS: '1' }, async (s) => {
      assert.equal((await s.api.post('/api/auth/login', BAD_LOGIN)).status, 401);
      const keysBefore = (s.env.db.$client.prepare('SELECT count(*) AS n FROM api_keys').get() as { n: number }).n;
      const key = (await createTestUser(s.env, ['admin'])).key;
      for (const path of ['/api/auth/login', '/api/auth/%6Cogin', '/api/auth/login?x=1', '/api/auth/login/', '/api/auth//login', '/api/keys', '/api/%6Beys', '/api/keys/', '/api//keys']) {
        const res = await s.api.post(path, path.includes('login') ? ADMIN : { name: `k-${path}` }, { token: path.includes('keys') ? key : undefined });
        // Either the limiter refuses it, or no route answers it: never a login or a new key.
        assert.ok([429, 401, 404].includes(res.status), `${path}: ${res.status}`);
        if (res.status === 429) assert.equal(res.body.code, 'LOGIN_RATE_LIMIT_EXCEEDED');
        assert.equal(sessionCookie(res.headers), undefined, path);
      }
      const keysAfter = (s.env.db.$client.prepare('SELECT count(*) AS n FROM api_keys').get() as { n: number }).n;
      assert.equal(keysAfter, keysBefore + 1, 'only the test user\'s own key was created');
    });
  });
});

describe('rate limit configuration', () => {
  it('honours RATE_LIMIT_WINDOW and LOGIN_RATE_LIMIT_WINDOW', async () => {
    await withServer({ RATE_LIMIT_REQUESTS: '2', RATE_LIMIT_WINDOW: '1s', LOGIN_RATE_LIMIT_REQUESTS: '1', LOGIN_RATE_LIMIT_WINDOW: '1s' }, async (s) => {
      assert.equal((await s.api.get('/api/auth/me')).status, 401);
      assert.equal((await s.api.get('/api/auth/me')).status, 401);
      const limited = await s.api.get('/api/auth/me');
      assert.equal(limited.status, 429);
      assertRetryAfter(limited, 1);
      await sleep(1100);
      assert.equal((await s.api.post('/api/auth/login', BAD_LOGIN)).status, 401);
      const login = await s.api.post('/api/auth/login', BAD_LOGIN);
      assert.equal(login.status, 429);
      assert.equal(login.body.code, 'LOGIN_RATE_LIMIT_EXCEEDED');
      await sleep(1100);
      assert.equal((await s.api.post('/api/auth/login', BAD_LOGIN)).status, 401);
    });
  });

  it('RATE_LIMIT_ENABLED=false turns off the general limiter only', async () => {
    await withServer({ RATE_LIMIT_ENABLED: 'false', RATE_LIMIT_REQUESTS: '2', LOGIN_RATE_LIMIT_REQUESTS: '2' }, async (s) => {
      for (let i = 0; i < 6; i++) assert.equal((await s.api.get('/api/auth/me')).status, 401);
      assert.equal((await s.api.post('/api/auth/login', BAD_LOGIN)).status, 401);
      assert.equal((await s.api.post('/api/auth/login', BAD_LOGIN)).status, 401);
      assert.equal((await s.api.post('/api/auth/login', BAD_LOGIN)).status, 429);
    });
  });

  it('--dev-mode disables the general limiter and the Secure cookie, but not the login limiter', async () => {
    await withServer(
      { RATE_LIMIT_REQUESTS: '2', LOGIN_RATE_LIMIT_REQUESTS: '3' },
      async (s) => {
        assert.equal(s.env.config.devMode, true);
        for (let i = 0; i < 6; i++) {
          const res = await s.api.get('/api/auth/me');
          assert.equal(res.status, 401, `request ${i + 1}`);
          assert.equal(res.headers.get('x-ratelimit-limit'), null);
        }
        const ok = await s.api.post('/api/auth/login', ADMIN);
        assert.equal(ok.status, 200);
        const raw = sessionSetCookie(ok.headers)!;
        assert.match(raw, /HttpOnly/);
        assert.match(raw, /SameSite=Lax/);
        assert.doesNotMatch(raw, /Secure/i);
        assert.equal((await s.api.post('/api/auth/login', BAD_LOGIN)).status, 401);
        assert.equal((await s.api.post('/api/auth/login', BAD_LOGIN)).status, 401);
        const res = await s.api.post('/api/auth/login', ADMIN);
        assert.equal(res.status, 429);
        assert.equal(res.body.code, 'LOGIN_RATE_LIMIT_EXCEEDED');
      },
      true,
    );
  });
});

describe('client address behind proxies', () => {
  it('ignores X-Forwarded-For without TRUST_PROXY', async () => {
    await withServer({ RATE_LIMIT_REQUESTS: '3' }, async (s) => {
      const statuses: number[] = [];
      for (let i = 1; i <= 5; i++) statuses.push((await s.api.get('/api/auth/me', { headers: { 'x-forwarded-for': `203.0.113.${i}` } })).status);
      assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
    });
  });

  it('gives each forwarded client its own bucket when the peer is a trusted proxy', async () => {
    await withServer({ RATE_LIMIT_REQUESTS: '3', TRUST_PROXY: 'true', TRUSTED_PROXIES: '127.0.0.1/32' }, async (s) => {
      const as = (ip: string) => s.api.get('/api/auth/me', { headers: { 'x-forwarded-for': ip } });
      for (let i = 0; i < 3; i++) assert.equal((await as('203.0.113.1')).status, 401);
      assert.equal((await as('203.0.113.1')).status, 429);
      // A different client behind the same proxy is unaffected; a spoofed left part of the chain
      // does not matter because the proxy appends the address it saw.
      assert.equal((await as('203.0.113.2')).status, 401);
      assert.equal((await as('10.9.9.9, 203.0.113.1')).status, 429);
      assert.equal((await as('203.0.113.1, 203.0.113.3')).status, 401);
      // The audit trail sees the resolved client, not the proxy.
      const res = await s.api.post('/api/auth/login', BAD_LOGIN, { headers: { 'x-forwarded-for': '198.51.100.23' } });
      assert.equal(res.status, 401);
      const row = s.env.db.$client.prepare("SELECT ip_address FROM audit_logs WHERE action = 'auth.login' ORDER BY timestamp DESC LIMIT 1").get() as { ip_address: string };
      assert.equal(row.ip_address, '198.51.100.23');
    });
  });

  it('ignores X-Forwarded-For from a peer outside TRUSTED_PROXIES', async () => {
    await withServer({ RATE_LIMIT_REQUESTS: '3', TRUST_PROXY: 'true', TRUSTED_PROXIES: '10.0.0.0/8' }, async (s) => {
      const statuses: number[] = [];
      for (let i = 1; i <= 5; i++) {
        statuses.push((await s.api.get('/api/auth/me', { headers: { 'x-forwarded-for': `203.0.113.${i}`, 'x-real-ip': `198.51.100.${i}` } })).status);
      }
      assert.deepEqual(statuses, [401, 401, 401, 429, 429]);
    });
  });
});

describe('resolveClientIp', () => {
  const cidrs = (...list: string[]): Cidr[] => list.map((c) => parseCidr(c)!);
  const on = { trustProxy: true, trustedProxies: [] };
  const off = { trustProxy: false, trustedProxies: [] };
  const proxies = cidrs('127.0.0.1/32', '10.0.0.0/8', 'fd00::/8');

  it('uses the peer address when proxies are not trusted', () => {
    assert.equal(resolveClientIp('192.0.2.1', { xff: '203.0.113.9' }, off, proxies), '192.0.2.1');
    assert.equal(resolveClientIp('::ffff:192.0.2.1', { xff: '203.0.113.9' }, off, proxies), '192.0.2.1');
    assert.equal(resolveClientIp('127.0.0.1', { xff: '203.0.113.9', realIp: '198.51.100.1' }, off, proxies), '127.0.0.1');
  });

  it('uses the peer address when the peer is not a trusted proxy', () => {
    assert.equal(resolveClientIp('192.0.2.1', { xff: '203.0.113.9' }, on, proxies), '192.0.2.1');
    assert.equal(resolveClientIp('192.0.2.1', { realIp: '203.0.113.9' }, on, proxies), '192.0.2.1');
    assert.equal(resolveClientIp('127.0.0.1', { xff: '203.0.113.9' }, on, cidrs('10.0.0.0/8')), '127.0.0.1');
  });

  it('takes the rightmost untrusted address of the chain', () => {
    assert.equal(resolveClientIp('127.0.0.1', { xff: '203.0.113.9' }, on, proxies), '203.0.113.9');
    assert.equal(resolveClientIp('127.0.0.1', { xff: '1.1.1.1, 203.0.113.9' }, on, proxies), '203.0.113.9');
    assert.equal(resolveClientIp('10.0.0.5', { xff: '1.1.1.1, 203.0.113.9, 10.1.2.3' }, on, proxies), '203.0.113.9');
    assert.equal(resolveClientIp('::ffff:127.0.0.1', { xff: ' 203.0.113.9 ,10.0.0.1 ' }, on, proxies), '203.0.113.9');
    assert.equal(resolveClientIp('fd00::1', { xff: '2001:db8::1, fd12::2' }, on, proxies), '2001:db8::1');
    assert.equal(resolveClientIp('127.0.0.1', { xff: '::ffff:203.0.113.9' }, on, proxies), '203.0.113.9');
  });

  it('uses X-Real-IP only without X-Forwarded-For', () => {
    assert.equal(resolveClientIp('127.0.0.1', { realIp: '203.0.113.9' }, on, proxies), '203.0.113.9');
    assert.equal(resolveClientIp('127.0.0.1', { xff: '198.51.100.1', realIp: '203.0.113.9' }, on, proxies), '198.51.100.1');
    assert.equal(resolveClientIp('127.0.0.1', { realIp: 'garbage' }, on, proxies), '127.0.0.1');
  });

  it('never believes what lies beyond an unparsable hop', () => {
    // The trusted proxy handed over garbage: the last address it vouched for is all we know.
    assert.equal(resolveClientIp('127.0.0.1', { xff: '203.0.113.9, unknown' }, on, proxies), '127.0.0.1');
    assert.equal(resolveClientIp('127.0.0.1', { xff: '203.0.113.9, unknown', realIp: '198.51.100.1' }, on, proxies), '127.0.0.1');
    assert.equal(resolveClientIp('10.0.0.5', { xff: '203.0.113.9, garbage, 10.0.0.7' }, on, proxies), '10.0.0.7');
  });

  it('answers with the furthest hop when every hop is a trusted proxy', () => {
    assert.equal(resolveClientIp('127.0.0.1', { xff: '10.0.0.2, 10.0.0.1' }, on, proxies), '10.0.0.2');
    assert.equal(resolveClientIp('127.0.0.1', { xff: '' }, on, proxies), '127.0.0.1');
  });
});

describe('rate-limit key', () => {
  it('groups IPv6 clients by /64 and keeps IPv4 addresses apart', async () => {
    const { rateLimitKey } = await import('../../src/http/middleware/rate-limit.ts');
    assert.equal(rateLimitKey('2001:db8:1:2:aaaa::1'), rateLimitKey('2001:db8:1:2:ffff::9'));
    assert.notEqual(rateLimitKey('2001:db8:1:2::1'), rateLimitKey('2001:db8:1:3::1'));
    assert.equal(rateLimitKey('2001:db8:1:2::1'), '2001:db8:1:2::/64');
    assert.notEqual(rateLimitKey('10.0.0.1'), rateLimitKey('10.0.0.2'));
  });
});
