// /mcp answers a plain tools/call (one JSON-RPC request, no progress token) without building the
// SDK's per-request Server and transport. It must answer exactly as the SDK path does — the same
// header checks (406 without both Accept types, 415 for another Content-Type, 400 for an
// unsupported MCP-Protocol-Version), the same JSON-RPC result and error shapes, string and
// numeric ids echoed — and everything it does not take (other methods, notifications, odd ids,
// progress tokens) still goes to the SDK.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, startTestServer, type TestServer } from '../helpers/server.ts';

const JSON_SSE = 'application/json, text/event-stream';

describe('/mcp tools/call fast path', () => {
  let s: TestServer;
  let key: string;
  before(async () => {
    s = await startTestServer();
    key = (await createTestUser(s.env, ['admin'])).key;
  });
  after(() => s.stop());

  async function post(body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${s.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: JSON_SSE, 'mcp-protocol-version': '2025-11-25', ...headers },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', text, json: text ? JSON.parse(text) : undefined };
  }

  it('answers a call, a tool error and a protocol error in the SDK shapes, echoing the id', async () => {
    const dc = await post({ jsonrpc: '2.0', id: 'a-1', method: 'tools/call', params: { name: 'datacenter_save', arguments: { name: 'Fast 1' } } });
    assert.equal(dc.status, 200);
    assert.match(dc.type, /^application\/json/);
    assert.equal(dc.json.jsonrpc, '2.0');
    assert.equal(dc.json.id, 'a-1');
    assert.equal(dc.json.result.structuredContent.name, 'Fast 1');
    assert.deepEqual(JSON.parse(dc.json.result.content[0].text), dc.json.result.structuredContent);

    const bad = await post({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'datacenter_get', arguments: { id: 'nope' } } });
    assert.equal(bad.json.id, 7);
    assert.equal(bad.json.result.isError, true);
    assert.equal(bad.json.result._meta['rackd/error'].code, 'NOT_FOUND');

    const unknown = await post({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'no_such_tool' } });
    assert.deepEqual(unknown.json, { jsonrpc: '2.0', id: 8, error: { code: -32602, message: 'Unknown tool: no_such_tool' } });
  });

  it('keeps the transport’s header checks', async () => {
    const call = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'datacenter_list', arguments: {} } };
    assert.equal((await post(call, { accept: 'application/json' })).status, 406);
    assert.equal((await post(call, { 'content-type': 'text/plain' })).status, 415);
    const version = await post(call, { 'mcp-protocol-version': '1999-01-01' });
    assert.equal(version.status, 400);
    assert.match(version.json.error.message, /protocol version/i);
    // Without the header the SDK's default version applies, as before.
    assert.equal((await post(call, { 'mcp-protocol-version': '' })).status, 400);
  });

  it('leaves everything else to the SDK: initialize, tools/list, notifications, null ids', async () => {
    const init = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    assert.equal(init.json.result.serverInfo.name, 'rackd');
    const list = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    assert.ok(list.json.result.tools.some((t: { name: string }) => t.name === 'device_get'));
    const note = await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    assert.equal(note.status, 202);
    const nullId = await post({ jsonrpc: '2.0', id: null, method: 'tools/call', params: { name: 'datacenter_list' } });
    assert.equal(nullId.status, 400);
  });
});
