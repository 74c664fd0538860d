// CSRF: cookie-authenticated writes need `X-Requested-With: XMLHttpRequest`; bearer writes do not;
// bodies are JSON only, so a cross-site HTML form cannot produce an acceptable request.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ADMIN, createTestUser, startTestServer, type TestServer } from '../helpers/server.ts';
import { guard, sqlite } from './support.ts';

describe('CSRF protection', () => {
  let s: TestServer;
  let cookie: string;
  let adminKey: string;
  const keyCount = () => (sqlite(s).prepare('SELECT count(*) AS n FROM api_keys').get() as { n: number }).n;
  const sessionCount = () => (sqlite(s).prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;

  before(async () => {
    s = await startTestServer();
    guard(s.api);
    cookie = await s.api.login(ADMIN.username, ADMIN.password);
    adminKey = (await createTestUser(s.env, ['admin'])).key;
  });
  after(() => s.stop());

  it('rejects a cookie POST without X-Requested-With with 403 CSRF_FAILED and changes nothing', async () => {
    const before = keyCount();
    const res = await s.api.post('/api/keys', { name: 'csrf-victim' }, { cookie, csrf: false });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'CSRF_FAILED');
    assert.match(res.body.error, /X-Requested-With/);
    assert.equal(keyCount(), before);
    const named = sqlite(s).prepare("SELECT count(*) AS n FROM api_keys WHERE name = 'csrf-victim'").get() as { n: number };
    assert.equal(named.n, 0);
  });

  it('rejects cookie PUT, PATCH and DELETE without the header, before any route runs', async () => {
    const created = await s.api.post('/api/keys', { name: 'keep-me' }, { token: adminKey });
    assert.equal(created.status, 201);
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const res = await s.api.request(method, `/api/keys/${created.body.id}`, { cookie, csrf: false, body: method === 'DELETE' ? undefined : { name: 'x' } });
      assert.equal(res.status, 403, method);
      assert.equal(res.body.code, 'CSRF_FAILED', method);
    }
    const still = await s.api.get(`/api/keys/${created.body.id}`, { token: adminKey });
    assert.equal(still.status, 200);
    assert.equal(still.body.name, 'keep-me');
  });

  it('rejects a wrong header value, which is compared exactly', async () => {
    for (const value of ['xmlhttprequest', 'fetch', '1', 'XMLHttpRequest2']) {
      const res = await s.api.post('/api/keys', { name: 'x' }, { cookie, csrf: false, headers: { 'x-requested-with': value } });
      assert.equal(res.status, 403, value);
      assert.equal(res.body.code, 'CSRF_FAILED', value);
    }
  });

  it('rejects a cookie logout without the header and leaves the session alive', async () => {
    const mine = await s.api.login(ADMIN.username, ADMIN.password);
    const sessions = sessionCount();
    const res = await s.api.post('/api/auth/logout', undefined, { cookie: mine, csrf: false });
    assert.equal(res.status, 403);
    assert.equal(res.body.code, 'CSRF_FAILED');
    assert.equal(sessionCount(), sessions);
    assert.equal((await s.api.get('/api/auth/me', { cookie: mine })).status, 200);
  });

  it('accepts cookie writes that carry X-Requested-With: XMLHttpRequest', async () => {
    const before = keyCount();
    const res = await s.api.post('/api/keys', { name: 'with-header' }, { cookie, headers: { 'x-requested-with': 'XMLHttpRequest' } });
    assert.equal(res.status, 201);
    assert.equal(keyCount(), before + 1);
    const del = await s.api.delete(`/api/keys/${res.body.id}`, { cookie, csrf: true });
    assert.equal(del.status, 204);
    assert.equal(keyCount(), before);
  });

  it('lets cookie reads through without the header', async () => {
    for (const path of ['/api/auth/me', '/api/keys']) {
      const res = await s.api.get(path, { cookie, csrf: false });
      assert.equal(res.status, 200, path);
    }
    const head = await s.api.request('HEAD', '/api/auth/me', { cookie, csrf: false });
    assert.equal(head.status, 200);
  });

  it('exempts bearer-authenticated writes', async () => {
    const res = await s.api.post('/api/keys', { name: 'bearer-write' }, { token: adminKey, csrf: false });
    assert.equal(res.status, 201);
    const del = await s.api.delete(`/api/keys/${res.body.id}`, { token: adminKey, csrf: false });
    assert.equal(del.status, 204);
  });

  it('does not let a cookie ride along a bearer request: the bearer decides', async () => {
    const res = await s.api.post('/api/keys', { name: 'x' }, { cookie, token: 'rackd_not-a-real-key', csrf: false });
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'UNAUTHORIZED');
  });

  it('answers an invalid session cookie with 401, not with the CSRF verdict', async () => {
    const res = await s.api.post('/api/keys', { name: 'x' }, { cookie: 'rackd_session=forged', csrf: false });
    assert.equal(res.status, 401);
    assert.equal(res.body.code, 'UNAUTHORIZED');
  });

  it('accepts only JSON bodies: form, multipart and text/plain logins get 415', async () => {
    const form = await s.api.request('POST', '/api/auth/login', {
      raw: `username=${ADMIN.username}&password=${ADMIN.password}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(form.status, 415);
    assert.equal(form.body.code, 'UNSUPPORTED_MEDIA_TYPE');
    assert.equal(form.headers.getSetCookie().length, 0);
    // A form with enctype=text/plain can smuggle a JSON-looking body; it is refused all the same.
    const plain = await s.api.request('POST', '/api/auth/login', { raw: JSON.stringify(ADMIN), headers: { 'content-type': 'text/plain' } });
    assert.equal(plain.status, 415);
    assert.equal(plain.headers.getSetCookie().length, 0);
    const multipart = await s.api.request('POST', '/api/auth/login', {
      raw: `--b\r\nContent-Disposition: form-data; name="username"\r\n\r\nadmin\r\n--b--\r\n`,
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
    });
    assert.equal(multipart.status, 415);
    const none = await s.api.request('POST', '/api/auth/login', { raw: JSON.stringify(ADMIN) });
    assert.equal(none.status, 415);
  });

  it('refuses a form-encoded write even with a valid cookie and the header', async () => {
    const before = keyCount();
    const res = await s.api.request('POST', '/api/keys', {
      raw: 'name=form-key',
      cookie,
      csrf: true,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 415);
    assert.equal(keyCount(), before);
  });
});
