// Session security: random tokens stored only as SHA-256, cookie flags, 24h TTL with sliding
// expiry, expiry and logout, and login answers that do not tell users apart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/platform/ids.ts';
import { ADMIN, createTestUser, sessionCookie, startTestServer, type TestServer } from '../helpers/server.ts';
import { allStoredText, expiresOf, guard, maxAgeOf, sessionSetCookie, sleep, sqlite } from './support.ts';

type SessionRow = { token_hash: string; user_id: string; expires_at: string; created_at: string };
const sessionRow = (s: TestServer, hash: string) => sqlite(s).prepare('SELECT * FROM sessions WHERE token_hash = ?').get(hash) as SessionRow | undefined;
const tokenOf = (cookie: string) => cookie.slice('rackd_session='.length);

describe('session security (defaults)', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
    guard(s.api);
  });
  after(() => s.stop());

  it('issues a random token of at least 32 bytes and stores only its SHA-256', async () => {
    const res = await s.api.post('/api/auth/login', ADMIN);
    assert.equal(res.status, 200);
    const token = tokenOf(sessionCookie(res.headers)!);
    assert.match(token, /^[A-Za-z0-9_-]{43,}$/);
    assert.ok(Buffer.from(token, 'base64url').length >= 32);
    const rows = sqlite(s).prepare('SELECT token_hash FROM sessions').all() as { token_hash: string }[];
    assert.ok(rows.some((r) => r.token_hash === sha256Hex(token)));
    assert.ok(!rows.some((r) => r.token_hash === token));
    for (const text of allStoredText(s)) assert.ok(!text.includes(token), 'session token stored in plaintext');
    const again = tokenOf(await s.api.login(ADMIN.username, ADMIN.password));
    assert.notEqual(again, token);
  });

  it('sets an HttpOnly, SameSite=Lax, Secure cookie on / that lives 24 hours', async () => {
    const t0 = Date.now();
    const res = await s.api.post('/api/auth/login', ADMIN);
    const raw = sessionSetCookie(res.headers)!;
    assert.match(raw, /;\s*HttpOnly/i);
    assert.match(raw, /;\s*SameSite=Lax/);
    assert.match(raw, /;\s*Secure/);
    assert.match(raw, /;\s*Path=\/(;|$)/);
    assert.doesNotMatch(raw, /Domain=/i);
    const maxAge = maxAgeOf(raw)!;
    assert.ok(Math.abs(maxAge - 86_400) <= 2, `Max-Age ${maxAge}`);
    assert.ok(Math.abs(expiresOf(raw)! - (t0 + 86_400_000)) < 5000, 'Expires ≈ now + 24h');
    const stored = sessionRow(s, sha256Hex(tokenOf(sessionCookie(res.headers)!)))!;
    assert.ok(Math.abs(Date.parse(stored.expires_at) - (t0 + 86_400_000)) < 5000, 'stored expiry ≈ now + 24h');
    assert.equal(res.body.expires_at, stored.expires_at);
  });

  it('does not rewrite the session on every request (at most once a minute)', async () => {
    const cookie = await s.api.login(ADMIN.username, ADMIN.password);
    const stored = sessionRow(s, sha256Hex(tokenOf(cookie)))!.expires_at;
    const res = await s.api.get('/api/auth/me', { cookie });
    assert.equal(res.status, 200);
    assert.equal(sessionSetCookie(res.headers), undefined);
    assert.equal(sessionRow(s, sha256Hex(tokenOf(cookie)))!.expires_at, stored);
  });

  it('answers 401 for an expired session, forgets it and clears the cookie', async () => {
    const cookie = await s.api.login(ADMIN.username, ADMIN.password);
    const hash = sha256Hex(tokenOf(cookie));
    sqlite(s).prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(new Date(Date.now() - 1000).toISOString(), hash);
    const res = await s.api.get('/api/auth/me', { cookie });
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'UNAUTHORIZED');
    assert.equal(sessionRow(s, hash), undefined);
    const cleared = sessionSetCookie(res.headers)!;
    assert.match(cleared, /^rackd_session=;/);
    assert.equal(maxAgeOf(cleared), 0);
    // An expiry the server cannot read fails closed.
    const other = await s.api.login(ADMIN.username, ADMIN.password);
    sqlite(s).prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run('whenever', sha256Hex(tokenOf(other)));
    assert.equal((await s.api.get('/api/auth/me', { cookie: other })).status, 401);
  });

  it('answers 401 for forged, truncated and bearer-presented session tokens', async () => {
    const cookie = await s.api.login(ADMIN.username, ADMIN.password);
    for (const bad of ['rackd_session=', 'rackd_session=forged', cookie.slice(0, -1), cookie + 'A', `rackd_session=${sha256Hex(tokenOf(cookie))}`]) {
      const res = await s.api.get('/api/auth/me', { cookie: bad });
      assert.equal(res.status, 401, bad);
    }
    assert.equal((await s.api.get('/api/auth/me', { token: tokenOf(cookie) })).status, 401);
  });

  it('logs out with 204, ends the session and clears the cookie', async () => {
    const cookie = await s.api.login(ADMIN.username, ADMIN.password);
    const hash = sha256Hex(tokenOf(cookie));
    const res = await s.api.post('/api/auth/logout', undefined, { cookie });
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    const lines = res.headers.getSetCookie().filter((c) => c.startsWith('rackd_session='));
    assert.equal(lines.length, 1, `exactly one session cookie line: ${lines.join(' | ')}`);
    assert.match(lines[0]!, /^rackd_session=;/);
    assert.equal(maxAgeOf(lines[0]!), 0);
    assert.equal(sessionRow(s, hash), undefined);
    const after = await s.api.get('/api/auth/me', { cookie });
    assert.equal(after.status, 401);
    assert.equal((await s.api.post('/api/auth/logout', undefined, { cookie })).status, 401);
  });

  it('refuses logout by an API-key caller with 401', async () => {
    const u = await createTestUser(s.env, ['viewer']);
    const res = await s.api.post('/api/auth/logout', undefined, { token: u.key });
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'UNAUTHORIZED');
    assert.equal((await s.api.get('/api/auth/me', { token: u.key })).status, 200, 'the key still works');
  });

  it('gives identical answers for a wrong password, an unknown user and an inactive user', async () => {
    const inactive = await createTestUser(s.env, ['viewer']);
    sqlite(s).prepare('UPDATE users SET is_active = 0 WHERE id = ?').run(inactive.id);
    const wrong = await s.api.post('/api/auth/login', { username: ADMIN.username, password: 'not-the-password-1' });
    const unknown = await s.api.post('/api/auth/login', { username: 'no-such-user', password: 'not-the-password-1' });
    const disabled = await s.api.post('/api/auth/login', { username: inactive.username, password: inactive.password });
    for (const res of [wrong, unknown, disabled]) {
      assert.equal(res.status, 401);
      assert.deepEqual(res.body, { error: 'Invalid username or password', code: 'INVALID_CREDENTIALS' });
      assert.equal(res.text, wrong.text);
      assert.equal(sessionCookie(res.headers), undefined);
    }
    assert.equal((sqlite(s).prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(inactive.id) as { n: number }).n, 0);
  });

  it('ends the sessions of a user who is deactivated', async () => {
    const u = await createTestUser(s.env, ['viewer']);
    const cookie = await s.api.login(u.username, u.password);
    assert.equal((await s.api.get('/api/auth/me', { cookie })).status, 200);
    sqlite(s).prepare('UPDATE users SET is_active = 0 WHERE id = ?').run(u.id);
    assert.equal((await s.api.get('/api/auth/me', { cookie })).status, 401);
  });

  it('refuses incomplete login bodies with 400', async () => {
    for (const body of [{}, { username: 'admin' }, { password: 'x' }, { username: '', password: '' }]) {
      const res = await s.api.post('/api/auth/login', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.code, 'INVALID_INPUT');
    }
  });
});

describe('session cookie in dev mode and with COOKIE_SECURE=false', () => {
  it('drops Secure but keeps HttpOnly and SameSite=Lax', async () => {
    for (const [env, devMode] of [[{}, true], [{ COOKIE_SECURE: 'false' }, false]] as const) {
      const s = await startTestServer(env, { devMode });
      try {
        const res = await s.api.post('/api/auth/login', ADMIN);
        const raw = sessionSetCookie(res.headers)!;
        assert.doesNotMatch(raw, /Secure/i);
        assert.match(raw, /HttpOnly/);
        assert.match(raw, /SameSite=Lax/);
        const out = await s.api.post('/api/auth/logout', undefined, { cookie: sessionCookie(res.headers) });
        assert.doesNotMatch(sessionSetCookie(out.headers)!, /Secure/i);
      } finally {
        await s.stop();
      }
    }
  });
});

describe('sliding session expiry (SESSION_TTL=10s)', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer({ SESSION_TTL: '10s' });
    guard(s.api);
  });
  after(() => s.stop());

  it('uses SESSION_TTL for the cookie and the stored expiry', async () => {
    const t0 = Date.now();
    const res = await s.api.post('/api/auth/login', ADMIN);
    const raw = sessionSetCookie(res.headers)!;
    assert.ok(Math.abs(maxAgeOf(raw)! - 10) <= 1, `Max-Age ${maxAgeOf(raw)}`);
    const stored = sessionRow(s, sha256Hex(tokenOf(sessionCookie(res.headers)!)))!;
    assert.ok(Math.abs(Date.parse(stored.expires_at) - (t0 + 10_000)) < 2000, 'stored expiry ≈ now + 10s');
  });

  it('pushes the stored expiry and re-issues the cookie once the session has aged', async () => {
    const login = await s.api.post('/api/auth/login', ADMIN);
    const cookie = sessionCookie(login.headers)!;
    const hash = sha256Hex(tokenOf(cookie));
    const firstStored = Date.parse(sessionRow(s, hash)!.expires_at);
    const firstCookie = expiresOf(sessionSetCookie(login.headers)!)!;
    await sleep(1300);
    const res = await s.api.get('/api/auth/me', { cookie });
    assert.equal(res.status, 200);
    const reissued = sessionSetCookie(res.headers);
    assert.ok(reissued, 're-issued Set-Cookie');
    assert.equal(`rackd_session=${tokenOf(reissued.split(';')[0]!)}`, cookie, 'same token');
    assert.match(reissued, /HttpOnly/);
    assert.match(reissued, /SameSite=Lax/);
    assert.match(reissued, /Secure/);
    assert.ok(expiresOf(reissued)! > firstCookie, 'cookie expiry moved later');
    assert.ok(Math.abs(maxAgeOf(reissued)! - 10) <= 1);
    const movedStored = Date.parse(sessionRow(s, hash)!.expires_at);
    assert.ok(movedStored >= firstStored + 1000, `stored expiry moved: ${firstStored} → ${movedStored}`);
  });

  it('keeps an active session alive past its original TTL… and lets an idle one die', async () => {
    const cookie = await s.api.login(ADMIN.username, ADMIN.password);
    const hash = sha256Hex(tokenOf(cookie));
    // Pretend the session was created 9.5 s ago; a request now slides it.
    sqlite(s).prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(new Date(Date.now() + 500).toISOString(), hash);
    assert.equal((await s.api.get('/api/auth/me', { cookie })).status, 200);
    await sleep(700);
    assert.equal((await s.api.get('/api/auth/me', { cookie })).status, 200, 'still alive after its original expiry');
    sqlite(s).prepare('UPDATE sessions SET expires_at = ? WHERE token_hash = ?').run(new Date(Date.now() + 300).toISOString(), hash);
    await sleep(400);
    assert.equal((await s.api.get('/api/auth/me', { cookie })).status, 401);
  });

  it('does not resurrect the cookie when a slid session logs out', async () => {
    const cookie = await s.api.login(ADMIN.username, ADMIN.password);
    await sleep(1300);
    const res = await s.api.post('/api/auth/logout', undefined, { cookie });
    assert.equal(res.status, 204);
    const lines = res.headers.getSetCookie().filter((c) => c.startsWith('rackd_session='));
    assert.equal(lines.length, 1, `one session cookie line: ${lines.join(' | ')}`);
    assert.match(lines[0]!, /^rackd_session=;/);
    assert.equal(maxAgeOf(lines[0]!), 0);
  });
});
