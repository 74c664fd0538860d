import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callTool, connectMcp } from '../helpers/mcp.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';
import { toMatchExpression } from '../../src/services/search/search.ts';

describe('search', () => {
  let s: TestServer;
  let admin: TestUser;
  let mcp: Client;
  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
    mcp = await connectMcp(s.url, admin.key);
    for (const [name, location] of [
      ['Frankfurt West', 'Hessen, DE'],
      ['Frankfurt East', 'Hessen, DE'],
      ['Amsterdam', 'Noord-Holland, NL'],
    ]) {
      assert.equal((await s.api.post('/api/datacenters', { name, location }, { token: admin.key })).status, 201);
    }
  });
  after(async () => {
    await mcp.close();
    await s.stop();
  });

  it('finds by word prefix in any field, every word required, names ranked first', async () => {
    const r = await callTool(mcp, 'search', { query: 'frank' });
    assert.ok(r.ok, JSON.stringify(r.error));
    assert.equal(r.data.total, 2);
    assert.deepEqual(r.data.items.map((i: { name: string }) => i.name).sort(), ['Frankfurt East', 'Frankfurt West']);
    const both = await callTool(mcp, 'search', { query: 'hess west' });
    assert.deepEqual(both.data.items.map((i: { name: string }) => i.name), ['Frankfurt West']);
    assert.equal((await callTool(mcp, 'search', { query: 'nowhere' })).data.total, 0);
  });

  it('pages with limit and cursor, and REST accepts Rackd\'s q', async () => {
    const first = await callTool(mcp, 'search', { query: 'hessen', limit: 1 });
    assert.equal(first.data.items.length, 1);
    assert.ok(first.data.next_cursor);
    const second = await callTool(mcp, 'search', { query: 'hessen', limit: 1, cursor: first.data.next_cursor });
    assert.notEqual(second.data.items[0].id, first.data.items[0].id);
    assert.equal(second.data.next_cursor, null);
    const rest = await s.api.get('/api/search?q=amster', { token: admin.key });
    assert.equal(rest.status, 200);
    assert.equal(rest.body.items[0].name, 'Amsterdam');
  });

  it('ranks name-starts-with, then word-in-name, then other fields, and pages across the tiers', async () => {
    // Created in the opposite order to the ranking, so index order alone cannot pass.
    const other = await s.api.post('/api/devices', { name: 'fw-01', description: 'Corefirewall edge' }, { token: admin.key });
    const inName = await s.api.post('/api/devices', { name: 'sw-corefab-01' }, { token: admin.key });
    const starts = await s.api.post('/api/datacenters', { name: 'Corefab West' }, { token: admin.key });
    assert.deepEqual([other.status, inName.status, starts.status], [201, 201, 201]);
    const r = await callTool(mcp, 'search', { query: 'coref' });
    assert.ok(r.ok, JSON.stringify(r.error));
    assert.deepEqual(
      r.data.items.map((i: { name: string; rank: number }) => [i.name, i.rank]),
      [['Corefab West', 0], ['sw-corefab-01', 1], ['fw-01', 2]],
    );
    assert.equal(r.data.total, 3);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const p = await callTool(mcp, 'search', { query: 'coref', limit: 1, ...(cursor && { cursor }) });
      assert.equal(p.data.total, 3);
      seen.push(...p.data.items.map((i: { name: string }) => i.name));
      cursor = p.data.next_cursor ?? undefined;
    } while (cursor);
    assert.deepEqual(seen, ['Corefab West', 'sw-corefab-01', 'fw-01']);
    const last = await s.api.get('/api/search?q=coref&offset=2', { token: admin.key });
    assert.deepEqual(last.body.items.map((i: { name: string }) => i.name), ['fw-01']);
    assert.equal(last.body.total, 3);
    const past = await s.api.get('/api/search?q=coref&offset=5', { token: admin.key });
    assert.deepEqual([past.body.items, past.body.total], [[], 3]);

    // A kind filter (asked for, or from the caller's permissions) keeps the order and the count right.
    const devicesOnly = await s.api.get('/api/search?q=coref&types=device', { token: admin.key });
    assert.deepEqual(devicesOnly.body.items.map((i: { name: string }) => i.name), ['sw-corefab-01', 'fw-01']);
    assert.equal(devicesOnly.body.total, 2);
    const role = await s.api.post('/api/roles', { name: 'device-lister', permissions: ['device:list'] }, { token: admin.key });
    assert.equal(role.status, 201);
    const lister = await createTestUser(s.env, ['device-lister']);
    const second = await s.api.get('/api/search?q=coref&limit=1&offset=1', { token: lister.key });
    assert.deepEqual([second.body.items.map((i: { name: string }) => i.name), second.body.total], [['fw-01'], 2]);
  });

  it('treats FTS syntax in the query as plain text', async () => {
    assert.equal(toMatchExpression('a "b" OR c*'), '"a"* AND """b"""* AND "OR"* AND "c*"*');
    const r = await s.api.get(`/api/search?q=${encodeURIComponent('" OR NEAR(')}`, { token: admin.key });
    assert.equal(r.status, 200);
  });

  it('keeps the index in step with updates and deletes', async () => {
    const dc = (await s.api.post('/api/datacenters', { name: 'Oslo' }, { token: admin.key })).body;
    await s.api.put(`/api/datacenters/${dc.id}`, { name: 'Bergen' }, { token: admin.key });
    assert.equal((await callTool(mcp, 'search', { query: 'oslo' })).data.total, 0);
    assert.equal((await callTool(mcp, 'search', { query: 'bergen' })).data.total, 1);
    await s.api.delete(`/api/datacenters/${dc.id}`, { token: admin.key });
    assert.equal((await callTool(mcp, 'search', { query: 'bergen' })).data.total, 0);
  });

  it('rejects an empty query and unknown arguments', async () => {
    assert.equal((await s.api.get('/api/search?q=', { token: admin.key })).status, 400);
    const r = await s.api.get('/api/search?q=x&colour=red', { token: admin.key });
    assert.equal(r.status, 400);
    assert.match(r.body.error, /colour/);
  });
});
