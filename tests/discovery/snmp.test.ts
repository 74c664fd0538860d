// SNMP probes against a real net-snmp agent (Debian's snmpd) that this test starts on a free
// loopback UDP port with its own config and persistent directory: a v2c community and a v3
// authPriv user (SHA/AES). Skipped with a message when snmpd is not installed, except under
// CI=true where .ci/run installs it and the test must run.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { snmpProbe } from '../../src/discovery/snmp.ts';
import type { ProbeCredentials } from '../../src/discovery/types.ts';
import { loadProfileCredentials } from '../../src/services/credentials/probe-credentials.ts';
import { AppError } from '../../src/platform/errors.ts';
import { startTestServer, tempDir, type TestServer } from '../helpers/server.ts';

const SNMPD = '/usr/sbin/snmpd';
const missing = !existsSync(SNMPD);
if (missing && process.env.CI === 'true') throw new Error(`${SNMPD} is missing under CI=true: .ci/run must install snmpd`);
const skip = missing ? `${SNMPD} not installed (apt-get install -y snmpd); SNMP tests skipped` : false;

const V2C = { version: 'v2c', community: 'testcomm-7f3a' } as const;
const V3 = { version: 'v3', user: 'testv3', authKey: 'authpass123456', privKey: 'privpass123456', authProtocol: 'sha', privProtocol: 'aes' } as const;
const SYS = { name: 'rackd-test-agent', location: 'Test Lab Rack 7', contact: 'ops@example.test' };

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('SNMP probe against a real snmpd', { skip }, () => {
  let dir: string;
  let port: number;
  let agent: ChildProcess;
  let agentLog = '';

  before(async () => {
    dir = tempDir('rackd-snmpd-');
    port = await freeUdpPort();
    mkdirSync(join(dir, 'persist'));
    // createUser in the agent's own config is read at start-up and turned into a localized
    // usmUser in SNMP_PERSISTENT_DIR (Debian's snmpd honours it there as in /var/lib/snmp).
    writeFileSync(
      join(dir, 'snmpd.conf'),
      [
        `agentAddress udp:127.0.0.1:${port}`,
        `rocommunity ${V2C.community} 127.0.0.1`,
        `createUser ${V3.user} SHA ${V3.authKey} AES ${V3.privKey}`,
        `rouser ${V3.user} priv`,
        `sysName ${SYS.name}`,
        `sysLocation ${SYS.location}`,
        `sysContact ${SYS.contact}`,
        '',
      ].join('\n'),
    );
    agent = spawn(SNMPD, ['-f', '-Lo', '-C', '-c', join(dir, 'snmpd.conf'), '-p', join(dir, 'snmpd.pid')], {
      env: { PATH: process.env.PATH ?? '', SNMP_PERSISTENT_DIR: join(dir, 'persist'), MIBS: '', MIBDIRS: join(dir, 'no-mibs') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    agent.stdout!.on('data', (d) => (agentLog += d));
    agent.stderr!.on('data', (d) => (agentLog += d));
    // Ready when the v3 user answers (the last thing the agent sets up).
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (agent.exitCode !== null) throw new Error(`snmpd exited with ${agent.exitCode}:\n${agentLog}`);
      if (await snmpProbe('127.0.0.1', V3, { port, timeoutMs: 300, v2cEnabled: false })) break;
      if (Date.now() > deadline) throw new Error(`snmpd did not answer on 127.0.0.1:${port}:\n${agentLog}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });

  after(async () => {
    if (agent && agent.exitCode === null) {
      const gone = new Promise((r) => agent.once('exit', r));
      agent.kill('SIGTERM');
      await gone;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const assertFacts = (facts: Awaited<ReturnType<typeof snmpProbe>>) => {
    assert.ok(facts, 'the agent answered');
    assert.equal(facts.sysName, SYS.name);
    assert.equal(facts.sysLocation, SYS.location);
    assert.equal(facts.sysContact, SYS.contact);
    assert.match(facts.sysDescr, /Linux/);
    assert.match(facts.sysObjectID, /^1\.3\.6\.1\.4\.1\.8072\./); // net-snmp's enterprise
    const lo = facts.interfaces.find((i) => i.descr === 'lo');
    assert.ok(lo, `lo in ${JSON.stringify(facts.interfaces.map((i) => i.descr))}`);
    assert.equal(lo.type, 24); // softwareLoopback
    assert.equal(lo.adminStatus, 1);
    assert.ok(lo.index >= 1);
    assert.ok(Array.isArray(facts.arp));
    for (const a of facts.arp) assert.match(a.mac, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  };

  it('reads the system group and the interface table over SNMPv2c when v2c is enabled', async () => {
    assertFacts(await snmpProbe('127.0.0.1', V2C, { port, timeoutMs: 1000, v2cEnabled: true }));
  });

  it('refuses SNMPv2c when DISCOVERY_SNMPV2C_ENABLED is off, without sending anything', async () => {
    await assert.rejects(
      snmpProbe('127.0.0.1', V2C, { port, timeoutMs: 1000, v2cEnabled: false }),
      (err: unknown) => err instanceof AppError && err.code === 'VALIDATION_ERROR' && /SNMPv2c is disabled/.test(err.message),
    );
  });

  it('reads the same facts over SNMPv3 authPriv (SHA + AES)', async () => {
    assertFacts(await snmpProbe('127.0.0.1', V3, { port, timeoutMs: 1000, v2cEnabled: false }));
  });

  it('fails cleanly (undefined, bounded time) with wrong credentials', async () => {
    const cases: [string, NonNullable<ProbeCredentials['snmp']>][] = [
      ['wrong auth key', { ...V3, authKey: 'wrongpass1234' }],
      ['wrong priv key', { ...V3, privKey: 'wrongpriv1234' }],
      ['unknown user', { ...V3, user: 'nobody' }],
      ['wrong auth protocol', { ...V3, authProtocol: 'md5' }],
      ['wrong community', { version: 'v2c', community: 'not-the-community' }],
    ];
    for (const [label, cred] of cases) {
      const t0 = Date.now();
      const facts = await snmpProbe('127.0.0.1', cred, { port, timeoutMs: 400, v2cEnabled: true });
      assert.equal(facts, undefined, label);
      assert.ok(Date.now() - t0 < 5_000, `${label} took ${Date.now() - t0} ms`);
    }
  });

  it('answers undefined for a port where no agent listens', async () => {
    assert.equal(await snmpProbe('127.0.0.1', V3, { port: await freeUdpPort(), timeoutMs: 300, v2cEnabled: false }), undefined);
  });

  describe('through a stored credential and a scan profile', () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer();
    });
    after(async () => s?.stop());

    /** Stores the v3 credential and a profile naming it; returns the profile. */
    async function v3Profile(cookie: string, name: string, fields: Record<string, unknown>) {
      const cred = await s.api.post(
        '/api/credentials',
        { name, type: 'snmp_v3', snmp_v3_user: V3.user, snmp_v3_auth_key: V3.authKey, snmp_v3_priv_key: V3.privKey },
        { cookie },
      );
      assert.equal(cred.status, 201, cred.text);
      assert.equal(cred.text.includes(V3.authKey), false);
      const profile = await s.api.post('/api/scan-profiles', { name, scan_type: 'custom', enable_snmp: true, snmp_credential_id: cred.body.id, ...fields }, { cookie });
      assert.equal(profile.status, 201, profile.text);
      return profile;
    }

    it('decrypts the v3 credential a profile names and queries the agent with it', async () => {
      const cookie = await s.api.login('admin', 'admin-password-123');
      const profile = await v3Profile(cookie, 'lab-snmp', { ports: [161] });
      const { credentials } = await loadProfileCredentials(s.env, profile.body.id);
      assert.deepEqual(credentials.snmp, V3);
      assert.equal(credentials.ssh, undefined);
      assertFacts(await snmpProbe('127.0.0.1', credentials.snmp!, { port, timeoutMs: 1000, v2cEnabled: false }));
      // The agent kept the localized user where the test pointed it, not in /var/lib/snmp.
      assert.match(readFileSync(join(dir, 'persist', 'snmpd.conf'), 'utf8'), /usmUser/);
    });

    it('queries the agent on the profile\'s snmp_port during a real scan', async () => {
      const cookie = await s.api.login('admin', 'admin-password-123');
      const profile = await v3Profile(cookie, 'lab-snmp-port', { ports: [9], snmp_port: port, timeout_sec: 1 });
      assert.equal(profile.body.snmp_port, port);
      assert.equal(profile.body.ssh_port, null);
      // 127.0.0.1 and 127.0.0.2: both up (loopback refuses port 9), only .1 has the agent.
      const net = await s.api.post('/api/networks', { name: 'snmp-scan', subnet: '127.0.0.0/30' }, { cookie });
      assert.equal(net.status, 201, net.text);
      const started = await s.api.post(`/api/discovery/networks/${net.body.id}/scan`, { profile_id: profile.body.id, reverse_dns: false }, { cookie });
      assert.equal(started.status, 202, started.text);
      let scan = started.body;
      const end = Date.now() + 30_000;
      while (['pending', 'running'].includes(scan.status)) {
        assert.ok(Date.now() < end, `scan still ${scan.status}`);
        await new Promise((r) => setTimeout(r, 100));
        scan = (await s.api.get(`/api/discovery/scans/${scan.id}`, { cookie })).body;
      }
      assert.equal(scan.status, 'completed', scan.error_message);
      const hosts = (await s.api.get(`/api/discovery/devices?network_id=${net.body.id}`, { cookie })).body as any[];
      const agentHost = hosts.find((d) => d.ip === '127.0.0.1');
      assert.ok(agentHost, JSON.stringify(hosts.map((d) => d.ip)));
      assert.equal(agentHost.hostname, SYS.name);
      assert.equal(agentHost.facts.hostname_source, 'snmp');
      assert.equal(agentHost.facts.snmp.sysLocation, SYS.location);
      assert.deepEqual(
        agentHost.services.filter((x: any) => x.protocol === 'udp').map((x: any) => [x.port, x.service]),
        [[port, 'snmp']],
      );
      assert.equal(hosts.find((d) => d.ip === '127.0.0.2')?.facts.snmp, undefined);
      // A list page carries the sizes of the interface and ARP tables; the single read has them whole.
      assert.equal(agentHost.facts.snmp.interfaces, undefined);
      assert.equal(agentHost.facts.snmp.arp, undefined);
      assert.ok(agentHost.facts.snmp.interface_count >= 1, JSON.stringify(agentHost.facts.snmp));
      const full = (await s.api.get(`/api/discovery/devices/${agentHost.id}`, { cookie })).body;
      assert.equal(full.facts.snmp.interfaces.length, agentHost.facts.snmp.interface_count);
      assert.equal(full.facts.snmp.arp.length, agentHost.facts.snmp.arp_count);
      assert.ok(full.facts.snmp.interfaces.some((i: { descr: string }) => i.descr === 'lo'));
    });
  });
});
