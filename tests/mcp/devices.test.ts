// Devices and relationships through the real MCP SDK client: the partial device_save (Rackd's
// wipe bug must not exist), stable address ids, cursor paging, error codes, tool visibility.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { callTool, connectMcp, hint } from '../helpers/mcp.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

const DEVICE_TOOLS = ['device_list', 'device_get', 'device_save', 'device_delete', 'device_status_counts', 'datacenter_devices', 'network_devices'];
const RELATIONSHIP_TOOLS = ['device_add_relationship', 'device_get_relationships', 'device_related', 'relationship_list', 'relationship_update', 'relationship_delete'];

describe('devices and relationships over MCP', () => {
  let s: TestServer;
  let admin: TestUser;
  let viewer: TestUser;
  let operator: TestUser;
  let mcp: Client;
  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
    viewer = await createTestUser(s.env, ['viewer']);
    operator = await createTestUser(s.env, ['operator']);
    mcp = await connectMcp(s.url, admin.key);
  });
  after(async () => {
    await mcp.close();
    await s.stop();
  });

  it('lists every device and relationship tool with schemas and annotations, and no bulk tools', async () => {
    const { tools } = await mcp.listTools();
    const names = new Set(tools.map((t) => t.name));
    for (const n of [...DEVICE_TOOLS, ...RELATIONSHIP_TOOLS]) assert.ok(names.has(n), n);
    assert.ok(![...names].some((n) => n.includes('bulk')));
    const save = tools.find((t) => t.name === 'device_save')!;
    assert.equal(save.inputSchema.additionalProperties, false);
    assert.equal(save.outputSchema?.type, 'object');
    assert.equal(hint(tools.find((t) => t.name === 'device_delete')!, 'destructiveHint'), true);
    assert.equal(hint(tools.find((t) => t.name === 'device_list')!, 'readOnlyHint'), true);
  });

  it('device_save with only {id, description} keeps name, hostname, tags, domains and addresses', async () => {
    const created = await callTool(mcp, 'device_save', {
      name: 'mcp-web',
      hostname: 'mcp-web.example.com',
      os: 'Alpine',
      tags: ['web', 'edge'],
      domains: ['www.example.com'],
      addresses: [{ ip: '203.0.113.10', port: 8443, label: 'public', switch_port: 'ge-0/0/1' }],
    });
    assert.ok(created.ok, JSON.stringify(created.error));
    const updated = await callTool(mcp, 'device_save', { id: created.data.id, description: 'now described' });
    assert.ok(updated.ok, JSON.stringify(updated.error));
    const d = updated.data;
    assert.equal(d.description, 'now described');
    assert.equal(d.name, 'mcp-web');
    assert.equal(d.hostname, 'mcp-web.example.com');
    assert.equal(d.os, 'Alpine');
    assert.deepEqual(d.tags, ['edge', 'web']);
    assert.deepEqual(d.domains, ['www.example.com']);
    assert.deepEqual(d.addresses, created.data.addresses);
    const got = await callTool(mcp, 'device_get', { id: d.id });
    assert.deepEqual(got.data, d);
    // Address ids are stable when sent back; the fields not sent keep their values.
    const a = created.data.addresses[0];
    const moved = await callTool(mcp, 'device_save', { id: d.id, addresses: [{ id: a.id, ip: '203.0.113.10' }, { ip: '203.0.113.11', type: 'vip' }] });
    assert.ok(moved.ok, JSON.stringify(moved.error));
    assert.equal(moved.data.addresses[0].id, a.id);
    assert.equal(moved.data.addresses[0].port, 8443);
    assert.equal(moved.data.addresses[0].switch_port, 'ge-0/0/1');
    assert.equal(moved.data.addresses[1].type, 'vip');
    // A status change records who made it.
    const maint = await callTool(mcp, 'device_save', { id: d.id, status: 'maintenance' });
    assert.equal(maint.data.status_changed_by, admin.id);
    assert.ok(maint.data.status_changed_at >= created.data.status_changed_at);
  });

  it('returns stable error codes: unknown arguments, bad values, missing devices, pool conflicts', async () => {
    const unknown = await callTool(mcp, 'device_save', { name: 'x', colour: 'red' });
    assert.equal(unknown.error!.code, 'VALIDATION_ERROR');
    assert.match(unknown.error!.message, /colour/);
    const badFilter = await callTool(mcp, 'device_list', { site: 'x' });
    assert.equal(badFilter.error!.code, 'VALIDATION_ERROR');
    assert.match(badFilter.error!.message, /site/);
    const badStatus = await callTool(mcp, 'device_save', { name: 'x', status: 'retired' });
    assert.equal(badStatus.error!.code, 'VALIDATION_ERROR');
    const noName = await callTool(mcp, 'device_save', { hostname: 'x' });
    assert.equal(noName.error!.details?.[0]?.field, 'name');
    assert.equal((await callTool(mcp, 'device_get', { id: 'ghost' })).error!.code, 'NOT_FOUND');
    assert.equal((await callTool(mcp, 'device_save', { id: 'ghost', name: 'x' })).error!.code, 'NOT_FOUND');

    const net = await callTool(mcp, 'network_save', { name: 'mcp-net', subnet: '10.44.0.0/24' });
    assert.ok(net.ok, JSON.stringify(net.error));
    const pool = await callTool(mcp, 'pool_save', { network_id: net.data.id, name: 'mcp-pool', start_ip: '10.44.0.10', end_ip: '10.44.0.12' });
    assert.ok(pool.ok, JSON.stringify(pool.error));
    const first = await callTool(mcp, 'device_save', { name: 'pool-a', addresses: [{ ip: '10.44.0.10' }] });
    assert.equal(first.data.addresses[0].pool_id, pool.data.id);
    const dup = await callTool(mcp, 'device_save', { name: 'pool-b', addresses: [{ ip: '10.44.0.10' }] });
    assert.equal(dup.error!.code, 'IP_NOT_AVAILABLE');
    assert.equal((await callTool(mcp, 'pool_get_next_ip', { pool_id: pool.data.id })).data.ip, '10.44.0.11');
    const del = await callTool(mcp, 'device_delete', { id: first.data.id });
    assert.deepEqual(del.data, { status: 'deleted', id: first.data.id });
    assert.equal((await callTool(mcp, 'pool_get_next_ip', { pool_id: pool.data.id })).data.ip, '10.44.0.10');
    const inNet = await callTool(mcp, 'network_devices', { id: net.data.id });
    assert.equal(inNet.data.total, 0);
  });

  it('pages device_list with cursor (and offset), reporting total and next_cursor', async () => {
    for (let i = 0; i < 5; i++) assert.ok((await callTool(mcp, 'device_save', { name: `page-${i}`, tags: ['paged'] })).ok);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await callTool(mcp, 'device_list', { tags: ['paged'], limit: 2, ...(cursor && { cursor }) });
      assert.ok(r.ok, JSON.stringify(r.error));
      assert.equal(r.data.total, 5);
      seen.push(...r.data.items.map((d: { name: string }) => d.name));
      cursor = r.data.next_cursor ?? undefined;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    const byOffset = await callTool(mcp, 'device_list', { tags: ['paged'], limit: 2, offset: 4 });
    assert.deepEqual(byOffset.data.items.map((d: { name: string }) => d.name), ['page-4']);
    assert.equal(byOffset.data.next_cursor, null);
    const both = await callTool(mcp, 'device_list', { limit: 2, offset: 1, cursor: 'x' });
    assert.equal(both.error!.code, 'VALIDATION_ERROR');
    const search = await callTool(mcp, 'device_list', { query: 'page-3' });
    assert.deepEqual(search.data.items.map((d: { name: string }) => d.name), ['page-3']);
    const counts = await callTool(mcp, 'device_status_counts', {});
    assert.ok(counts.data.active >= 5);
  });

  it('manages relationships', async () => {
    const mk = async (name: string) => (await callTool(mcp, 'device_save', { name })).data.id as string;
    const sw = await mk('rel-switch');
    const host = await mk('rel-host');
    const add = await callTool(mcp, 'device_add_relationship', { parent_id: sw, child_id: host, type: 'connected_to', notes: 'port 1' });
    assert.ok(add.ok, JSON.stringify(add.error));
    assert.equal(add.data.notes, 'port 1');
    assert.equal((await callTool(mcp, 'device_add_relationship', { parent_id: sw, child_id: sw, type: 'contains' })).error!.code, 'VALIDATION_ERROR');
    assert.equal((await callTool(mcp, 'device_add_relationship', { parent_id: sw, child_id: 'ghost', type: 'contains' })).error!.code, 'NOT_FOUND');
    const rels = await callTool(mcp, 'device_get_relationships', { id: host });
    assert.equal(rels.data.total, 1);
    const related = await callTool(mcp, 'device_related', { id: host, type: 'connected_to' });
    assert.deepEqual(related.data.items.map((d: { id: string }) => d.id), [sw]);
    const upd = await callTool(mcp, 'relationship_update', { parent_id: sw, child_id: host, type: 'connected_to', notes: 'port 2' });
    assert.equal(upd.data.notes, 'port 2');
    assert.equal((await callTool(mcp, 'relationship_update', { parent_id: host, child_id: sw, type: 'connected_to', notes: 'x' })).error!.code, 'NOT_FOUND');
    const del = await callTool(mcp, 'relationship_delete', { parent_id: sw, child_id: host, type: 'connected_to' });
    assert.equal(del.data.existed, true);
    const again = await callTool(mcp, 'relationship_delete', { parent_id: sw, child_id: host, type: 'connected_to' });
    assert.equal(again.data.existed, false);
    assert.equal((await callTool(mcp, 'relationship_list', { device_id: sw })).data.total, 0);
  });

  it('hides write tools from a viewer and deletes from an operator, and refuses them if called', async () => {
    const v = await connectMcp(s.url, viewer.key);
    const vNames = new Set((await v.listTools()).tools.map((t) => t.name));
    for (const n of ['device_list', 'device_get', 'device_get_relationships', 'device_related', 'relationship_list']) assert.ok(vNames.has(n), n);
    for (const n of ['device_save', 'device_delete', 'device_add_relationship', 'relationship_update', 'relationship_delete']) assert.ok(!vNames.has(n), n);
    assert.equal((await callTool(v, 'device_save', { name: 'nope' })).error!.code, 'FORBIDDEN');
    assert.equal((await callTool(v, 'device_add_relationship', { parent_id: 'a', child_id: 'b', type: 'contains' })).error!.code, 'FORBIDDEN');
    await v.close();
    const o = await connectMcp(s.url, operator.key);
    const oNames = new Set((await o.listTools()).tools.map((t) => t.name));
    assert.ok(oNames.has('device_save') && !oNames.has('device_delete') && !oNames.has('relationship_delete'));
    const mine = await callTool(o, 'device_save', { name: 'op-dev' });
    assert.ok(mine.ok);
    assert.equal((await callTool(o, 'device_delete', { id: mine.data.id })).error!.code, 'FORBIDDEN');
    await o.close();
  });
});
