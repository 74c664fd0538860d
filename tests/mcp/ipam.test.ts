import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { systemContext } from '../../src/auth/context.ts';
import { getDevice } from '../../src/services/devices/get.ts';
import { saveDevice } from '../../src/services/devices/save.ts';
import { callTool, connectMcp, hint } from '../helpers/mcp.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

const IPAM_TOOLS = [
  'network_list', 'network_get', 'network_save', 'network_delete', 'network_utilization',
  'pool_list', 'pool_get', 'pool_save', 'pool_delete', 'pool_get_next_ip', 'pool_heatmap', 'ip_allocate',
  'reservation_list', 'reservation_get', 'reservation_create', 'reservation_update', 'reservation_release', 'reservation_delete',
];

describe('IPAM tools over MCP', () => {
  let s: TestServer;
  let admin: TestUser;
  let operator: TestUser;
  let viewer: TestUser;
  let mcp: Client;
  let op: Client;
  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
    operator = await createTestUser(s.env, ['operator']);
    viewer = await createTestUser(s.env, ['viewer']);
    mcp = await connectMcp(s.url, admin.key);
    op = await connectMcp(s.url, operator.key);
  });
  after(async () => {
    await mcp.close();
    await op.close();
    await s.stop();
  });

  it('offers every IPAM tool with a title, description, object schemas and honest annotations', async () => {
    const { tools } = await mcp.listTools();
    const byName = new Map(tools.map((t) => [t.name, t]));
    for (const name of IPAM_TOOLS) {
      const t = byName.get(name);
      assert.ok(t, name);
      assert.ok(t.title && t.description, name);
      assert.equal(t.inputSchema.type, 'object', name);
      assert.equal(t.outputSchema?.type, 'object', name);
    }
    assert.equal(hint(byName.get('pool_get_next_ip')!, 'readOnlyHint'), true);
    assert.equal(hint(byName.get('ip_allocate')!, 'readOnlyHint'), false);
    assert.equal(hint(byName.get('ip_allocate')!, 'idempotentHint'), false);
    assert.equal(hint(byName.get('network_delete')!, 'destructiveHint'), true);
    assert.equal(hint(byName.get('reservation_release')!, 'destructiveHint'), false);
    assert.match((byName.get('network_save')!.inputSchema.properties as Record<string, { description: string }>).subnet!.description, /10\.0\.0\.0\/24/);
  });

  it('builds a network and pool, allocates with and without a device, and reads utilization', async () => {
    const net = await callTool(mcp, 'network_save', { name: 'mcp-net', subnet: '10.30.0.9/24', vlan_id: 30 });
    assert.ok(net.ok, JSON.stringify(net.error));
    assert.equal(net.data.subnet, '10.30.0.0/24');
    const pool = await callTool(mcp, 'pool_save', { network_id: net.data.id, name: 'mcp-pool', start_ip: '10.30.0.10', end_ip: '10.30.0.20', tags: ['mcp'] });
    assert.ok(pool.ok, JSON.stringify(pool.error));
    assert.equal(pool.data.utilization.total, 11);
    const pools = await callTool(op, 'pool_list', { network_id: net.data.id });
    assert.equal(pools.data.total, 1);
    const next = await callTool(op, 'pool_get_next_ip', { pool_id: pool.data.id });
    assert.deepEqual(next.data, { ip: '10.30.0.10' });
    const res = await callTool(op, 'ip_allocate', { pool_id: pool.data.id, hostname: 'app1', idempotency_key: 'mcp-1' });
    assert.ok(res.ok, JSON.stringify(res.error));
    assert.equal(res.data.ip, '10.30.0.10');
    assert.equal(res.data.idempotent_replay, false);
    const replay = await callTool(op, 'ip_allocate', { pool_id: pool.data.id, hostname: 'app1', idempotency_key: 'mcp-1' });
    assert.deepEqual(replay.data, { ...res.data, idempotent_replay: true });
    const dev = await saveDevice(s.env, systemContext('test'), { name: 'mcp-dev' });
    const onDev = await callTool(op, 'ip_allocate', { pool_id: pool.data.id, device_id: dev.id, label: 'mgmt' });
    assert.ok(onDev.ok, JSON.stringify(onDev.error));
    assert.equal(onDev.data.ip, '10.30.0.11');
    const stored = await getDevice(s.env, systemContext('test'), { id: dev.id });
    assert.equal(stored.addresses[0]!.id, onDev.data.address_id);
    assert.equal(stored.addresses[0]!.label, 'mgmt');
    const util = await callTool(op, 'network_utilization', { id: net.data.id });
    assert.equal(util.data.used_ips, 1, 'device addresses count; reservations do not');
    const got = await callTool(op, 'pool_get', { id: pool.data.id });
    assert.equal(got.data.utilization.used, 2);
    const heat = await callTool(op, 'pool_heatmap', { pool_id: pool.data.id });
    assert.deepEqual(heat.data.items.slice(0, 3), [
      { ip: '10.30.0.10', status: 'reserved' },
      { ip: '10.30.0.11', status: 'used', device_id: dev.id },
      { ip: '10.30.0.12', status: 'available' },
    ]);
    assert.equal(heat.data.truncated, false);
  });

  it('runs the reservation lifecycle with expires_at and expires_in_days on MCP', async () => {
    const net = await callTool(mcp, 'network_save', { name: 'mcp-res', subnet: '2001:db8:30::/64' });
    const pool = await callTool(mcp, 'pool_save', { network_id: net.data.id, name: 'v6', start_ip: '2001:db8:30::100', end_ip: '2001:db8:30::1ff' });
    const r = await callTool(op, 'reservation_create', { pool_id: pool.data.id, hostname: 'h', expires_at: '2999-06-01T00:00:00Z' });
    assert.ok(r.ok, JSON.stringify(r.error));
    assert.equal(r.data.ip_address, '2001:db8:30::100');
    const r2 = await callTool(op, 'reservation_create', { pool_id: pool.data.id, ip_address: '2001:db8:30::1ff', expires_in_days: 2 });
    assert.equal(r2.data.ip_address, '2001:db8:30::1ff');
    const upd = await callTool(op, 'reservation_update', { id: r.data.id, purpose: 'test' });
    assert.equal(upd.data.hostname, 'h');
    assert.equal(upd.data.purpose, 'test');
    const list = await callTool(op, 'reservation_list', { pool_id: pool.data.id, ip_address: '2001:db8:30:0::1ff' });
    assert.deepEqual(list.data.items.map((x: { id: string }) => x.id), [r2.data.id]);
    const rel = await callTool(op, 'reservation_release', { id: r.data.id });
    assert.deepEqual(rel.data, { status: 'released', id: r.data.id, message: 'Reservation of 2001:db8:30::100 released' });
    const del = await callTool(op, 'reservation_delete', { id: r2.data.id });
    assert.equal(del.error?.code, 'FORBIDDEN', 'operators lack reservation:delete');
    const adminDel = await callTool(mcp, 'reservation_delete', { id: r2.data.id });
    assert.deepEqual(adminDel.data, { status: 'deleted', id: r2.data.id });
    const pd = await callTool(mcp, 'pool_delete', { id: pool.data.id });
    assert.deepEqual(pd.data, { status: 'deleted', id: pool.data.id });
    const nd = await callTool(mcp, 'network_delete', { id: net.data.id });
    assert.deepEqual(nd.data, { status: 'deleted', id: net.data.id });
  });

  it('returns stable error codes as tool errors and rejects unknown arguments by name', async () => {
    const net = await callTool(mcp, 'network_save', { name: 'tiny', subnet: '10.31.0.0/31' });
    const pool = await callTool(mcp, 'pool_save', { network_id: net.data.id, name: 't', start_ip: '10.31.0.0', end_ip: '10.31.0.1' });
    assert.ok(pool.ok, JSON.stringify(pool.error));
    await callTool(op, 'ip_allocate', { pool_id: pool.data.id });
    await callTool(op, 'ip_allocate', { pool_id: pool.data.id });
    const full = await callTool(op, 'ip_allocate', { pool_id: pool.data.id });
    assert.equal(full.ok, false);
    assert.equal(full.error!.code, 'IP_NOT_AVAILABLE');
    assert.equal((await callTool(op, 'pool_get_next_ip', { pool_id: pool.data.id })).error!.code, 'IP_NOT_AVAILABLE');
    const unknown = await callTool(op, 'pool_list', { network: net.data.id });
    assert.equal(unknown.error!.code, 'VALIDATION_ERROR');
    assert.match(unknown.error!.message, /network/);
    const badVlan = await callTool(mcp, 'network_save', { name: 'x', subnet: '10.32.0.0/24', vlan_id: 4095 });
    assert.equal(badVlan.error!.code, 'VALIDATION_ERROR');
    const overlap = await callTool(mcp, 'pool_save', { network_id: net.data.id, name: 'o', start_ip: '10.31.0.1', end_ip: '10.31.0.1' });
    assert.equal(overlap.error!.code, 'CONFLICT');
    const missing = await callTool(op, 'network_get', { id: 'nope' });
    assert.equal(missing.error!.code, 'NOT_FOUND');
  });

  it('hides write tools from a viewer and refuses them when called', async () => {
    const client = await connectMcp(s.url, viewer.key);
    const names = (await client.listTools()).tools.map((t) => t.name);
    for (const n of ['network_list', 'pool_get_next_ip', 'pool_heatmap', 'reservation_list', 'network_utilization']) assert.ok(names.includes(n), n);
    for (const n of ['ip_allocate', 'network_save', 'pool_save', 'reservation_create', 'reservation_release']) assert.ok(!names.includes(n), n);
    const pools = await callTool(client, 'pool_list', {});
    const r = await callTool(client, 'ip_allocate', { pool_id: pools.data.items[0].id });
    assert.equal(r.error!.code, 'FORBIDDEN');
    await client.close();
  });
});
