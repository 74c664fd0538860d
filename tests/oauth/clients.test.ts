// Client registration and management: RFC 7591 DCR and its redirect-URI rules, confidential agent
// clients registered through /api with client_credentials, listing and deleting clients, a user's
// own authorizations, Client ID Metadata Document clients, the cleanup job and the audit trail.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eq } from 'drizzle-orm';
import * as oauth from 'oauth4webapi';
import { oauthClients, oauthCodes, oauthGrants } from '../../src/db/schema/index.ts';
import { resolveCimdClient } from '../../src/oauth/cimd.ts';
import { Browser, browserAuthorize, mcpPost, obtainTokens, startOAuthTestServer, toolCall } from '../helpers/oauth.ts';
import { ADMIN, createTestUser, type TestServer, type TestUser, writerOf } from '../helpers/server.ts';

const LIST = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} };

describe('OAuth clients', () => {
  let s: TestServer & { issuer: string };
  let admin: TestUser;
  before(async () => {
    s = await startOAuthTestServer();
    admin = await createTestUser(s.env, ['admin']);
  });
  after(() => s.stop());

  const register = (body: unknown) => s.api.post('/mcp-oauth/register', body);

  it('DCR: 201 with the registered metadata; a secret only for confidential clients', async () => {
    const pub = await register({ client_name: 'Inspector', redirect_uris: ['http://localhost:6274/oauth/callback'], token_endpoint_auth_method: 'none', application_type: 'native', unknown_field: 1 });
    assert.equal(pub.status, 201);
    assert.equal(pub.headers.get('cache-control'), 'no-store');
    assert.equal(pub.headers.get('access-control-allow-origin'), '*');
    assert.deepEqual(Object.keys(pub.body).sort(), ['application_type', 'client_id', 'client_id_issued_at', 'client_name', 'grant_types', 'redirect_uris', 'response_types', 'token_endpoint_auth_method']);
    assert.deepEqual(pub.body.grant_types, ['authorization_code', 'refresh_token']);
    // RFC 7591 default method is client_secret_basic: a secret, never expiring.
    const conf = await register({ client_name: 'Web', redirect_uris: ['https://app.example.com/cb'] });
    assert.equal(conf.body.token_endpoint_auth_method, 'client_secret_basic');
    assert.match(conf.body.client_secret, /^rackd_cs_[A-Za-z0-9_-]{43}$/);
    assert.equal(conf.body.client_secret_expires_at, 0);
    const row = s.env.db.select().from(oauthClients).where(eq(oauthClients.clientId, conf.body.client_id)).get()!;
    assert.equal(row.kind, 'dcr');
    assert.match(row.secretHash!, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(row).includes(conf.body.client_secret));
  });

  it('DCR refuses dangerous and disguised redirect URIs with invalid_redirect_uri', async () => {
    const bad = [
      'javascript:alert(1)',
      'JavaScript://x/%0aalert(1)',
      'data:text/html,hi',
      'file:///etc/passwd',
      'vbscript:x',
      'https://app.example.com/cb#frag',
      ' https://app.example.com/cb',
      'https://app.example.com/cb\t',
      'https://app.example.com/\ncb',
      'HTTPS://app.example.com/cb',
      'https://APP.example/cb',
      'http://app.example.com/cb',
      'http://localhost.evil.example/cb',
      'https://user:pw@app.example.com/cb',
      'cursor://anysphere.cursor-mcp/oauth/callback',
      '/relative/cb',
    ];
    for (const uri of bad) {
      const res = await register({ client_name: 'x', redirect_uris: [uri], token_endpoint_auth_method: 'none' });
      assert.equal(res.status, 400, uri);
      assert.equal(res.body.error, 'invalid_redirect_uri', uri);
    }
    assert.equal((await register({ client_name: 'x', redirect_uris: [] })).body.error, 'invalid_redirect_uri');
    const ok = ['http://127.0.0.1/cb', 'http://[::1]:8080/cb', 'http://localhost/cb', 'https://app.example.com/cb?x=1'];
    assert.equal((await register({ client_name: 'x', redirect_uris: ok, token_endpoint_auth_method: 'none' })).status, 201);
  });

  it('DCR refuses unsupported metadata with invalid_client_metadata', async () => {
    const base = { client_name: 'x', redirect_uris: ['https://app.example.com/cb'] };
    for (const extra of [
      { grant_types: ['client_credentials'] },
      { grant_types: ['implicit'] },
      { response_types: ['token'] },
      { token_endpoint_auth_method: 'private_key_jwt' },
      { client_uri: 'javascript:alert(1)' },
      { client_name: 42 },
    ]) {
      const res = await register({ ...base, ...extra });
      assert.equal(res.status, 400, JSON.stringify(extra));
      assert.equal(res.body.error, 'invalid_client_metadata', JSON.stringify(extra));
    }
    const notJson = await s.api.request('POST', '/mcp-oauth/register', { raw: 'client_name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(notJson.body.error, 'invalid_client_metadata');
  });

  it('an agent client registered through the API uses client_credentials and acts as its owner', async () => {
    // An agent client is a credential like an API key: whoever may keep keys of their own (every
    // built-in role) may register one; a user without apikey:create may not.
    const op = await createTestUser(s.env, ['operator']);
    const created = await s.api.post('/api/oauth/clients', { client_name: 'inventory agent', scope: 'rackd:read rackd:write' }, { token: op.key });
    assert.equal(created.status, 201, created.text);
    const nobody = await createTestUser(s.env, []);
    const refused = await s.api.post('/api/oauth/clients', { client_name: 'x' }, { token: nobody.key });
    assert.equal(refused.status, 403);
    // A read-only key cannot register an agent that may write.
    const readKey = (await s.api.post('/api/keys', { name: 'ro', scopes: ['rackd:read', 'apikey:create'] }, { token: op.key })).body.key;
    const wider = await s.api.post('/api/oauth/clients', { client_name: 'wider', scope: 'rackd:write' }, { token: readKey });
    assert.equal(wider.status, 403);
    assert.equal((await s.api.post('/api/oauth/clients', { client_name: 'ro agent', scope: 'rackd:read' }, { token: readKey })).status, 201);

    const res = await s.api.post('/api/oauth/clients', { client_name: 'inventory agent', scope: 'rackd:read rackd:write' }, { token: admin.key });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.body.kind, 'api');
    assert.equal(res.body.owner_user_id, admin.id);
    assert.deepEqual(res.body.grant_types, ['client_credentials']);
    assert.match(res.body.client_secret, /^rackd_cs_/);
    const bad = await s.api.post('/api/oauth/clients', { client_name: 'x', scope: 'rackd:read bogus' }, { token: admin.key });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 'VALIDATION_ERROR');
    const unknownField = await s.api.post('/api/oauth/clients', { client_name: 'x', secret: 'mine' }, { token: admin.key });
    assert.equal(unknownField.status, 400);

    const as = await oauth.processDiscoveryResponse(
      new URL(s.issuer),
      await oauth.discoveryRequest(new URL(s.issuer), { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }),
    );
    const client: oauth.Client = { client_id: res.body.client_id };
    const cc = (params: Record<string, string>, auth = oauth.ClientSecretBasic(res.body.client_secret)) =>
      oauth.clientCredentialsGrantRequest(as, client, auth, params, { [oauth.allowInsecureRequests]: true });
    const tokens = await oauth.processClientCredentialsResponse(as, client, await cc({ resource: `${s.issuer}/mcp` }));
    assert.equal(tokens.scope, 'rackd:read rackd:write');
    assert.equal(tokens.refresh_token, undefined);
    const created2 = await mcpPost(s.url, tokens.access_token, toolCall('datacenter_save', { name: 'agent-dc' }));
    assert.equal(created2.body.result.isError, undefined, JSON.stringify(created2.body));
    const me = await s.api.get('/api/auth/me', { token: tokens.access_token });
    assert.equal(me.body.id, admin.id);
    // client_secret_post works too; a narrower scope is granted as asked; a wider one is refused.
    const narrow = await oauth.processClientCredentialsResponse(as, client, await cc({ scope: 'datacenter:list' }, oauth.ClientSecretPost(res.body.client_secret)));
    assert.equal(narrow.scope, 'datacenter:list');
    const wide = await cc({ scope: 'rackd:admin' });
    assert.equal(wide.status, 400);
    assert.equal((await wide.json()).error, 'invalid_scope');
    const wrong = await cc({}, oauth.ClientSecretBasic('rackd_cs_wrong'));
    assert.equal(wrong.status, 401);

    // Deleting the client revokes its tokens on the next request.
    const del = await s.api.delete(`/api/oauth/clients/${res.body.id}`, { token: admin.key });
    assert.equal(del.status, 204);
    assert.equal((await mcpPost(s.url, tokens.access_token, LIST)).status, 401);
    assert.equal((await cc({})).status, 401);
  });

  it('an API-registered client with redirect_uris may also use the browser flow, authenticating with its secret', async () => {
    const redirect = 'https://agent.example.com/callback';
    const res = await s.api.post('/api/oauth/clients', { client_name: 'web agent', scope: 'rackd:read', redirect_uris: [redirect] }, { token: admin.key });
    assert.equal(res.status, 201, res.text);
    assert.deepEqual(res.body.grant_types, ['client_credentials', 'authorization_code', 'refresh_token']);
    assert.equal((await s.api.post('/api/oauth/clients', { client_name: 'x', redirect_uris: ['http://evil.example/cb'] }, { token: admin.key })).status, 400);
    const verifier = 'api-client-verifier-'.padEnd(50, 'q');
    const { createHash } = await import('node:crypto');
    const q = new URLSearchParams({ response_type: 'code', client_id: res.body.client_id, redirect_uri: redirect, state: 'a', code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256' });
    const step = await browserAuthorize(new Browser(s.url), `/mcp-oauth/authorize?${q}`, ADMIN);
    assert.match(step.consentPage, /registered by a rackd user/);
    const body = new URLSearchParams({ grant_type: 'authorization_code', code: step.location.searchParams.get('code')!, redirect_uri: redirect, code_verifier: verifier });
    const noSecret = await fetch(`${s.url}/mcp-oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...Object.fromEntries(body), client_id: res.body.client_id }) });
    assert.equal(noSecret.status, 401);
    assert.equal(((await noSecret.json()) as { error: string }).error, 'invalid_client');
    const ok = await fetch(`${s.url}/mcp-oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${res.body.client_id}:${res.body.client_secret}`).toString('base64')}` },
      body,
    });
    assert.equal(ok.status, 200);
    const tokens = (await ok.json()) as { scope: string; refresh_token?: string };
    assert.equal(tokens.scope, 'rackd:read');
    assert.match(tokens.refresh_token!, /^rackd_rt_/);
  });

  it('lists clients: everything for user:list holders, only one’s own otherwise', async () => {
    const agentOwner = await createTestUser(s.env, ['viewer']);
    // A custom role that may create API keys but not list users.
    const role = await s.api.post('/api/roles', { name: `keys-${Date.now()}`, permissions: ['apikey:create', 'apikey:list', 'apikey:delete', 'datacenter:list'] }, { token: admin.key });
    assert.equal(role.status, 201, role.text);
    await s.api.post('/api/users/grant-role', { user_id: agentOwner.id, role_id: role.body.id }, { token: admin.key });
    const mine = await s.api.post('/api/oauth/clients', { client_name: 'mine' }, { token: agentOwner.key });
    assert.equal(mine.status, 201, mine.text);
    const own = await s.api.get('/api/oauth/clients', { token: agentOwner.key });
    assert.equal(own.status, 200);
    assert.deepEqual(own.body.map((c: { id: string }) => c.id), [mine.body.id]);
    assert.equal(own.headers.get('x-total-count'), '1');
    const all = await s.api.get('/api/oauth/clients', { token: admin.key });
    assert.ok(all.body.length > 1);
    assert.ok(all.body.some((c: { kind: string }) => c.kind === 'dcr'));
    assert.ok(all.body.every((c: Record<string, unknown>) => !('client_secret' in c) && !('secret_hash' in c)));
    const onlyApi = await s.api.get('/api/oauth/clients?kind=api', { token: admin.key });
    assert.ok(onlyApi.body.every((c: { kind: string }) => c.kind === 'api'));
    // Someone else's client is not even found; one's own is deleted with apikey:delete.
    const dcr = all.body.find((c: { kind: string }) => c.kind === 'dcr');
    assert.equal((await s.api.delete(`/api/oauth/clients/${dcr.id}`, { token: agentOwner.key })).status, 404);
    assert.equal((await s.api.delete(`/api/oauth/clients/${mine.body.id}`, { token: agentOwner.key })).status, 204);
  });

  it('a user lists the clients they authorized and revokes one; its tokens stop working', async () => {
    const u = await createTestUser(s.env, ['operator']);
    const t1 = await obtainTokens(s, u, 'rackd:read');
    const t2 = await obtainTokens(s, u, 'rackd:read rackd:write');
    const list = await s.api.get('/api/oauth/authorizations', { token: u.key });
    assert.equal(list.status, 200);
    assert.equal(list.body.length, 2);
    const entry = list.body.find((a: { client: { client_id: string } }) => a.client.client_id === t1.client_id);
    assert.deepEqual(entry.scopes, ['rackd:read']);
    assert.equal(entry.grants, 1);
    assert.equal(entry.client.client_name, 'helper client');
    // Another user sees none of them and cannot revoke them.
    const other = await createTestUser(s.env, ['operator']);
    assert.deepEqual((await s.api.get('/api/oauth/authorizations', { token: other.key })).body, []);
    assert.equal((await s.api.delete(`/api/oauth/authorizations/${entry.client.id}`, { token: other.key })).status, 404);
    assert.equal((await mcpPost(s.url, t1.access_token, LIST)).status, 200);

    assert.equal((await s.api.delete(`/api/oauth/authorizations/${entry.client.id}`, { token: u.key })).status, 204);
    assert.equal((await mcpPost(s.url, t1.access_token, LIST)).status, 401);
    const refresh = await fetch(`${s.url}/mcp-oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t1.refresh_token, client_id: t1.client_id }),
    });
    assert.equal(((await refresh.json()) as { error: string }).error, 'invalid_grant');
    // The other client is untouched.
    assert.equal((await mcpPost(s.url, t2.access_token, LIST)).status, 200);
    assert.equal((await s.api.get('/api/oauth/authorizations', { token: u.key })).body.length, 1);
  });

  it('Client ID Metadata Document clients: fetched document, consent names its host, public token exchange', async () => {
    const clientId = 'https://client.example/oauth/metadata.json';
    const doc = {
      client_id: clientId,
      client_name: 'Doc Client',
      redirect_uris: ['http://localhost/callback', 'http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
    // Seed the shared CIMD cache with what the SSRF-safe fetcher would have returned; the server
    // (same process) resolves from it exactly as it would after a real fetch.
    await resolveCimdClient(clientId, {
      policy: { allowPrivate: false, allowLoopback: false },
      allowedRedirectSchemes: [],
      fetch: async () => ({ status: 200, headers: { 'content-type': 'application/json', 'cache-control': 'max-age=600' }, body: Buffer.from(JSON.stringify(doc)), address: '203.0.113.9' }),
    });
    const verifier = 'cimd-verifier-'.padEnd(60, 'z');
    const { createHash } = await import('node:crypto');
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: 'http://localhost:61234/callback',
      scope: 'rackd:read',
      state: 'cimd',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    const step = await browserAuthorize(new Browser(s.url), `/mcp-oauth/authorize?${q}`, ADMIN);
    assert.match(step.consentPage, /Doc Client/);
    assert.match(step.consentPage, /published at <strong>client\.example<\/strong>/);
    assert.match(step.consentPage, /a program on this computer/);
    const res = await fetch(`${s.url}/mcp-oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: step.location.searchParams.get('code')!, client_id: clientId, redirect_uri: 'http://localhost:61234/callback', code_verifier: verifier }),
    });
    assert.equal(res.status, 200);
    const tokens = (await res.json()) as { access_token: string };
    assert.equal((await mcpPost(s.url, tokens.access_token, LIST)).status, 200);
    const row = s.env.db.select().from(oauthClients).where(eq(oauthClients.clientId, clientId)).get()!;
    assert.equal(row.kind, 'cimd');
    assert.equal(row.name, 'Doc Client');
    // A redirect the document does not list shows an error page.
    const wrong = new URLSearchParams(q);
    wrong.set('redirect_uri', 'https://evil.example/cb');
    const page = await new Browser(s.url).get(`/mcp-oauth/authorize?${wrong}`);
    assert.equal(page.status, 400);
    assert.equal(page.location, undefined);
    // A client_id URL whose document cannot be fetched (nothing seeded, private/unresolvable host): error page.
    const broken = new URLSearchParams(q);
    broken.set('client_id', 'https://client.invalid/meta.json');
    const failed = await new Browser(s.url).get(`/mcp-oauth/authorize?${broken}`);
    assert.equal(failed.status, 400);
    assert.equal(failed.location, undefined);
  });

  it('the cleanup job removes expired codes and grants and DCR clients unused for 90 days', async () => {
    const stale = await register({ client_name: 'stale', redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'none' });
    const fresh = await register({ client_name: 'fresh', redirect_uris: ['http://127.0.0.1/cb'], token_endpoint_auth_method: 'none' });
    const api = await s.api.post('/api/oauth/clients', { client_name: 'kept' }, { token: admin.key });
    const old = new Date(Date.now() - 91 * 24 * 3600_000).toISOString();
    for (const id of [stale.body.client_id, api.body.client_id]) {
      writerOf(s.env).update(oauthClients).set({ createdAt: old, lastUsedAt: old }).where(eq(oauthClients.clientId, id)).run();
    }
    const t = await obtainTokens(s, ADMIN);
    const grantCount = () => s.env.db.select().from(oauthGrants).all().length;
    const before = grantCount();
    writerOf(s.env).update(oauthGrants).set({ expiresAt: old }).where(eq(oauthGrants.clientId, s.env.db.select().from(oauthClients).where(eq(oauthClients.clientId, t.client_id)).get()!.id)).run();
    writerOf(s.env).update(oauthCodes).set({ expiresAt: old }).run();
    await s.server.scheduler.runNow('oauth-cleanup');
    const ids = s.env.db.select({ id: oauthClients.clientId }).from(oauthClients).all().map((r) => r.id);
    assert.ok(!ids.includes(stale.body.client_id));
    assert.ok(ids.includes(fresh.body.client_id));
    assert.ok(ids.includes(api.body.client_id));
    assert.equal(grantCount(), before - 1);
    assert.equal(s.env.db.select().from(oauthCodes).all().length, 0);
    // The token of the deleted grant is refused like a revoked one.
    assert.equal((await mcpPost(s.url, t.access_token, LIST)).status, 401);
  });

  it('audits registration, consent, issue, refresh and revocation with source oauth, without secrets', async () => {
    const t = await obtainTokens(s, ADMIN);
    await fetch(`${s.url}/mcp-oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: t.client_id }),
    });
    await fetch(`${s.url}/mcp-oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: t.access_token, client_id: t.client_id }),
    });
    const res = await s.api.get('/api/audit?limit=1000', { token: admin.key });
    const mine = res.body.filter((e: { changes: unknown; resource_id: string }) => JSON.stringify(e.changes ?? "").includes(t.client_id) || e.resource_id === t.client_id);
    const actions = mine.map((e: { action: string }) => e.action);
    for (const a of ['oauth_client.register', 'oauth_consent.grant', 'oauth_token.issue', 'oauth_token.refresh', 'oauth_token.revoke']) {
      assert.ok(actions.includes(a), `${a} in ${actions}`);
    }
    for (const e of mine) {
      assert.equal(e.source, 'oauth');
      for (const secret of [t.access_token, t.refresh_token]) assert.ok(!JSON.stringify(e).includes(secret));
    }
    assert.equal(mine.find((e: { action: string }) => e.action === 'oauth_token.issue').username, 'admin');
  });
});
