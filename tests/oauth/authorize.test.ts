// The authorization endpoint's rules, driven like a browser: what shows an error page and redirects
// nowhere, what goes back to the client (always with state and iss), PKCE, redirect URI matching
// (loopback any port, nothing else), resource and scope handling, the sign-in and consent forms
// (CSRF, framing, caching, CSP) and what the code is then good for.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { Browser, browserAuthorize, hiddenInputs, startOAuthTestServer } from '../helpers/oauth.ts';
import { ADMIN, type TestServer } from '../helpers/server.ts';

const VERIFIER = 'v'.repeat(20) + '-verifier-for-tests-0123456789';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

describe('authorization endpoint', () => {
  let s: TestServer & { issuer: string };
  let publicClient: string;
  let httpsClient: string;
  before(async () => {
    s = await startOAuthTestServer();
    const reg = await s.api.post('/mcp-oauth/register', {
      client_name: 'Loopback <b>app</b>',
      redirect_uris: ['http://127.0.0.1/callback', 'http://localhost/cb?x=1'],
      token_endpoint_auth_method: 'none',
    });
    assert.equal(reg.status, 201);
    publicClient = reg.body.client_id;
    const web = await s.api.post('/mcp-oauth/register', { client_name: 'Web app', redirect_uris: ['https://app.example.com/cb'], token_endpoint_auth_method: 'none' });
    httpsClient = web.body.client_id;
  });
  after(() => s.stop());

  const authorizeUrl = (over: Record<string, string | undefined> = {}) => {
    const p: Record<string, string | undefined> = {
      response_type: 'code',
      client_id: publicClient,
      redirect_uri: 'http://127.0.0.1:49152/callback',
      scope: 'rackd:read',
      state: 'st-123',
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
      ...over,
    };
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(p)) if (v !== undefined) q.set(k, v);
    return `/mcp-oauth/authorize?${q}`;
  };

  const loggedIn = async () => {
    const b = new Browser(s.url);
    const page = await b.get(authorizeUrl());
    const res = await b.postForm('/mcp-oauth/authorize', { ...hiddenInputs(page.text), action: 'login', ...ADMIN });
    assert.equal(res.status, 303);
    return b;
  };

  const expectErrorPage = async (url: string) => {
    const res = await new Browser(s.url).get(url);
    assert.equal(res.status, 400);
    assert.equal(res.location, undefined);
    assert.match(res.headers.get('content-type')!, /^text\/html/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    return res.text;
  };

  const expectErrorRedirect = async (url: string, error: string, b = new Browser(s.url)) => {
    const res = await b.get(url);
    assert.equal(res.status, 302);
    const loc = new URL(res.location!);
    assert.equal(loc.searchParams.get('error'), error);
    assert.equal(loc.searchParams.get('state'), 'st-123');
    assert.equal(loc.searchParams.get('iss'), s.issuer);
    return loc;
  };

  it('unknown client, missing or unregistered redirect_uri: an error page, no redirect', async () => {
    assert.match(await expectErrorPage(authorizeUrl({ client_id: 'no-such-client' })), /Unknown client/);
    await expectErrorPage(authorizeUrl({ client_id: undefined }));
    await expectErrorPage(authorizeUrl({ redirect_uri: 'https://evil.example/callback' }));
    await expectErrorPage(authorizeUrl({ redirect_uri: undefined })); // two are registered
    await expectErrorPage(authorizeUrl({ redirect_uri: 'http://127.0.0.1:49152/callback/../x' }));
    // Duplicated client_id is an error page too (which one would we trust?).
    await expectErrorPage(authorizeUrl() + `&client_id=${httpsClient}`);
  });

  it('a loopback redirect may use any port; path, query and host must match exactly', async () => {
    const b = await loggedIn();
    for (const uri of ['http://127.0.0.1:49152/callback', 'http://127.0.0.1:1/callback', 'http://127.0.0.1/callback', 'http://localhost:5555/cb?x=1']) {
      const res = await b.get(authorizeUrl({ redirect_uri: uri }));
      assert.equal(res.status, 200, uri);
      assert.match(res.text, /value="approve"/);
    }
    await expectErrorPage(authorizeUrl({ redirect_uri: 'http://127.0.0.1:49152/callback2' }));
    await expectErrorPage(authorizeUrl({ redirect_uri: 'http://localhost:5555/cb?x=2' }));
    await expectErrorPage(authorizeUrl({ redirect_uri: 'http://localhost:5555/callback' })); // registered for 127.0.0.1 only
  });

  it('a non-loopback redirect must match exactly, port included', async () => {
    const b = await loggedIn();
    const ok = await b.get(authorizeUrl({ client_id: httpsClient, redirect_uri: 'https://app.example.com/cb' }));
    assert.equal(ok.status, 200);
    await expectErrorPage(authorizeUrl({ client_id: httpsClient, redirect_uri: 'https://app.example.com:8443/cb' }));
    await expectErrorPage(authorizeUrl({ client_id: httpsClient, redirect_uri: 'https://APP.example.com/cb' }));
    await expectErrorPage(authorizeUrl({ client_id: httpsClient, redirect_uri: 'https://app.example.com/cb/' }));
  });

  it('PKCE: missing, plain or malformed → invalid_request back to the client with state and iss', async () => {
    await expectErrorRedirect(authorizeUrl({ code_challenge: undefined, code_challenge_method: undefined }), 'invalid_request');
    await expectErrorRedirect(authorizeUrl({ code_challenge_method: undefined }), 'invalid_request');
    await expectErrorRedirect(authorizeUrl({ code_challenge_method: 'plain', code_challenge: VERIFIER }), 'invalid_request');
    await expectErrorRedirect(authorizeUrl({ code_challenge: 'short' }), 'invalid_request');
  });

  it('response_type, resource and scope errors go back to the client', async () => {
    await expectErrorRedirect(authorizeUrl({ response_type: 'token' }), 'unsupported_response_type');
    await expectErrorRedirect(authorizeUrl({ resource: 'https://other.example/mcp' }), 'invalid_target');
    await expectErrorRedirect(authorizeUrl({ resource: `${s.issuer}/mcp/` }), 'invalid_target');
    await expectErrorRedirect(authorizeUrl({ scope: 'openid profile' }), 'invalid_scope');
    await expectErrorRedirect(authorizeUrl() + '&scope=rackd:write', 'invalid_request');
    // The client's own query survives next to the error.
    const loc = await expectErrorRedirect(authorizeUrl({ redirect_uri: 'http://localhost:5555/cb?x=1', response_type: 'token' }), 'unsupported_response_type');
    assert.equal(loc.searchParams.get('x'), '1');
  });

  it('the canonical resource is accepted in any letter case of scheme and host, and defaulted when omitted', async () => {
    const b = await loggedIn();
    const upper = s.issuer.replace('http://', 'HTTP://') + '/mcp';
    assert.equal((await b.get(authorizeUrl({ resource: upper }))).status, 200);
    assert.equal((await b.get(authorizeUrl({ resource: undefined }))).status, 200);
  });

  it("a self-registered client's declared scope is no ceiling: a wider scope is asked for, consented and granted", async () => {
    const reg = await s.api.post('/mcp-oauth/register', {
      client_name: 'registered narrow',
      redirect_uris: ['http://127.0.0.1/callback'],
      token_endpoint_auth_method: 'none',
      scope: 'rackd:read rackd:write',
    });
    assert.equal(reg.body.scope, 'rackd:read rackd:write');
    const b = await loggedIn();
    // Step-up to what a 403 challenge names, alone or next to the registered scopes: neither refused nor narrowed.
    for (const scope of ['rackd:admin', 'rackd:read rackd:write rackd:admin']) {
      const page = await b.get(authorizeUrl({ client_id: reg.body.client_id, scope }));
      assert.equal(page.status, 200, `${scope}: ${page.location}`);
      assert.match(page.text, /<code>rackd:admin<\/code>/);
    }
  });

  it('unknown scopes are dropped; the consent page lists what will be granted, in plain words', async () => {
    const b = await loggedIn();
    const res = await b.get(authorizeUrl({ scope: 'claudeai rackd:read datacenter:create offline_access' }));
    assert.equal(res.status, 200);
    assert.match(res.text, /See everything your account can see/);
    assert.match(res.text, /Create datacenters/);
    assert.ok(!res.text.includes('<code>claudeai</code>'));
    assert.ok(!res.text.includes('<code>offline_access</code>'));
    assert.match(res.text, /<code>rackd:read<\/code>/);
    // The client's name is escaped, its redirect host shown, a loopback warning given.
    assert.ok(res.text.includes('Loopback &lt;b&gt;app&lt;/b&gt;'));
    assert.ok(!res.text.includes('<b>app</b>'));
    assert.match(res.text, /127\.0\.0\.1:49152/);
    assert.match(res.text, /a program on this computer/);
    assert.match(res.text, /registered itself/);
  });

  it('pages: no-store, unframeable, strict CSP with form-action for the redirect origin, no inline script or style', async () => {
    const b = new Browser(s.url);
    const login = await b.get(authorizeUrl());
    assert.equal(login.status, 200);
    for (const page of [login, await (await loggedIn()).get(authorizeUrl())]) {
      assert.equal(page.headers.get('cache-control'), 'no-store');
      assert.equal(page.headers.get('x-frame-options'), 'DENY');
      const csp = page.headers.get('content-security-policy')!;
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /style-src 'self'(;|$)/);
      assert.match(csp, /form-action 'self' http:\/\/127\.0\.0\.1:49152(;|$)/);
      assert.ok(!/<script|style=|<style/i.test(page.text));
      assert.match(page.text, /<link rel="stylesheet" href="\/assets\/oauth\.css">/);
    }
    const css = await b.get('/assets/oauth.css');
    assert.equal(css.status, 200);
    assert.match(css.headers.get('content-type')!, /^text\/css/);
  });

  it('sign-in: a wrong password re-shows the form with 401; a forged form is refused', async () => {
    const b = new Browser(s.url);
    const page = await b.get(authorizeUrl());
    const bad = await b.postForm('/mcp-oauth/authorize', { ...hiddenInputs(page.text), action: 'login', username: 'admin', password: 'wrong-password-123' });
    assert.equal(bad.status, 401);
    assert.match(bad.text, /Invalid username or password/);
    assert.ok(!b.cookies.has('rackd_session'));
    // A form posted without the browser's sign-in cookie (login CSRF) is refused.
    const other = new Browser(s.url);
    const forged = await other.postForm('/mcp-oauth/authorize', { ...hiddenInputs(page.text), action: 'login', ...ADMIN });
    assert.equal(forged.status, 403);
    assert.ok(!other.cookies.has('rackd_session'));
    // A post from another site is refused.
    const cross = await b.postForm('/mcp-oauth/authorize', { ...hiddenInputs(page.text), action: 'login', ...ADMIN }, { origin: 'https://evil.example' });
    assert.equal(cross.status, 403);
  });

  it('consent: the CSRF token is bound to the session and to the request', async () => {
    const b = await loggedIn();
    const page = await b.get(authorizeUrl());
    const fields = hiddenInputs(page.text);
    // Missing or wrong token.
    assert.equal((await b.postForm('/mcp-oauth/authorize', { ...fields, csrf_token: '', action: 'approve' })).status, 403);
    // The same token for a different request (scope widened).
    assert.equal((await b.postForm('/mcp-oauth/authorize', { ...fields, scope: 'rackd:admin', action: 'approve' })).status, 403);
    // The same token in another session of the same user.
    const other = await loggedIn();
    assert.equal((await other.postForm('/mcp-oauth/authorize', { ...fields, action: 'approve' })).status, 403);
    // Without a session at all the consent is not accepted.
    const none = new Browser(s.url);
    const res = await none.postForm('/mcp-oauth/authorize', { ...fields, action: 'approve' });
    assert.equal(res.status, 401);
    assert.equal(res.location, undefined);
    // The genuine one works.
    const ok = await b.postForm('/mcp-oauth/authorize', { ...fields, action: 'approve' });
    assert.equal(ok.status, 303);
  });

  it('deny → access_denied with state and iss; approve → code with state and iss', async () => {
    const denied = await browserAuthorize(new Browser(s.url), authorizeUrl(), ADMIN, 'deny');
    assert.equal(denied.location.origin + denied.location.pathname, 'http://127.0.0.1:49152/callback');
    assert.equal(denied.location.searchParams.get('error'), 'access_denied');
    assert.equal(denied.location.searchParams.get('state'), 'st-123');
    assert.equal(denied.location.searchParams.get('iss'), s.issuer);
    assert.equal(denied.location.searchParams.get('code'), null);
    const ok = await browserAuthorize(new Browser(s.url), authorizeUrl(), ADMIN);
    assert.match(ok.location.searchParams.get('code')!, /^rackd_ac_/);
    assert.equal(ok.location.searchParams.get('state'), 'st-123');
    assert.equal(ok.location.searchParams.get('iss'), s.issuer);
  });

  const token = (fields: Record<string, string>) =>
    fetch(`${s.url}/mcp-oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });

  const freshCode = async (redirect = 'http://127.0.0.1:49152/callback') => {
    const { location } = await browserAuthorize(new Browser(s.url), authorizeUrl({ redirect_uri: redirect }), ADMIN);
    return location.searchParams.get('code')!;
  };

  it('a failed PKCE check burns the code', async () => {
    const code = await freshCode();
    const base = { grant_type: 'authorization_code', code, client_id: publicClient, redirect_uri: 'http://127.0.0.1:49152/callback' };
    const wrong = await token({ ...base, code_verifier: 'w'.repeat(50) });
    assert.equal(wrong.status, 400);
    assert.deepEqual(await wrong.json(), { error: 'invalid_grant', error_description: 'PKCE verification failed: code_verifier does not match code_challenge' });
    const right = await token({ ...base, code_verifier: VERIFIER });
    assert.equal(right.status, 400);
    assert.equal((await right.json()).error, 'invalid_grant');
  });

  it('a token request refused with invalid_target leaves the code usable (RFC 8707: the grant stays valid)', async () => {
    const code = await freshCode();
    const base = { grant_type: 'authorization_code', code, client_id: publicClient, redirect_uri: 'http://127.0.0.1:49152/callback', code_verifier: VERIFIER };
    const wrong = await token({ ...base, resource: 'https://other.example/mcp' });
    assert.equal(wrong.status, 400);
    assert.equal((await wrong.json()).error, 'invalid_target');
    const right = await token({ ...base, resource: `${s.issuer}/mcp` });
    assert.equal(right.status, 200, 'the same code still works with the right resource');
    assert.match((await right.json()).access_token, /^eyJ/);
  });

  it('the code is bound to its redirect_uri (with the same port) and to its client', async () => {
    const code = await freshCode('http://127.0.0.1:50000/callback');
    const other = await token({ grant_type: 'authorization_code', code, client_id: httpsClient, redirect_uri: 'http://127.0.0.1:50000/callback', code_verifier: VERIFIER });
    assert.equal((await other.json()).error, 'invalid_grant');
    // Another client's attempt did not burn it; a different port does.
    const port = await token({ grant_type: 'authorization_code', code, client_id: publicClient, redirect_uri: 'http://127.0.0.1:50001/callback', code_verifier: VERIFIER });
    assert.equal((await port.json()).error, 'invalid_grant');
  });

  it('codes live 60 seconds', async () => {
    const code = await freshCode();
    const clock = s.env.clock;
    const realNow = clock.now.bind(clock);
    (s.env as { clock: { now(): Date } }).clock = { now: () => new Date(realNow().getTime() + 61_000) };
    try {
      const res = await token({ grant_type: 'authorization_code', code, client_id: publicClient, redirect_uri: 'http://127.0.0.1:49152/callback', code_verifier: VERIFIER });
      assert.deepEqual(await res.json(), { error: 'invalid_grant', error_description: 'The authorization code has expired' });
    } finally {
      (s.env as { clock: unknown }).clock = clock;
    }
  });

  it('token endpoint: form-encoded only, RFC 6749 errors, no-store, one client auth method', async () => {
    const json = await fetch(`${s.url}/mcp-oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":"client_credentials"}' });
    assert.equal(json.status, 400);
    assert.equal((await json.json()).error, 'invalid_request');
    const unsupported = await token({ grant_type: 'password', client_id: publicClient });
    assert.equal(unsupported.status, 400);
    assert.equal(unsupported.headers.get('cache-control'), 'no-store');
    assert.equal(unsupported.headers.get('pragma'), 'no-cache');
    assert.deepEqual(await unsupported.json(), { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type password' });
    const unknown = await token({ grant_type: 'authorization_code', client_id: 'nope', code: 'x' });
    assert.equal(unknown.status, 401);
    assert.equal((await unknown.json()).error, 'invalid_client');
    const twice = await fetch(`${s.url}/mcp-oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${publicClient}:`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', client_secret: 'y' }),
    });
    assert.equal((await twice.json()).error, 'invalid_request');
    const repeated = await fetch(`${s.url}/mcp-oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=authorization_code&code=a&code=b&client_id=${publicClient}`,
    });
    assert.equal((await repeated.json()).error, 'invalid_request');
    // A public client may not use client_credentials.
    const cc = await token({ grant_type: 'client_credentials', client_id: publicClient });
    assert.equal((await cc.json()).error, 'unauthorized_client');
  });
});
