// One test per defect the input gate fixed (issue 12), each through the surface it was found on:
// NUL in search text, JSON-RPC batches, malformed tools/call params, coerced integers, rolled-over
// dates, lone surrogates, bytes that are not UTF-8, bidi and control characters in names, and
// `?__proto__=1`. Each failed before the gate.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestUser, startTestServer, type TestServer } from '../helpers/server.ts';

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };

describe('the input gate', () => {
  let s: TestServer;
  let key: string;
  let rpcId = 0;

  before(async () => {
    s = await startTestServer();
    key = (await createTestUser(s.env, ['admin'])).key;
  });
  after(() => s.stop());

  const get = (path: string) => s.api.get(path, { token: key });
  const post = (path: string, body: unknown) => s.api.post(path, body, { token: key });

  async function rpc(message: unknown): Promise<{ status: number; body: any }> {
    const res = await fetch(`${s.url}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, authorization: `Bearer ${key}` }, body: typeof message === 'string' ? message : JSON.stringify(message) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
  const call = (name: unknown, args?: unknown) => rpc({ jsonrpc: '2.0', id: ++rpcId, method: 'tools/call', params: { name, ...(args !== undefined && { arguments: args }) } });
  const toolError = (r: { body: any }) => r.body?.result?._meta?.['rackd/error'] as { code: string; message: string; details?: { field: string }[] } | undefined;
  const deviceCount = async () => (await get('/api/devices?limit=1')).headers.get('x-total-count');

  describe('search text holding NUL is quoted for FTS whatever it holds', () => {
    it('GET /api/search?q=%00 and q=a%00b answer 200, not 500', async () => {
      for (const q of ['%00', 'a%00b', '%22%00*', 'web%00%01%1f']) {
        const res = await get(`/api/search?q=${q}`);
        assert.equal(res.status, 200, `q=${q}: ${res.text}`);
        assert.ok(Array.isArray(res.body.items));
      }
    });
    it('device_list and GET /api/devices with query "a\\u0000b" answer, and still find by the words around it', async () => {
      await post('/api/devices', { name: 'nulsearch-alpha' });
      const r = await call('device_list', { query: 'nulsearch\u0000alpha' });
      assert.equal(toolError(r), undefined, JSON.stringify(r.body));
      assert.equal(r.body.result.structuredContent.total, 1);
      const rest = await get('/api/devices?query=a%00b');
      assert.equal(rest.status, 200, rest.text);
      const only = await get('/api/devices?query=%00');
      assert.equal(only.status, 200, only.text);
      assert.equal(only.headers.get('x-total-count'), '0');
    });
  });

  describe('/mcp', () => {
    it('refuses a JSON-RPC batch with -32600, and runs none of its calls', async () => {
      const before = await deviceCount();
      const batch = Array.from({ length: 100 }, (_, i) => ({ jsonrpc: '2.0', id: i + 1, method: 'tools/call', params: { name: 'device_save', arguments: { name: `batched-${i}` } } }));
      const r = await rpc(batch);
      assert.equal(r.status, 400);
      assert.equal(r.body.jsonrpc, '2.0');
      assert.equal(r.body.id, null);
      assert.equal(r.body.error.code, -32600);
      assert.match(r.body.error.message, /batch/i);
      assert.equal(await deviceCount(), before);
      // An empty array is a batch too.
      assert.equal((await rpc([])).body.error.code, -32600);
    });

    it('answers malformed tools/call params with -32602 and a plain message, not -32603 with a zod dump', async () => {
      const cases: [unknown, RegExp][] = [
        [{ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 5 } }, /name must be a string/],
        [{ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'device_list', arguments: [] } }, /arguments must be an object/],
        [{ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'device_list', arguments: 'x' } }, /arguments must be an object/],
        [{ jsonrpc: '2.0', id: 4, method: 'tools/call' }, /needs params/],
        [{ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'no_such_tool' } }, /Unknown tool: no_such_tool/],
      ];
      for (const [message, text] of cases) {
        const r = await rpc(message);
        assert.equal(r.status, 200, `${JSON.stringify(message)} → ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error?.code, -32602, JSON.stringify(r.body));
        assert.match(r.body.error.message, text);
        assert.doesNotMatch(r.body.error.message, /ZodError|invalid_type|\[\s*\{|MCP error/);
      }
      // params that are not an object break JSON-RPC itself: the transport refuses the message.
      const list = await rpc({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: [] });
      assert.equal(list.status, 400);
      assert.ok(list.body.error.code < -32000);
    });

    it('answers a body that is not UTF-8 as a parse error', async () => {
      const res = await fetch(`${s.url}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, authorization: `Bearer ${key}` }, body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]) });
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error.code, -32700);
    });
  });

  describe('integers are integers', () => {
    it('network_save refuses vlan_id true, [7], "0x10" and " 12 " on MCP and REST', async () => {
      for (const vlan_id of [true, [7], '0x10', ' 12 ', '12', 12.5]) {
        const args = { name: `vl-${String(vlan_id)}`, subnet: '10.77.0.0/24', vlan_id };
        const mcp = toolError(await call('network_save', args));
        assert.equal(mcp?.code, 'VALIDATION_ERROR', `MCP vlan_id=${JSON.stringify(vlan_id)}`);
        assert.ok(mcp.details?.some((d) => d.field === 'vlan_id'));
        const rest = await post('/api/networks', args);
        assert.equal(rest.status, 400, `REST vlan_id=${JSON.stringify(vlan_id)}: ${rest.text}`);
        assert.equal(rest.body.details[0].field, 'vlan_id');
      }
      assert.equal((await get('/api/networks?limit=1')).headers.get('x-total-count'), '0');
    });

    it('ip_allocate refuses expires_in_days: true', async () => {
      const n = await post('/api/networks', { name: 'alloc-net', subnet: '10.78.0.0/24' });
      const p = await post(`/api/networks/${n.body.id}/pools`, { name: 'alloc-pool', start_ip: '10.78.0.10', end_ip: '10.78.0.20' });
      assert.equal(p.status, 201, p.text);
      const r = await post(`/api/pools/${p.body.id}/allocate`, { expires_in_days: true });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.details[0].field, 'expires_in_days');
    });

    it('MCP list tools refuse offset [], null and ""', async () => {
      for (const offset of [[], null, '', '3']) {
        const e = toolError(await call('device_list', { offset }));
        assert.equal(e?.code, 'VALIDATION_ERROR', `offset=${JSON.stringify(offset)}`);
        assert.equal(e.details?.[0]?.field, 'offset');
      }
    });

    it('list routes take only plain decimal in the query string: ?limit=0x10 and ?offset= are refused', async () => {
      for (const q of ['limit=0x10', 'offset=', 'limit=%2012%20', 'limit=1e2', 'limit=true', 'offset=-0x1', 'limit=16.0']) {
        const res = await get(`/api/devices?${q}`);
        assert.equal(res.status, 400, `${q}: ${res.text}`);
        assert.equal(res.body.code, 'VALIDATION_ERROR');
        assert.equal(res.body.details[0].field, q.split('=')[0]);
      }
      assert.equal((await get('/api/devices?limit=16&offset=0')).status, 200);
      assert.equal((await get('/api/webhooks?active=false&limit=5')).status, 200);
      assert.equal((await get('/api/devices?stale=true&stale_days=30')).status, 200);
    });
  });

  describe('dates are real RFC 3339 date-times', () => {
    it('refuses 2026-02-30 and T24:00 instead of rolling over; stores a valid one as given', async () => {
      for (const date of ['2026-02-30T00:00:00Z', '2026-01-31T24:00:00Z', '2026-01-31T23:59:60Z', '2026-13-01T00:00:00Z', '2026-01-31', '2026-01-31T00:00:00']) {
        const d = await post('/api/devices', { name: `decom-${date}`, decommission_date: date });
        assert.equal(d.status, 400, `decommission_date ${date}: ${d.text}`);
        assert.equal(d.body.details[0].field, 'decommission_date');
        const k = await post('/api/keys', { name: `k-${date}`, expires_at: date.replace('2026', '2099') });
        assert.equal(k.status, 400, `expires_at ${date}: ${k.text}`);
        assert.equal(k.body.details[0].field, 'expires_at');
      }
      const ok = await post('/api/devices', { name: 'decom-ok', decommission_date: '2028-02-29T12:00:00+01:00' });
      assert.equal(ok.status, 201, ok.text);
      assert.equal(ok.body.decommission_date, '2028-02-29T11:00:00.000Z');
    });
  });

  describe('strings are well-formed Unicode', () => {
    it('refuses a lone surrogate on REST and MCP and stores nothing', async () => {
      const before = await deviceCount();
      const rest = await s.api.request('POST', '/api/devices', { token: key, raw: '{"name":"a\\ud800b"}', headers: { 'content-type': 'application/json' } });
      assert.equal(rest.status, 400, rest.text);
      assert.equal(rest.body.details[0].field, 'name');
      assert.match(rest.body.details[0].message, /well-formed Unicode/);
      const tag = await s.api.request('POST', '/api/devices', { token: key, raw: '{"name":"ok","tags":["x","\\udc00"]}', headers: { 'content-type': 'application/json' } });
      assert.equal(tag.body.details[0].field, 'tags.1');
      const key2 = await s.api.request('POST', '/api/devices', { token: key, raw: '{"name":"ok","\\ud800":1}', headers: { 'content-type': 'application/json' } });
      assert.equal(key2.status, 400);
      const mcp = toolError(await rpc('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"device_save","arguments":{"name":"a\\ud800b"}}}'));
      assert.equal(mcp?.code, 'VALIDATION_ERROR');
      assert.equal(mcp.details?.[0]?.field, 'name');
      assert.equal(await deviceCount(), before);
    });

    it('refuses a body that is not UTF-8 instead of replacing its bytes with U+FFFD', async () => {
      const res = await fetch(`${s.url}/api/devices`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: Buffer.from([...Buffer.from('{"name":"caf'), 0xe9, ...Buffer.from('"}')]) });
      assert.equal(res.status, 400);
      const body = await res.json();
      assert.equal(body.code, 'INVALID_JSON');
      assert.match(body.error, /UTF-8/);
    });
  });

  describe('names a person reads hold no control or bidi characters', () => {
    it('refuses bidi overrides and controls in names, tags and labels; free text keeps tabs and line breaks', async () => {
      const bad = [
        ['/api/devices', { name: 'Rackd CLI \u202egpj.exe' }, 'name'],
        ['/api/devices', { name: 'web\u000001' }, 'name'],
        ['/api/devices', { name: 'web01', tags: ['prod\u2066'] }, 'tags.0'],
        ['/api/devices', { name: 'web01', description: 'a\u0000b' }, 'description'],
        ['/api/devices', { name: 'web01', description: 'x\u202ey' }, 'description'],
        ['/api/datacenters', { name: 'AMS\u200f1' }, 'name'],
        ['/api/webhooks', { name: 'hook\u0007', url: 'https://hooks.example.com/x', events: ['device.created'] }, 'name'],
      ] as const;
      for (const [path, body, field] of bad) {
        const res = await post(path, body);
        assert.equal(res.status, 400, `${path} ${JSON.stringify(body)}: ${res.text}`);
        assert.equal(res.body.details[0].field, field);
      }
      const ok = await post('/api/devices', { name: 'Sèrveur-東京 01', description: 'line one\nline two\ttabbed\r\n' });
      assert.equal(ok.status, 201, ok.text);
      assert.equal(ok.body.description, 'line one\nline two\ttabbed\r\n');
    });

    it('a self-registered OAuth client cannot name itself with bidi overrides and NUL', async () => {
      const res = await s.api.post('/mcp-oauth/register', { client_name: 'Rackd CLI \u202egpj.exe\u0000', redirect_uris: ['http://127.0.0.1:9999/cb'], token_endpoint_auth_method: 'none' });
      assert.equal(res.status, 400, res.text);
      assert.equal(res.body.error, 'invalid_client_metadata');
    });
  });

  describe('unknown parameters are refused whatever their name', () => {
    it('?__proto__=1 and ?constructor=1 are refused like any other unknown parameter', async () => {
      for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
        const res = await get(`/api/devices?${name}=1`);
        assert.equal(res.status, 400, `${name}: ${res.text}`);
        assert.deepEqual(res.body.details, [{ field: name, message: 'unknown field' }]);
      }
      const body = await s.api.request('POST', '/api/devices', { token: key, raw: '{"name":"p","__proto__":{"admin":true}}', headers: { 'content-type': 'application/json' } });
      assert.equal(body.status, 400);
      assert.deepEqual(body.body.details, [{ field: '__proto__', message: 'unknown field' }]);
    });
  });
});
