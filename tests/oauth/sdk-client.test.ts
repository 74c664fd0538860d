// The MCP SDK client's own OAuth support against rackd: discovery from the 401 challenge, dynamic
// registration, the browser step (sign-in and consent forms), the code exchange with PKCE, then
// tool calls with the token — and refresh through auth().
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auth, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { resolveCimdClient } from '../../src/oauth/cimd.ts';
import { callTool } from '../helpers/mcp.ts';
import { Browser, startOAuthTestServer, TestOAuthProvider } from '../helpers/oauth.ts';
import { ADMIN, createTestUser, type TestServer } from '../helpers/server.ts';

describe('MCP SDK client OAuth flow', () => {
  let s: TestServer & { issuer: string };
  before(async () => {
    s = await startOAuthTestServer();
  });
  after(() => s.stop());

  const connect = async (provider: TestOAuthProvider) => {
    const client = new Client({ name: 'oauth-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', s.url), { authProvider: provider }));
    return client;
  };

  it('signs in from a 401, registers, gets consent and calls tools as the user', async () => {
    const provider = new TestOAuthProvider(new Browser(s.url), ADMIN, s.issuer);
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', s.url), { authProvider: provider });
    const first = new Client({ name: 'oauth-test', version: '1.0.0' });
    await assert.rejects(first.connect(transport), UnauthorizedError);
    assert.equal(provider.authorizations, 1);
    // The scope the client asked for is the one the challenge named.
    assert.equal(provider.lastLocation!.searchParams.get('iss'), s.issuer);
    await transport.finishAuth(provider.lastCode!);
    const tokens = provider.tokens()!;
    assert.equal(tokens.token_type, 'Bearer');
    assert.equal(tokens.scope, 'rackd:read rackd:write');
    assert.match(tokens.refresh_token!, /^rackd_rt_/);
    assert.equal(tokens.expires_in, 3600);

    const client = await connect(provider);
    const created = await callTool(client, 'datacenter_save', { name: 'dc-oauth-1', location: 'Lisbon' });
    assert.equal(created.ok, true, JSON.stringify(created.error));
    assert.equal(created.data.name, 'dc-oauth-1');
    const list = await callTool(client, 'datacenter_list', {});
    assert.equal(list.ok, true);
    assert.ok(list.data.items.some((d: { name: string }) => d.name === 'dc-oauth-1'));
    // rackd:write does not include deletes: the tool is not even offered.
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('datacenter_save'));
    assert.ok(!names.includes('datacenter_delete'));
    await client.close();

    // The audit log names the OAuth actor.
    const audit = await s.api.get('/api/audit?action=datacenter.create', { token: (await createTestUser(s.env, ['admin'])).key });
    const entry = audit.body.find((e: { resource_id: string }) => e.resource_id === created.data.id);
    assert.equal(entry.username, 'admin');
    assert.equal(entry.source, 'mcp');
  });

  it('auth() refreshes with the stored refresh token, rotating it', async () => {
    const provider = new TestOAuthProvider(new Browser(s.url), ADMIN, s.issuer);
    const serverUrl = new URL('/mcp', s.url);
    assert.equal(await auth(provider, { serverUrl, scope: 'rackd:read' }), 'REDIRECT');
    assert.equal(await auth(provider, { serverUrl, authorizationCode: provider.lastCode! }), 'AUTHORIZED');
    const firstRefresh = provider.tokens()!.refresh_token!;
    assert.equal(provider.tokens()!.scope, 'rackd:read');
    // A stored refresh token makes auth() refresh instead of sending the user to the browser again.
    assert.equal(await auth(provider, { serverUrl }), 'AUTHORIZED');
    assert.equal(provider.authorizations, 1);
    const second = provider.tokens()!;
    assert.notEqual(second.refresh_token, firstRefresh);
    const client = await connect(provider);
    const list = await callTool(client, 'datacenter_list', {});
    assert.equal(list.ok, true);
    // rackd:read: the write tool is hidden and a call is refused before it runs.
    assert.ok(!(await client.listTools()).tools.some((t) => t.name === 'datacenter_save'));
    await client.close();
  });

  it("a viewer's token with rackd:write cannot write: the tool answers FORBIDDEN", async () => {
    const viewer = await createTestUser(s.env, ['viewer']);
    const provider = new TestOAuthProvider(new Browser(s.url), viewer, s.issuer);
    const serverUrl = new URL('/mcp', s.url);
    assert.equal(await auth(provider, { serverUrl, scope: 'rackd:read rackd:write' }), 'REDIRECT');
    assert.equal(await auth(provider, { serverUrl, authorizationCode: provider.lastCode! }), 'AUTHORIZED');
    assert.equal(provider.tokens()!.scope, 'rackd:read rackd:write');
    const client = await connect(provider);
    const res = await callTool(client, 'datacenter_save', { name: 'viewer-dc' });
    assert.equal(res.ok, false);
    assert.equal(res.error!.code, 'FORBIDDEN');
    assert.equal((await callTool(client, 'datacenter_list', {})).ok, true);
    await client.close();
  });

  it('steps up: the scope a 403 challenge names is granted on re-authorization (registered with the 401 scope)', async () => {
    // Without a refresh token: SDK 1.32's auth() refreshes first when it holds one (a refresh can
    // only keep or narrow the scope), and re-authorizes only without it.
    const provider = new TestOAuthProvider(new Browser(s.url), ADMIN, s.issuer, undefined, { grant_types: ['authorization_code'] });
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', s.url), { authProvider: provider });
    const client = new Client({ name: 'step-up', version: '1.0.0' });
    await assert.rejects(client.connect(transport), UnauthorizedError);
    await transport.finishAuth(provider.lastCode!);
    // Registered (DCR) and authorized with what the 401 advertised.
    assert.equal((provider.clientInformation() as { scope?: string }).scope, 'rackd:read rackd:write');
    assert.equal(provider.tokens()!.scope, 'rackd:read rackd:write');
    const admin = await createTestUser(s.env, ['admin']);
    const dc = (await s.api.post('/api/datacenters', { name: 'step-up-dc' }, { token: admin.key })).body.id as string;

    const stepped = new Client({ name: 'step-up', version: '1.0.0' });
    const t2 = new StreamableHTTPClientTransport(new URL('/mcp', s.url), { authProvider: provider });
    await stepped.connect(t2);
    // The delete is refused with insufficient_scope, scope="rackd:admin": the SDK re-authorizes
    // with exactly that scope (the browser step must yield a code, not invalid_scope) and waits
    // for the code to be handed back.
    const before = provider.authorizations;
    await assert.rejects(stepped.callTool({ name: 'datacenter_delete', arguments: { id: dc } }), UnauthorizedError);
    assert.equal(provider.authorizations, before + 1);
    assert.equal(provider.lastLocation!.searchParams.get('error'), null, provider.lastLocation!.href);
    await t2.finishAuth(provider.lastCode!);
    assert.equal(provider.tokens()!.scope, 'rackd:admin');
    const deleted = await callTool(stepped, 'datacenter_delete', { id: dc });
    assert.equal(deleted.ok, true, JSON.stringify(deleted.error));
    await stepped.close();
  });

  it('uses a Client ID Metadata Document URL as client_id when the client has one (no registration)', async () => {
    const clientMetadataUrl = 'https://agent.example/.well-known/mcp-client.json';
    const doc = {
      client_id: clientMetadataUrl,
      client_name: 'Metadata Agent',
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
    // The document as the SSRF-safe fetcher would have returned it, seeded into the shared cache.
    await resolveCimdClient(clientMetadataUrl, {
      policy: { allowPrivate: false, allowLoopback: false },
      allowedRedirectSchemes: [],
      fetch: async () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(doc)), address: '203.0.113.7' }),
    });
    const provider = Object.assign(new TestOAuthProvider(new Browser(s.url), ADMIN, s.issuer), { clientMetadataUrl });
    const serverUrl = new URL('/mcp', s.url);
    assert.equal(await auth(provider, { serverUrl, scope: 'rackd:read' }), 'REDIRECT');
    assert.equal(provider.clientInformation()!.client_id, clientMetadataUrl);
    assert.equal(await auth(provider, { serverUrl, authorizationCode: provider.lastCode! }), 'AUTHORIZED');
    const client = await connect(provider);
    assert.equal((await callTool(client, 'datacenter_list', {})).ok, true);
    await client.close();
  });
});
