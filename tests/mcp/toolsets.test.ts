// The tool surface an assistant pays for before doing anything: tools/list is measured as sent
// (bytes, and bytes ÷ 4 as a token estimate) for all tools and per toolset and held to a budget;
// toolsets chosen on connecting (query parameter or header) narrow it; descriptors keep the
// meaning in few bytes (output schemas are shapes, annotations state what differs from MCP's
// defaults, openWorldHint marks the tools that reach outside rackd).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { OPERATIONS } from '../../src/operations/index.ts';
import { TOOLSETS } from '../../src/operations/types.ts';
import { connectMcp } from '../helpers/mcp.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

const BUDGET_TOKENS = { all: 25_000, inventoryIpam: 10_000 };
const tokens = (bytes: number) => Math.round(bytes / 4);

describe('MCP tool surface: size, toolsets, lean descriptors', () => {
  let s: TestServer;
  let admin: TestUser;
  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
  });
  after(() => s.stop());

  /** tools/list exactly as the server sends it: the bytes of the JSON-RPC result. */
  async function listRaw(query = '', headers: Record<string, string> = {}) {
    const res = await s.api.post(`/mcp${query}`, { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }, { token: admin.key, headers: { accept: 'application/json, text/event-stream', ...headers } });
    assert.equal(res.status, 200, res.text);
    const result = res.body.result as { tools: { name: string }[] };
    return { bytes: Buffer.byteLength(JSON.stringify(result)), tools: result.tools };
  }

  it('stays within the token budget, all tools and per toolset (reported as diagnostics)', async (t) => {
    const all = await listRaw();
    t.diagnostic(`all ${all.tools.length} tools: ${all.bytes} bytes ≈ ${tokens(all.bytes)} tokens`);
    for (const set of TOOLSETS) {
      const one = await listRaw(`?toolsets=${set}`);
      t.diagnostic(`${set} (${one.tools.length} tools): ${one.bytes} bytes ≈ ${tokens(one.bytes)} tokens`);
    }
    const inventoryIpam = await listRaw('?toolsets=inventory,ipam');
    t.diagnostic(`inventory+ipam (${inventoryIpam.tools.length} tools): ${inventoryIpam.bytes} bytes ≈ ${tokens(inventoryIpam.bytes)} tokens`);
    assert.ok(tokens(all.bytes) <= BUDGET_TOKENS.all, `all tools: ${tokens(all.bytes)} tokens > ${BUDGET_TOKENS.all}`);
    assert.ok(tokens(inventoryIpam.bytes) <= BUDGET_TOKENS.inventoryIpam, `inventory+ipam: ${tokens(inventoryIpam.bytes)} tokens > ${BUDGET_TOKENS.inventoryIpam}`);
  });

  it('offers exactly the chosen toolsets, by query parameter or header, all by default', async () => {
    const expected = (sets: string[]) => OPERATIONS.filter((o) => o.toolset && sets.includes(o.toolset)).map((o) => o.name).sort();
    const names = (r: { tools: { name: string }[] }) => r.tools.map((x) => x.name).sort();
    assert.deepEqual(names(await listRaw()), expected([...TOOLSETS]));
    assert.deepEqual(names(await listRaw('?toolsets=ipam')), expected(['ipam']));
    assert.deepEqual(names(await listRaw('', { 'x-mcp-toolsets': 'admin, webhooks' })), expected(['admin', 'webhooks']));
    assert.deepEqual(names(await listRaw('?toolsets=inventory&toolsets=ipam')), expected(['inventory', 'ipam']));
    for (const set of TOOLSETS) assert.ok(expected([set]).length > 0, `${set} has tools`);
  });

  it('refuses an unknown toolset instead of silently offering nothing', async () => {
    const res = await s.api.post('/mcp?toolsets=inventry', { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }, { token: admin.key, headers: { accept: 'application/json, text/event-stream' } });
    assert.equal(res.status, 400);
    assert.equal(res.body.code, 'VALIDATION_ERROR');
    assert.match(res.body.error, /inventry.*known: inventory, ipam, discovery, webhooks, admin/);
  });

  it('works with the SDK client: a tool outside the chosen toolsets is unknown, with the error text once', async () => {
    const client = await connectMcp(s.url, admin.key, { 'X-MCP-Toolsets': 'ipam' });
    try {
      const listed = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(listed.includes('pool_get_next_ip') && !listed.includes('device_list'));
      await assert.rejects(client.callTool({ name: 'device_list', arguments: {} }), (err: Error & { code?: number }) => {
        assert.equal(err.code, -32602);
        assert.equal(err.message, 'MCP error -32602: Unknown tool: device_list', 'the prefix appears once');
        return true;
      });
    } finally {
      await client.close();
    }
  });

  it('marks the tools that reach outside rackd as open-world, and states only non-default hints', async () => {
    const { tools } = (await listRaw()) as unknown as { tools: { name: string; annotations: Record<string, boolean>; outputSchema: Record<string, unknown> }[] };
    const open = tools.filter((t) => t.annotations.openWorldHint !== false).map((t) => t.name).sort();
    assert.deepEqual(open, ['discovery_scan', 'webhook_ping', 'webhook_redeliver']);
    const byName = new Map(tools.map((t) => [t.name, t]));
    assert.deepEqual(byName.get('device_get')!.annotations, { readOnlyHint: true, openWorldHint: false });
    assert.deepEqual(byName.get('device_delete')!.annotations, { idempotentHint: true, openWorldHint: false }, 'destructive is the default');
    assert.deepEqual(byName.get('device_save')!.annotations, { destructiveHint: false, openWorldHint: false });
    assert.deepEqual(byName.get('discovery_scan')!.annotations, { destructiveHint: false });
    // Output schemas are shapes: types and nesting, no prose.
    const out = JSON.stringify(byName.get('device_get')!.outputSchema);
    assert.ok(!out.includes('"description":"') && !out.includes('"required"'), out.slice(0, 200));
    assert.equal(byName.get('device_get')!.outputSchema.type, 'object');
  });
});
