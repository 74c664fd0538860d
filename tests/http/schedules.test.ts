// Scheduled scans (cron) and discovery rules over REST and MCP, and the schedule runner that
// really starts their scans as the system caller.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { runDueSchedules } from '../../src/discovery/schedule-runner.ts';
import { callTool, connectMcp } from '../helpers/mcp.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser, writerOf } from '../helpers/server.ts';

/** The next 03:00 UTC strictly after `now`. */
function next3am(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 3, 0, 0));
  if (d.getTime() <= now.getTime()) d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

describe('scheduled scans and discovery rules', () => {
  let s: TestServer;
  let admin: TestUser;
  let viewer: TestUser;
  let mcp: Client;
  let networkId: string;
  let otherNetworkId: string;

  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
    viewer = await createTestUser(s.env, ['viewer']);
    mcp = await connectMcp(s.url, admin.key);
    // Tiny loopback networks: a scan of them ends in moments and touches nothing outside the machine.
    networkId = (await s.api.post('/api/networks', { name: 'sched-net', subnet: '127.77.0.0/30' }, { token: admin.key })).body.id;
    otherNetworkId = (await s.api.post('/api/networks', { name: 'rule-net', subnet: '127.78.0.0/30' }, { token: admin.key })).body.id;
    assert.ok(networkId && otherNetworkId);
  });
  after(async () => {
    await mcp?.close();
    await s?.stop();
  });

  it('validates the cron expression (400 naming cron_expression), including the 5-minute floor', async () => {
    const base = { name: 'nightly', network_id: networkId, profile_id: 'default-quick' };
    for (const [cron, message] of [
      ['*/2 * * * *', /every 2 minute\(s\); the minimum interval is 5 minutes/],
      ['* * * * *', /minimum interval is 5 minutes/],
      ['0 0 * * * *', /expects 5 fields/],
      ['@daily', /expects 5 fields/],
      ['0 25 * * *', /hour 25 is outside/],
      ['0 0 31 2 *', /never fires/],
    ] as const) {
      const r = await s.api.post('/api/scheduled-scans', { ...base, cron_expression: cron }, { token: admin.key });
      assert.equal(r.status, 400, `${cron}: ${r.text}`);
      assert.equal(r.body.code, 'VALIDATION_ERROR');
      assert.equal(r.body.details[0].field, 'cron_expression');
      assert.match(r.body.error, message);
    }
    const missing = await s.api.post('/api/scheduled-scans', { name: 'x', network_id: networkId, profile_id: 'default-quick' }, { token: admin.key });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.details[0].field, 'cron_expression');
    const noNet = await s.api.post('/api/scheduled-scans', { ...base, network_id: '0190a0a0-0000-7000-8000-00000000dead', cron_expression: '0 3 * * *' }, { token: admin.key });
    assert.equal(noNet.status, 404);
    assert.equal(noNet.body.details[0].field, 'network_id');
    const noProfile = await s.api.post('/api/scheduled-scans', { ...base, profile_id: 'nope', cron_expression: '0 3 * * *' }, { token: admin.key });
    assert.equal(noProfile.status, 404);
    assert.equal(noProfile.body.details[0].field, 'profile_id');
  });

  it('creates a schedule with next_run_at computed, updates it partially and disables it', async () => {
    const before = new Date();
    const r = await s.api.post('/api/scheduled-scans', { name: 'nightly', network_id: networkId, profile_id: 'default-quick', cron_expression: ' 0  3 * * * ' }, { token: admin.key });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.cron_expression, '0 3 * * *');
    assert.equal(r.body.enabled, true);
    assert.equal(r.body.next_run_at, next3am(before));
    assert.equal(r.body.last_run_at, null);
    const id = r.body.id;
    const desc = await s.api.put(`/api/scheduled-scans/${id}`, { description: 'keeps the schedule' }, { token: admin.key });
    assert.equal(desc.status, 200, desc.text);
    assert.equal(desc.body.next_run_at, r.body.next_run_at);
    assert.equal(desc.body.cron_expression, '0 3 * * *');
    const every15 = await s.api.put(`/api/scheduled-scans/${id}`, { cron_expression: '*/15 * * * *' }, { token: admin.key });
    const n = new Date(every15.body.next_run_at);
    assert.equal(n.getUTCMinutes() % 15, 0);
    assert.ok(n.getTime() > Date.now() && n.getTime() <= Date.now() + 15 * 60_000);
    const off = await s.api.put(`/api/scheduled-scans/${id}`, { enabled: false }, { token: admin.key });
    assert.equal(off.body.enabled, false);
    assert.equal(off.body.next_run_at, null);
    const list = await s.api.get(`/api/scheduled-scans?network_id=${networkId}&enabled=false`, { token: viewer.key });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.map((x: { id: string }) => x.id), [id]);
    assert.equal((await s.api.put(`/api/scheduled-scans/${id}`, { enabled: true }, { token: viewer.key })).status, 403);
    // A profile a schedule uses cannot be deleted.
    const profile = await s.api.post('/api/scan-profiles', { name: 'sched-profile', scan_type: 'quick' }, { token: admin.key });
    await s.api.put(`/api/scheduled-scans/${id}`, { profile_id: profile.body.id }, { token: admin.key });
    const del = await s.api.delete(`/api/scan-profiles/${profile.body.id}`, { token: admin.key });
    assert.equal(del.status, 409, del.text);
    assert.equal(del.body.code, 'IN_USE');
    assert.equal((await s.api.delete(`/api/scheduled-scans/${id}`, { token: admin.key })).status, 204);
    assert.equal((await s.api.get(`/api/scheduled-scans/${id}`, { token: admin.key })).status, 404);
  });

  it('works over MCP', async () => {
    const bad = await callTool(mcp, 'scheduled_scan_save', { name: 'm', network_id: networkId, profile_id: 'default-quick', cron_expression: '*/3 * * * *' });
    assert.equal(bad.ok, false);
    assert.equal(bad.error!.code, 'VALIDATION_ERROR');
    const ok = await callTool(mcp, 'scheduled_scan_save', { name: 'm', network_id: networkId, profile_id: 'default-quick', cron_expression: '0 3 * * *' });
    assert.ok(ok.ok, JSON.stringify(ok.error));
    const got = await callTool(mcp, 'scheduled_scan_get', { id: ok.data.id });
    assert.equal(got.data.next_run_at, ok.data.next_run_at);
    const del = await callTool(mcp, 'scheduled_scan_delete', { id: ok.data.id });
    assert.deepEqual(del.data, { status: 'deleted', id: ok.data.id });
  });

  it('keeps one discovery rule per network (a second create updates it) with next_run_at = now + interval', async () => {
    const t0 = Date.now();
    const r = await s.api.post('/api/discovery/rules', { network_id: otherNetworkId, interval_hours: 6, exclude_ips: ['127.78.0.2', '127.78.0.0/31'] }, { token: admin.key });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.scan_type, 'quick');
    assert.deepEqual(r.body.exclude_ips, ['127.78.0.2', '127.78.0.0/31']);
    const next = Date.parse(r.body.next_run_at);
    assert.ok(next >= t0 + 6 * 3_600_000 && next <= Date.now() + 6 * 3_600_000, r.body.next_run_at);
    const again = await s.api.post('/api/discovery/rules', { network_id: otherNetworkId, scan_type: 'full' }, { token: admin.key });
    assert.equal(again.body.id, r.body.id);
    assert.equal(again.body.scan_type, 'full');
    assert.equal(again.body.interval_hours, 6);
    assert.equal(again.body.next_run_at, r.body.next_run_at);
    const bad = await s.api.put(`/api/discovery/rules/${r.body.id}`, { exclude_ips: ['not-an-ip'] }, { token: admin.key });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.details[0].field, 'exclude_ips[0]');
    // An exclusion of the other IP version would make every run of the rule fail: refused now.
    const v6 = await s.api.put(`/api/discovery/rules/${r.body.id}`, { exclude_ips: ['127.78.0.3', 'fd00::1'] }, { token: admin.key });
    assert.equal(v6.status, 400, v6.text);
    assert.equal(v6.body.details[0].field, 'exclude_ips[1]');
    assert.match(v6.body.details[0].message, /IPv6 but the network .* is IPv4/);
    const list = await callTool(mcp, 'discovery_rule_list', { network_id: otherNetworkId });
    assert.equal(list.data.total, 1);
  });

  it('the runner starts due scheduled scans and rules as the system caller and reschedules them', async () => {
    const sched = await s.api.post('/api/scheduled-scans', { name: 'due', network_id: networkId, profile_id: 'default-quick', cron_expression: '*/30 * * * *' }, { token: admin.key });
    const rule = (await s.api.get(`/api/discovery/rules?network_id=${otherNetworkId}`, { token: admin.key })).body[0];
    const past = new Date(Date.now() - 60_000).toISOString();
    const db = writerOf(s.env).$client;
    db.prepare('UPDATE scheduled_scans SET next_run_at = ? WHERE id = ?').run(past, sched.body.id);
    db.prepare('UPDATE discovery_rules SET next_run_at = ? WHERE id = ?').run(past, rule.id);

    const result = await runDueSchedules(s.env);
    assert.deepEqual(result.failed, []);
    const bySource = Object.fromEntries(result.started.map((x) => [x.source, x]));
    assert.equal(bySource.scheduled_scan?.id, sched.body.id);
    assert.equal(bySource.discovery_rule?.id, rule.id);

    const scan = db.prepare('SELECT * FROM discovery_scans WHERE id = ?').get(bySource.scheduled_scan!.scanId) as Record<string, unknown>;
    assert.equal(scan.network_id, networkId);
    assert.equal(scan.profile_id, 'default-quick');
    assert.equal(scan.started_by, 'system:scheduler');
    const ruleScan = db.prepare('SELECT * FROM discovery_scans WHERE id = ?').get(bySource.discovery_rule!.scanId) as Record<string, unknown>;
    assert.equal(ruleScan.network_id, otherNetworkId);
    assert.equal(ruleScan.scan_type, 'full');
    assert.deepEqual(JSON.parse(ruleScan.exclude as string), ['127.78.0.2', '127.78.0.0/31']);
    for (const id of [scan.id, ruleScan.id]) {
      const entry = db.prepare("SELECT source, username, status FROM audit_logs WHERE resource_id = ? AND action = 'discovery.start'").get(id);
      assert.deepEqual(entry, { source: 'system', username: 'system:scheduler', status: 'success' });
    }

    const after = (await s.api.get(`/api/scheduled-scans/${sched.body.id}`, { token: admin.key })).body;
    assert.equal(after.last_scan_id, scan.id);
    assert.ok(after.last_run_at);
    assert.ok(Date.parse(after.next_run_at) > Date.now());
    assert.equal(new Date(after.next_run_at).getUTCMinutes() % 30, 0);
    const ruleAfter = (await s.api.get(`/api/discovery/rules/${rule.id}`, { token: admin.key })).body;
    assert.ok(ruleAfter.last_run_at);
    assert.ok(Date.parse(ruleAfter.next_run_at) > Date.now() + 5 * 3_600_000);

    // Nothing is due any more: a second pass (or a second process) starts nothing.
    assert.deepEqual(await runDueSchedules(s.env), { started: [], failed: [] });
    // The scans really run to the end.
    const deadline = Date.now() + 20_000;
    for (;;) {
      const states = [scan.id, ruleScan.id].map((id) => (db.prepare('SELECT status FROM discovery_scans WHERE id = ?').get(id) as { status: string }).status);
      if (states.every((st) => st === 'completed')) break;
      assert.ok(!states.some((st) => st === 'failed' || st === 'cancelled'), states.join());
      assert.ok(Date.now() < deadline, `scans still ${states.join()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });

  it('a due run whose scan cannot start is logged, not retried in a loop', async () => {
    const sched = await s.api.post('/api/scheduled-scans', { name: 'doomed', network_id: networkId, profile_id: 'default-quick', cron_expression: '0 * * * *' }, { token: admin.key });
    const db = writerOf(s.env).$client;
    // A profile that names an SNMPv2c credential while v2c is disabled: start-scan refuses it.
    const cred = await s.api.post('/api/credentials', { name: 'v2c-off', type: 'snmp_v2c', snmp_community: 'c0mmunity-x' }, { token: admin.key });
    const profile = await s.api.post('/api/scan-profiles', { name: 'v2c-profile', scan_type: 'quick', enable_snmp: true, snmp_credential_id: cred.body.id }, { token: admin.key });
    await s.api.put(`/api/scheduled-scans/${sched.body.id}`, { profile_id: profile.body.id }, { token: admin.key });
    db.prepare('UPDATE scheduled_scans SET next_run_at = ? WHERE id = ?').run(new Date(Date.now() - 1000).toISOString(), sched.body.id);
    const result = await runDueSchedules(s.env);
    assert.equal(result.started.length, 0);
    assert.equal(result.failed.length, 1);
    assert.match(result.failed[0]!.error, /v2c/i);
    const row = (await s.api.get(`/api/scheduled-scans/${sched.body.id}`, { token: admin.key })).body;
    assert.ok(Date.parse(row.next_run_at) > Date.now());
    assert.equal(row.last_scan_id, null);
    const failure = db.prepare("SELECT source, status FROM audit_logs WHERE action = 'discovery.start' AND status = 'failure' ORDER BY timestamp DESC").get();
    assert.deepEqual(failure, { source: 'system', status: 'failure' });
  });
});
