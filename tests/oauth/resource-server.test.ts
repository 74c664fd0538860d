// rackd as resource server of its own tokens on /mcp and /api: the 401 challenges, what an access
// token must be (signature, typ, iss, exact audience, expiry, live grant), the 403 step-up challenge,
// scopes ∩ current permissions (a role change reaches live tokens), and API keys beside OAuth.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import { tokenSigner } from '../../src/oauth/signing.ts';
import { keyMaterialFromSecret } from '../../src/platform/keys.ts';
import { decodeJwt, mcpPost, obtainTokens, startOAuthTestServer, toolCall } from '../helpers/oauth.ts';
import { ADMIN, createTestUser, type TestServer } from '../helpers/server.ts';

const LIST = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };

describe('resource server', () => {
  let s: TestServer & { issuer: string };
  let prm: string;
  before(async () => {
    s = await startOAuthTestServer();
    prm = `${s.issuer}/.well-known/oauth-protected-resource/mcp`;
  });
  after(() => s.stop());

  it('no credentials on /mcp: 401 with resource_metadata and scope, and no error attribute', async () => {
    const res = await mcpPost(s.url, undefined, LIST);
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('www-authenticate'), `Bearer resource_metadata="${prm}", scope="rackd:read rackd:write"`);
  });

  it('a bad, forged, wrong-audience, wrong-typ or unsigned token: 401 invalid_token', async () => {
    const good = await obtainTokens(s, ADMIN);
    assert.equal((await mcpPost(s.url, good.access_token, LIST)).status, 200);
    const claims = decodeJwt(good.access_token);
    const signer = await tokenSigner(s.env.keys);
    const now = Math.floor(Date.now() / 1000);
    const base = { ...claims, iat: now, exp: now + 600 } as Parameters<typeof signer.sign>[0];
    const wrongAudience = await signer.sign({ ...base, aud: 'https://other.example/mcp' });
    const wrongIssuer = await signer.sign({ ...base, iss: 'https://evil.example' });
    const unknownGrant = await signer.sign({ ...base, fid: 'no-such-grant' });
    const otherKey = await (await tokenSigner(keyMaterialFromSecret(Buffer.alloc(32, 7), 'env'))).sign(base);
    const [h, p] = good.access_token.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, scope: 'rackd:admin' })).toString('base64url')}.${good.access_token.split('.')[2]}`;
    const unsigned = `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString('base64url')}.${p}.`;
    const plainJwtTyp = await new SignJWT(base as never).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(Buffer.alloc(32, 1));
    // An audience list that contains us is not "exactly one audience, ours".
    const listAudience = await new SignJWT({ ...base, aud: [claims.aud, 'https://other.example'] } as never)
      .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: signer.kid })
      .sign((await import('node:crypto')).createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), s.env.keys.derive('token-signing')]), format: 'der', type: 'pkcs8' }));
    for (const [what, token] of Object.entries({ wrongAudience, wrongIssuer, unknownGrant, otherKey, tampered, unsigned, plainJwtTyp, listAudience, garbage: 'eyJhbGciOi.x.y' })) {
      const res = await mcpPost(s.url, token, LIST);
      assert.equal(res.status, 401, what);
      assert.equal(
        res.headers.get('www-authenticate'),
        `Bearer error="invalid_token", error_description="The access token is invalid, expired or revoked", resource_metadata="${prm}", scope="rackd:read rackd:write"`,
        what,
      );
      assert.equal((await s.api.get('/api/datacenters', { token })).status, 401, what);
    }
    // The sanity check: the same claims with our key, our audience and a live grant pass.
    assert.equal((await mcpPost(s.url, await signer.sign(base), LIST)).status, 200);
  });

  it('tokens in the query string are never accepted', async () => {
    const { access_token } = await obtainTokens(s, ADMIN);
    const res = await fetch(`${s.url}/mcp?access_token=${access_token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(LIST),
    });
    assert.equal(res.status, 400);
  });

  it('scopes the token lacks but the user holds: 403 insufficient_scope naming the scope to request', async () => {
    const { access_token } = await obtainTokens(s, ADMIN, 'rackd:read');
    const res = await mcpPost(s.url, access_token, toolCall('datacenter_save', { name: 'nope' }));
    assert.equal(res.status, 403);
    assert.equal(
      res.headers.get('www-authenticate'),
      `Bearer error="insufficient_scope", scope="rackd:write", resource_metadata="${prm}", error_description="The token's scopes do not cover datacenter_save; request scope rackd:write"`,
    );
    const del = await mcpPost(s.url, access_token, toolCall('datacenter_delete', { id: 'x' }));
    assert.equal(del.status, 403);
    assert.match(del.headers.get('www-authenticate')!, /scope="rackd:admin"/);
    // Reads are covered.
    const list = await mcpPost(s.url, access_token, toolCall('datacenter_list'));
    assert.equal(list.status, 200);
    assert.equal(list.body.result.isError, undefined);
    // On /api the same 403 carries the same kind of challenge.
    const api = await s.api.post('/api/datacenters', { name: 'nope' }, { token: access_token });
    assert.equal(api.status, 403);
    assert.equal(api.body.code, 'FORBIDDEN');
    assert.match(api.headers.get('www-authenticate')!, /^Bearer error="insufficient_scope", scope="rackd:write"/);
  });

  it('a token acts with the user’s current permissions: a role change applies to live tokens', async () => {
    const viewer = await createTestUser(s.env, ['viewer']);
    const { access_token } = await obtainTokens(s, viewer, 'rackd:read rackd:write');
    const denied = await mcpPost(s.url, access_token, toolCall('datacenter_save', { name: 'dc-role-change' }));
    // The scope covers it, the user does not hold it: no step-up would help, the tool says FORBIDDEN.
    assert.equal(denied.status, 200);
    assert.equal(denied.body.result.isError, true);
    assert.equal(denied.body.result._meta['rackd/error'].code, 'FORBIDDEN');
    // An admin grants the viewer the admin role; the same token now writes.
    const adminKey = (await createTestUser(s.env, ['admin'])).key;
    const roles = await s.api.get('/api/roles', { token: adminKey });
    const adminRole = roles.body.find((r: { name: string }) => r.name === 'admin');
    const grant = await s.api.post("/api/users/grant-role", { user_id: viewer.id, role_id: adminRole.id }, { token: adminKey });
    assert.ok(grant.status === 200 || grant.status === 201 || grant.status === 204, `grant role: ${grant.status} ${grant.text}`);
    const ok = await mcpPost(s.url, access_token, toolCall('datacenter_save', { name: 'dc-role-change' }));
    assert.equal(ok.body.result.isError, undefined, JSON.stringify(ok.body));
    // ...but not beyond the token's scope: deleting needs rackd:admin.
    const del = await mcpPost(s.url, access_token, toolCall('datacenter_delete', { id: ok.body.result.structuredContent.id }));
    assert.equal(del.status, 403);
  });

  it('administrator-only rules need the admin scope too', async () => {
    const { access_token } = await obtainTokens(s, ADMIN, 'rackd:read');
    const me = await s.api.get('/api/auth/me', { token: access_token });
    assert.equal(me.status, 200);
    const keys = await s.api.get('/api/keys', { token: access_token });
    assert.equal(keys.status, 200);
    // With rackd:read an admin sees only their own keys (the admin view needs rackd:admin).
    const full = await obtainTokens(s, ADMIN, 'rackd:admin');
    const all = await s.api.get('/api/keys', { token: full.access_token });
    assert.ok(all.body.length >= keys.body.length);
    assert.ok(keys.body.every((k: { user_id: string }) => k.user_id === me.body.id));
  });

  it('API keys keep working on /mcp and /api; a bad key gets invalid_token', async () => {
    const u = await createTestUser(s.env, ['operator']);
    assert.equal((await mcpPost(s.url, u.key, LIST)).status, 200);
    assert.equal((await s.api.get('/api/datacenters', { token: u.key })).status, 200);
    const bad = await mcpPost(s.url, 'rackd_not-a-real-key', LIST);
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get('www-authenticate')!, /^Bearer error="invalid_token", .*resource_metadata=/);
  });

  it('a deactivated user’s token stops working at once', async () => {
    const u = await createTestUser(s.env, ['operator']);
    const { access_token } = await obtainTokens(s, u);
    assert.equal((await mcpPost(s.url, access_token, LIST)).status, 200);
    const adminKey = (await createTestUser(s.env, ['admin'])).key;
    const upd = await s.api.put(`/api/users/${u.id}`, { is_active: false }, { token: adminKey });
    assert.equal(upd.status, 200, upd.text);
    assert.equal((await mcpPost(s.url, access_token, LIST)).status, 401);
  });

  it('a password change ends the tokens of earlier sign-ins, refresh included', async () => {
    const u = await createTestUser(s.env, ['operator']);
    const t = await obtainTokens(s, u);
    assert.equal((await mcpPost(s.url, t.access_token, LIST)).status, 200);
    const adminKey = (await createTestUser(s.env, ['admin'])).key;
    const reset = await s.api.post(`/api/users/${u.id}/reset-password`, { new_password: 'a-brand-new-password-1' }, { token: adminKey });
    assert.ok(reset.status === 200 || reset.status === 204, `${reset.status} ${reset.text}`);
    assert.equal((await mcpPost(s.url, t.access_token, LIST)).status, 401);
    const refreshed = await fetch(`${s.url}/mcp-oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: t.client_id }),
    });
    assert.equal(((await refreshed.json()) as { error: string }).error, 'invalid_grant');
    // Signing in again after the change works.
    const again = await obtainTokens(s, { username: u.username, password: 'a-brand-new-password-1' });
    assert.equal((await mcpPost(s.url, again.access_token, LIST)).status, 200);
  });

  it('browsers may call /mcp from allowed origins and see WWW-Authenticate', async () => {
    const pre = await fetch(`${s.url}/mcp`, {
      method: 'OPTIONS',
      headers: { origin: s.issuer, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, mcp-protocol-version' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), s.issuer);
    assert.match(pre.headers.get('access-control-allow-headers')!, /Authorization/i);
    const res = await mcpPost(s.url, undefined, LIST, { origin: s.issuer });
    assert.equal(res.status, 401);
    assert.match(res.headers.get('access-control-expose-headers')!, /WWW-Authenticate/);
    const evil = await fetch(`${s.url}/mcp`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    assert.equal(evil.headers.get('access-control-allow-origin'), null);
  });
});

describe('access token lifetime', () => {
  let s: TestServer & { issuer: string };
  before(async () => {
    s = await startOAuthTestServer({ MCP_OAUTH_ACCESS_TOKEN_TTL: '2s' });
  });
  after(() => s.stop());

  it('an expired access token is refused; the refresh token still works', async () => {
    const t = await obtainTokens(s, ADMIN);
    assert.equal(t.expires_in, 2);
    assert.equal((await mcpPost(s.url, t.access_token, LIST)).status, 200);
    await new Promise((r) => setTimeout(r, 3100));
    const res = await mcpPost(s.url, t.access_token, LIST);
    assert.equal(res.status, 401);
    assert.match(res.headers.get('www-authenticate')!, /error="invalid_token"/);
    const refreshed = await fetch(`${s.url}/mcp-oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: t.client_id }),
    });
    assert.equal(refreshed.status, 200);
    assert.equal((await mcpPost(s.url, ((await refreshed.json()) as { access_token: string }).access_token, LIST)).status, 200);
  });
});
