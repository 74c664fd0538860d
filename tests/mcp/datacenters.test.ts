import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callTool, connectMcp, hint } from '../helpers/mcp.ts';
import { rmSync } from 'node:fs';
import { createTestUser, startTestServer, tempDir, type TestServer, type TestUser } from '../helpers/server.ts';

describe('datacenters over MCP and REST', () => {
  let s: TestServer;
  let admin: TestUser;
  let viewer: TestUser;
  let mcp: Client;
  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
    viewer = await createTestUser(s.env, ['viewer']);
    mcp = await connectMcp(s.url, admin.key);
  });
  after(async () => {
    await mcp.close();
    await s.stop();
  });

  it('lists tools with schemas and annotations', async () => {
    const { tools } = await mcp.listTools();
    const save = tools.find((t) => t.name === 'datacenter_save')!;
    assert.ok(save.title && save.description);
    assert.equal(save.inputSchema.type, 'object');
    assert.equal(save.outputSchema?.type, 'object');
    assert.equal(hint(save, 'readOnlyHint'), false);
    assert.equal(hint(tools.find((t) => t.name === 'datacenter_delete')!, 'destructiveHint'), true);
  });

  it('creates, partially updates and reads a datacenter', async () => {
    const created = await callTool(mcp, 'datacenter_save', { name: 'Paris', location: 'FR', description: 'main' });
    assert.ok(created.ok, JSON.stringify(created.error));
    const updated = await callTool(mcp, 'datacenter_save', { id: created.data.id, location: 'Paris, FR' });
    assert.equal(updated.data.name, 'Paris');
    assert.equal(updated.data.description, 'main');
    assert.equal(updated.data.location, 'Paris, FR');
    const rest = await s.api.get(`/api/datacenters/${created.data.id}`, { token: viewer.key });
    assert.equal(rest.status, 200);
    assert.equal(rest.body.location, 'Paris, FR');
  });

  it('rejects unknown arguments by name', async () => {
    const r = await callTool(mcp, 'datacenter_list', { nmae: 'x' });
    assert.equal(r.ok, false);
    assert.equal(r.error!.code, 'VALIDATION_ERROR');
    assert.match(r.error!.message, /nmae/);
  });

  it('hides write tools from a viewer and refuses them if called', async () => {
    const client = await connectMcp(s.url, viewer.key);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('datacenter_list'));
    assert.ok(!names.includes('datacenter_save'));
    const r = await callTool(client, 'datacenter_save', { name: 'Nope' });
    assert.equal(r.error!.code, 'FORBIDDEN');
    await client.close();
  });

  it('refuses /mcp without a bearer token, with a session cookie, and from a foreign Origin', async () => {
    const body = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    const headers = { accept: 'application/json, text/event-stream' };
    const none = await s.api.post('/mcp', body, { headers });
    assert.equal(none.status, 401);
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
    const cookie = await s.api.login(admin.username, admin.password);
    const withCookie = await s.api.post('/mcp', body, { headers, cookie });
    assert.equal(withCookie.status, 401);
    const foreign = await s.api.post('/mcp', body, { headers: { ...headers, origin: 'https://evil.example' }, token: admin.key });
    assert.equal(foreign.status, 403);
    const own = await s.api.post('/mcp', body, { headers: { ...headers, origin: s.url.replace('127.0.0.1', 'localhost') }, token: admin.key });
    assert.equal(own.status, 200);
  });

  it('REST lists are bare arrays with X-Total-Count, and deleting an unused datacenter works', async () => {
    const created = await s.api.post('/api/datacenters', { name: 'Temp' }, { token: admin.key });
    assert.equal(created.status, 201);
    const list = await s.api.get('/api/datacenters?limit=1', { token: admin.key });
    assert.ok(Array.isArray(list.body));
    assert.equal(list.body.length, 1);
    assert.ok(Number(list.headers.get('x-total-count')) >= 2);
    const del = await s.api.delete(`/api/datacenters/${created.body.id}`, { token: admin.key });
    assert.equal(del.status, 204);
    const gone = await s.api.get(`/api/datacenters/${created.body.id}`, { token: admin.key });
    assert.equal(gone.status, 404);
  });
});

describe('the "Default" datacenter', () => {
  it('exists on a new database, is searchable, and stays deleted across restarts', async () => {
    const dataDir = tempDir();
    try {
      let s = await startTestServer({}, { dataDir });
      let admin = await createTestUser(s.env, ['admin']);
      const list = await s.api.get('/api/datacenters', { token: admin.key });
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.map((d: { name: string; description: string }) => [d.name, d.description]),
        [['Default', 'Default datacenter']],
      );
      const found = await s.api.get('/api/search?q=default', { token: admin.key });
      assert.ok(found.body.items.some((r: { id: string }) => r.id === list.body[0].id), JSON.stringify(found.body));
      const audit = await s.api.get(`/api/audit?resource=datacenter&resource_id=${list.body[0].id}`, { token: admin.key });
      assert.equal(audit.body[0]?.action, 'datacenter.create');
      assert.equal(audit.body[0]?.source, 'system');
      assert.equal((await s.api.delete(`/api/datacenters/${list.body[0].id}`, { token: admin.key })).status, 204);
      await s.stop();

      s = await startTestServer({}, { dataDir });
      admin = await createTestUser(s.env, ['admin'], 'admin2');
      const after = await s.api.get('/api/datacenters', { token: admin.key });
      assert.deepEqual(after.body, [], 'a deleted Default datacenter is not re-created');
      await s.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
