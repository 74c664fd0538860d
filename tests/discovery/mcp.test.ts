// discovery_scan over MCP with the real SDK client: returning at once, waiting for the end,
// progress notifications when the client sends a progress token, the bounded wait, permissions.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, type CallToolResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { callTool, connectMcp } from '../helpers/mcp.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

describe('discovery_scan over MCP', () => {
  let s: TestServer;
  let admin: TestUser;
  let mcp: Client;
  const ssh = net.createServer((c) => c.end('SSH-2.0-TestSSH_1.0\r\n'));
  // Silent on every address: each host holds a socket for the banner wait, so scans take a while.
  const silent = net.createServer((c) => c.on('error', () => undefined));
  let sshPort = 0;
  let silentPort = 0;
  const network = async (subnet: string) => (await callTool(mcp, 'network_save', { name: `mcp-${subnet}`, subnet })).data.id as string;

  before(async () => {
    s = await startTestServer({ DISCOVERY_MAX_CONCURRENT: '32' });
    admin = await createTestUser(s.env, ['admin']);
    mcp = await connectMcp(s.url, admin.key);
    sshPort = await new Promise<number>((r) => ssh.listen(0, '127.85.0.5', () => r((ssh.address() as net.AddressInfo).port)));
    silentPort = await new Promise<number>((r) => silent.listen(0, '0.0.0.0', () => r((silent.address() as net.AddressInfo).port)));
  });
  after(async () => {
    ssh.close();
    silent.close();
    await mcp.close();
    await s.stop();
  });

  it('lists the discovery tools with schemas; returns the pending scan at once without wait', async () => {
    const names = (await mcp.listTools()).tools.map((t) => t.name);
    for (const n of ['discovery_scan', 'discovery_scan_list', 'discovery_scan_get', 'discovery_scan_cancel', 'discovery_scan_delete', 'discovery_list', 'discovery_get', 'discovery_delete', 'discovery_delete_network', 'discovery_promote', 'discovery_diff']) {
      assert.ok(names.includes(n), n);
    }
    const netId = await network('127.85.1.0/29');
    const r = await callTool(mcp, 'discovery_scan', { network_id: netId, ports: [sshPort], reverse_dns: false });
    assert.ok(r.ok, JSON.stringify(r.error));
    assert.equal(r.data.status, 'pending');
    assert.equal(r.data.total_hosts, 6);
  });

  it('waits for the final scan when asked', async () => {
    const netId = await network('127.85.0.0/28');
    const r = await callTool(mcp, 'discovery_scan', { network_id: netId, ports: [sshPort], reverse_dns: false, wait: true, max_wait_seconds: 60 });
    assert.ok(r.ok, JSON.stringify(r.error));
    assert.equal(r.data.status, 'completed');
    assert.equal(r.data.scanned_hosts, 14);
    assert.equal(r.data.found_hosts, 14);
    const hosts = await callTool(mcp, 'discovery_list', { network_id: netId });
    assert.equal(hosts.data.total, 14);
    const five = hosts.data.items.find((d: any) => d.ip === '127.85.0.5');
    assert.deepEqual(five.open_ports, [sshPort]);
    assert.equal(five.services[0].version, 'TestSSH_1.0');
  });

  it('sends progress notifications when the request carries a progress token', async () => {
    const netId = await network('127.86.0.0/25');
    const seen: Progress[] = [];
    const raw = (await mcp.callTool(
      { name: 'discovery_scan', arguments: { network_id: netId, ports: [silentPort], reverse_dns: false, wait: true, max_wait_seconds: 60 } },
      CallToolResultSchema,
      { onprogress: (p) => void seen.push(p), timeout: 90_000 },
    )) as CallToolResult;
    assert.ok(!raw.isError, JSON.stringify(raw.content));
    const scan = raw.structuredContent as any;
    assert.equal(scan.status, 'completed');
    assert.equal(scan.scanned_hosts, 126);
    assert.ok(seen.length >= 3, `progress notifications: ${seen.length}`);
    for (const p of seen) assert.equal(p.total, 126);
    // MCP: progress MUST increase with each notification (a repeated final count is not sent twice).
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i]!.progress > seen[i - 1]!.progress, `progress strictly increases: ${seen.map((p) => p.progress).join(', ')}`);
    assert.ok(seen.some((p) => p.progress > 0 && p.progress < 126), 'intermediate progress was reported');
    assert.equal(seen[seen.length - 1]!.progress, 126);
    assert.match(seen[seen.length - 1]!.message ?? '', /126\/126 hosts scanned, 126 found/);
  });

  it('stops waiting after max_wait_seconds and returns the running scan, which then can be cancelled', async () => {
    const netId = await network('127.87.0.0/22');
    const t0 = Date.now();
    const r = await callTool(mcp, 'discovery_scan', { network_id: netId, ports: [silentPort], reverse_dns: false, wait: true, max_wait_seconds: 1 });
    const took = Date.now() - t0;
    assert.ok(r.ok, JSON.stringify(r.error));
    assert.ok(took >= 900 && took < 5_000, `waited ${took} ms`);
    assert.equal(r.data.status, 'running');
    assert.ok(r.data.scanned_hosts < r.data.total_hosts);
    const c = await callTool(mcp, 'discovery_scan_cancel', { id: r.data.id });
    assert.ok(c.ok, JSON.stringify(c.error));
    assert.equal(c.data.status, 'cancelled');
  });

  it('refuses a /15 and unknown arguments as tool errors; a viewer cannot scan', async () => {
    const big = await network('10.60.0.0/15');
    const r = await callTool(mcp, 'discovery_scan', { network_id: big });
    assert.equal(r.ok, false);
    assert.equal(r.error!.code, 'VALIDATION_ERROR');
    assert.match(r.error!.message, /at most a \/16/);
    const bad = await callTool(mcp, 'discovery_scan', { network_id: big, max_wait_seconds: 500 });
    assert.equal(bad.error!.code, 'VALIDATION_ERROR');
    assert.ok(bad.error!.details!.some((d) => d.field === 'max_wait_seconds'));
    const viewer = await createTestUser(s.env, ['viewer']);
    const client = await connectMcp(s.url, viewer.key);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      assert.ok(names.includes('discovery_list') && names.includes('discovery_scan_get'));
      assert.ok(!names.includes('discovery_scan') && !names.includes('discovery_promote'));
      const denied = await callTool(client, 'discovery_scan', { network_id: big });
      assert.equal(denied.error!.code, 'FORBIDDEN');
    } finally {
      await client.close();
    }
  });
});
