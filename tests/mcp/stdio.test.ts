// `rackd mcp` as an MCP host launches it: the SDK's StdioClientTransport spawns the real command,
// which forwards to a running test server's /mcp with the API key from RACKD_API_KEY.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createTestUser, ROOT, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

const ARGS = ['--import', 'tsx', join(ROOT, 'src/main.ts'), 'mcp'];
const baseEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' });

async function connectStdio(env: Record<string, string>): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: ARGS, cwd: ROOT, env: { ...baseEnv(), ...env }, stderr: 'pipe' });
  let err = '';
  transport.stderr?.on('data', (d) => (err += d));
  const client = new Client({ name: 'rackd-stdio-tests', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => err };
}

describe('rackd mcp (stdio)', () => {
  let s: TestServer;
  let operator: TestUser;
  let admin: TestUser;
  before(async () => {
    s = await startTestServer();
    operator = await createTestUser(s.env, ['operator']);
    admin = await createTestUser(s.env, ['admin']);
  });
  after(() => s.stop());

  it('lists the key owner\'s tools and calls them through the running server', async () => {
    const { client, stderr } = await connectStdio({ RACKD_URL: s.url, RACKD_API_KEY: admin.key });
    try {
      assert.equal(client.getServerVersion()?.name, 'rackd');
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes('datacenter_save') && names.includes('datacenter_get'), names.join(','));
      const saved = (await client.callTool({ name: 'datacenter_save', arguments: { name: 'Stdio DC', location: 'Lyon' } })) as CallToolResult;
      assert.equal(saved.isError, undefined, JSON.stringify(saved.content));
      const id = (saved.structuredContent as { id: string }).id;
      const got = (await client.callTool({ name: 'datacenter_get', arguments: { id } })) as CallToolResult;
      assert.deepEqual(got.structuredContent, saved.structuredContent);
      assert.equal((got.structuredContent as { location: string }).location, 'Lyon');
      // The server really stored it: REST sees the same row.
      const rest = await s.api.get(`/api/datacenters/${id}`, { token: admin.key });
      assert.equal(rest.status, 200);
      assert.equal(rest.body.name, 'Stdio DC');
      // Errors come back as tool results, exactly as over HTTP.
      const missing = (await client.callTool({ name: 'datacenter_get', arguments: { id: 'nope' } })) as CallToolResult;
      assert.equal(missing.isError, true);
      assert.equal((missing._meta?.['rackd/error'] as { code: string }).code, 'NOT_FOUND');
      assert.match(stderr(), /bridging MCP stdio/);
    } finally {
      await client.close();
    }
  });

  it('serves only what the key may use: an operator cannot save datacenters', async () => {
    const { client } = await connectStdio({ RACKD_URL: s.url, RACKD_API_KEY: operator.key });
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes('datacenter_get'));
      assert.ok(!names.includes('datacenter_save'));
      const r = (await client.callTool({ name: 'datacenter_save', arguments: { name: 'X' } })) as CallToolResult;
      assert.equal(r.isError, true);
      assert.equal((r._meta?.['rackd/error'] as { code: string }).code, 'FORBIDDEN');
    } finally {
      await client.close();
    }
  });

  it('asks the server for the toolsets in RACKD_TOOLSETS', async () => {
    const { client } = await connectStdio({ RACKD_URL: s.url, RACKD_API_KEY: admin.key, RACKD_TOOLSETS: 'webhooks' });
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.length > 0 && names.every((n) => n.startsWith('webhook_')), names.join(', '));
    } finally {
      await client.close();
    }
  });

  it('answers requests with a clear error when the server refuses the key', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: ARGS, cwd: ROOT, env: { ...baseEnv(), RACKD_URL: s.url, RACKD_API_KEY: 'rk_wrong' }, stderr: 'pipe' });
    let err = '';
    transport.stderr?.on('data', (d) => (err += d));
    const client = new Client({ name: 'rackd-stdio-tests', version: '1.0.0' });
    await assert.rejects(client.connect(transport), /401.*RACKD_API_KEY/);
    await client.close();
    assert.match(err, /refused the API key \(401\)/);
    assert.doesNotMatch(err, /rk_wrong/);
  });

  it('exits 2 with a one-line error when RACKD_API_KEY is missing, writing nothing to stdout', () => {
    const r = spawnSync(process.execPath, ARGS, { cwd: ROOT, env: { ...baseEnv(), RACKD_URL: s.url }, input: '', encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /^rackd: RACKD_API_KEY is not set/);
  });

  it('exits 2 on a RACKD_URL that is not a URL', () => {
    const r = spawnSync(process.execPath, ARGS, { cwd: ROOT, env: { ...baseEnv(), RACKD_URL: 'not a url', RACKD_API_KEY: 'x' }, input: '', encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /RACKD_URL is not a URL/);
  });
});
