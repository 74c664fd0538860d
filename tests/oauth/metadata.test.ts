// Discovery documents, the three strings emitted byte-identically everywhere, CORS on the public
// endpoints, the signing key (deterministic, published), settings and turning OAuth off.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import { tokenSigner } from '../../src/oauth/signing.ts';
import { ConfigError, parseConfig } from '../../src/platform/config.ts';
import { keyMaterialFromSecret } from '../../src/platform/keys.ts';
import { SCOPES_SUPPORTED } from '../../src/auth/scopes.ts';
import { Browser, browserAuthorize, decodeJwt, mcpPost, obtainTokens, startOAuthTestServer } from '../helpers/oauth.ts';
import { ADMIN, createTestUser, startTestServer, type TestServer } from '../helpers/server.ts';

const LIST = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };

describe('OAuth metadata', () => {
  let s: TestServer & { issuer: string };
  before(async () => {
    s = await startOAuthTestServer();
  });
  after(() => s.stop());

  it('RFC 8414 authorization-server metadata', async () => {
    const res = await fetch(`${s.url}/.well-known/oauth-authorization-server`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/json');
    const i = s.issuer;
    assert.deepEqual(await res.json(), {
      issuer: i,
      authorization_endpoint: `${i}/mcp-oauth/authorize`,
      token_endpoint: `${i}/mcp-oauth/token`,
      registration_endpoint: `${i}/mcp-oauth/register`,
      revocation_endpoint: `${i}/mcp-oauth/revoke`,
      jwks_uri: `${i}/mcp-oauth/jwks`,
      scopes_supported: SCOPES_SUPPORTED,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      client_id_metadata_document_supported: true,
    });
    assert.deepEqual(SCOPES_SUPPORTED.slice(0, 3), ['rackd:read', 'rackd:write', 'rackd:admin']);
    assert.ok(SCOPES_SUPPORTED.includes('device:create'));
    assert.ok(!SCOPES_SUPPORTED.includes('offline_access'));
  });

  it('RFC 9728 protected-resource metadata at the path-aware and the root URL', async () => {
    const a = await fetch(`${s.url}/.well-known/oauth-protected-resource/mcp`);
    const b = await fetch(`${s.url}/.well-known/oauth-protected-resource`);
    const text = await a.text();
    assert.equal(text, await b.text());
    assert.deepEqual(JSON.parse(text), {
      resource: `${s.issuer}/mcp`,
      authorization_servers: [s.issuer],
      bearer_methods_supported: ['header'],
      scopes_supported: SCOPES_SUPPORTED,
      resource_name: 'rackd',
    });
  });

  it('issuer, resource and PRM URL are the same bytes in metadata, challenges, redirects and tokens', async () => {
    const as = (await (await fetch(`${s.url}/.well-known/oauth-authorization-server`)).json()) as { issuer: string };
    const prm = (await (await fetch(`${s.url}/.well-known/oauth-protected-resource/mcp`)).json()) as { resource: string; authorization_servers: string[] };
    const challenge = (await mcpPost(s.url, undefined, LIST)).headers.get('www-authenticate')!;
    const prmUrl = /resource_metadata="([^"]+)"/.exec(challenge)![1];
    assert.equal(prmUrl, `${s.issuer}/.well-known/oauth-protected-resource/mcp`);
    assert.equal(prm.authorization_servers[0], as.issuer);
    assert.equal(prm.resource, `${as.issuer}/mcp`);
    assert.ok(!as.issuer.endsWith('/'));
    const t = await obtainTokens(s, ADMIN);
    const claims = decodeJwt(t.access_token);
    assert.equal(claims.iss, as.issuer);
    assert.equal(claims.aud, prm.resource);
    const header = JSON.parse(Buffer.from(t.access_token.split('.')[0]!, 'base64url').toString());
    assert.deepEqual(Object.keys(header).sort(), ['alg', 'kid', 'typ']);
    assert.equal(header.typ, 'at+jwt');
    assert.equal(header.alg, 'EdDSA');
    assert.deepEqual(Object.keys(claims).sort(), ['aud', 'client_id', 'exp', 'fid', 'iat', 'iss', 'jti', 'scope', 'sub']);
  });

  it('CORS (no credentials) on metadata, JWKS, token, register and revoke', async () => {
    const origin = 'https://inspector.example';
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/oauth-protected-resource/mcp', '/mcp-oauth/jwks']) {
      const res = await fetch(`${s.url}${path}`, { headers: { origin } });
      assert.equal(res.headers.get('access-control-allow-origin'), '*', path);
      assert.equal(res.headers.get('access-control-allow-credentials'), null, path);
    }
    for (const path of ['/mcp-oauth/token', '/mcp-oauth/register', '/mcp-oauth/revoke']) {
      const pre = await fetch(`${s.url}${path}`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
      });
      assert.equal(pre.status, 204, path);
      assert.equal(pre.headers.get('access-control-allow-origin'), '*', path);
      assert.match(pre.headers.get('access-control-allow-methods')!, /POST/, path);
    }
    // The authorization endpoint is a navigation: no CORS.
    const authz = await fetch(`${s.url}/mcp-oauth/authorize`, { headers: { origin } });
    assert.equal(authz.headers.get('access-control-allow-origin'), null);
  });

  it('answers a wrong method on the metadata and protocol URLs with 405 and Allow, not 404', async () => {
    const cases: [string, string[], string][] = [
      ['/.well-known/oauth-authorization-server', ['POST', 'PUT', 'DELETE'], 'GET, HEAD'],
      ['/.well-known/oauth-protected-resource', ['POST', 'PUT'], 'GET, HEAD'],
      ['/.well-known/oauth-protected-resource/mcp', ['POST', 'PUT', 'PATCH'], 'GET, HEAD'],
      ['/mcp-oauth/jwks', ['POST'], 'GET, HEAD'],
      ['/mcp-oauth/token', ['GET', 'PUT', 'DELETE'], 'POST'],
      ['/mcp-oauth/revoke', ['GET', 'PUT'], 'POST'],
      ['/mcp-oauth/register', ['GET'], 'POST'],
    ];
    for (const [path, methods, allow] of cases) {
      for (const method of methods) {
        const res = await fetch(`${s.url}${path}`, { method, ...(method !== 'GET' && { body: '{}', headers: { 'content-type': 'application/json' } }) });
        assert.equal(res.status, 405, `${method} ${path}`);
        assert.equal(res.headers.get('allow'), allow, `${method} ${path}`);
        assert.equal((await res.json()).code, 'METHOD_NOT_ALLOWED');
      }
    }
    // The right methods still work, and CORS preflights are still answered.
    assert.equal((await fetch(`${s.url}/.well-known/oauth-authorization-server`, { method: 'HEAD' })).status, 200);
    const pre = await fetch(`${s.url}/mcp-oauth/token`, { method: 'OPTIONS', headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' } });
    assert.equal(pre.status, 204);
  });

  it('publishes the signing key; kid is its thumbprint; the key is derived, not random', async () => {
    const jwks = (await (await fetch(`${s.url}/mcp-oauth/jwks`)).json()) as { keys: Array<Record<string, string>> };
    assert.equal(jwks.keys.length, 1);
    const [k] = jwks.keys;
    assert.equal(k!.kty, 'OKP');
    assert.equal(k!.crv, 'Ed25519');
    assert.equal(k!.d, undefined);
    assert.equal(k!.kid, await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: k!.x! }, 'sha256'));
    assert.deepEqual(jwks, (await tokenSigner(s.env.keys)).jwks);
    // Two processes with the same master key agree: a token of one verifies in the other.
    const secret = Buffer.alloc(32, 42);
    const one = await tokenSigner(keyMaterialFromSecret(secret, 'env'));
    const two = await tokenSigner(keyMaterialFromSecret(Buffer.from(secret), 'env'));
    assert.equal(one.kid, two.kid);
    const now = Math.floor(Date.now() / 1000);
    const jwt = await one.sign({ iss: 'https://r.example', sub: 'u', aud: 'https://r.example/mcp', client_id: 'c', scope: 'rackd:read', jti: 'j', fid: 'f', iat: now, exp: now + 60 });
    const claims = await two.verify(jwt, { issuer: 'https://r.example', audience: 'https://r.example/mcp', now: new Date() });
    assert.equal(claims.sub, 'u');
    assert.notEqual((await tokenSigner(keyMaterialFromSecret(Buffer.alloc(32, 43), 'env'))).kid, one.kid);
  });
});

describe('OAuth settings', () => {
  it('MCP_OAUTH_ISSUER_URL must be an origin; http only for loopback outside dev mode', () => {
    const parse = (issuer: string, devMode = false) => parseConfig({ MCP_OAUTH_ISSUER_URL: issuer }, { devMode });
    for (const bad of ['https://rackd.example.com/', 'https://rackd.example.com/oauth', 'https://rackd.example.com?x=1', 'HTTPS://rackd.example.com', 'https://rackd.example.com:443', 'ftp://rackd.example.com', 'rackd.example.com']) {
      assert.throws(() => parse(bad), (e: ConfigError) => e instanceof ConfigError && e.variable === 'MCP_OAUTH_ISSUER_URL', bad);
    }
    assert.throws(() => parse('http://rackd.example.com'), /must use https/);
    assert.equal(parse('http://rackd.example.com', true).mcp.issuerUrl, 'http://rackd.example.com');
    for (const ok of ['https://rackd.example.com', 'https://rackd.example.com:8443', 'http://localhost:8080', 'http://127.0.0.1:9000', 'http://[::1]:8080']) {
      assert.equal(parse(ok).mcp.issuerUrl, ok);
    }
  });

  it('defaults, durations and redirect schemes', () => {
    const c = parseConfig({});
    assert.deepEqual(c.oauth, { enabled: true, accessTokenTtlMs: 3_600_000, refreshTokenTtlMs: 720 * 3_600_000, allowedRedirectSchemes: [] });
    assert.equal(parseConfig({ MCP_OAUTH_ENABLED: 'false' }).oauth.enabled, false);
    assert.equal(parseConfig({ MCP_OAUTH_ACCESS_TOKEN_TTL: '15m' }).oauth.accessTokenTtlMs, 900_000);
    assert.throws(() => parseConfig({ MCP_OAUTH_REFRESH_TOKEN_TTL: 'forever' }), /MCP_OAUTH_REFRESH_TOKEN_TTL/);
    assert.deepEqual(parseConfig({ OAUTH_ALLOWED_REDIRECT_SCHEMES: 'cursor, Vscode:' }).oauth.allowedRedirectSchemes, ['cursor', 'vscode']);
    for (const bad of ['javascript', 'https', 'data', 'file', '1abc', 'a b']) {
      assert.throws(() => parseConfig({ OAUTH_ALLOWED_REDIRECT_SCHEMES: bad }), /OAUTH_ALLOWED_REDIRECT_SCHEMES/, bad);
    }
  });

  it('without MCP_OAUTH_ISSUER_URL the issuer is http://localhost:<port>', async () => {
    const s = await startTestServer();
    try {
      const as = (await (await fetch(`${s.url}/.well-known/oauth-authorization-server`)).json()) as { issuer: string };
      assert.equal(as.issuer, `http://localhost:${s.server.port}`);
    } finally {
      await s.stop();
    }
  });

  it('a private-use scheme listed in OAUTH_ALLOWED_REDIRECT_SCHEMES works end to end', async () => {
    const s = await startOAuthTestServer({ OAUTH_ALLOWED_REDIRECT_SCHEMES: 'cursor' });
    try {
      const redirect = 'cursor://anysphere.cursor-mcp/oauth/callback';
      const reg = await s.api.post('/mcp-oauth/register', { client_name: 'Cursor', redirect_uris: [redirect], token_endpoint_auth_method: 'none' });
      assert.equal(reg.status, 201);
      const q = new URLSearchParams({ response_type: 'code', client_id: reg.body.client_id, redirect_uri: redirect, state: 'c', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' });
      const b = new Browser(s.url);
      const step = await browserAuthorize(b, `/mcp-oauth/authorize?${q}`, ADMIN);
      assert.equal(`${step.location.protocol}//${step.location.host}${step.location.pathname}`, redirect);
      assert.equal(step.location.searchParams.get('iss'), s.issuer);
      const page = await b.get(`/mcp-oauth/authorize?${q}`);
      assert.match(page.headers.get('content-security-policy')!, /form-action 'self' cursor:(;|$)/);
    } finally {
      await s.stop();
    }
  });

  it('MCP_OAUTH_ENABLED=false: no authorization server, a plain challenge, API keys as before', async () => {
    const s = await startTestServer({ MCP_OAUTH_ENABLED: 'false' });
    try {
      assert.equal((await fetch(`${s.url}/.well-known/oauth-authorization-server`)).status, 404);
      assert.equal((await fetch(`${s.url}/.well-known/oauth-protected-resource/mcp`)).status, 404);
      assert.equal((await fetch(`${s.url}/mcp-oauth/authorize`)).status, 404);
      const res = await mcpPost(s.url, undefined, LIST);
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer realm="rackd"');
      const u = await createTestUser(s.env, ['viewer']);
      assert.equal((await mcpPost(s.url, u.key, LIST)).status, 200);
    } finally {
      await s.stop();
    }
  });
});
