// A scan whose profile names credentials uses them: an in-process SSH server (ssh2, password
// login) on a loopback address answers the probe like a Linux host, and the discovered host gets
// its name and OS from it. An SNMP v2c credential is refused while DISCOVERY_SNMPV2C_ENABLED=false.
// No secret appears in what the API returns or in the audit log.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import ssh2 from 'ssh2';
import { auditLogs } from '../../src/db/schema/index.ts';
import { createTestUser, startTestServer, type TestServer, type TestUser } from '../helpers/server.ts';

const PASSWORD = 'correct horse battery staple';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('scans with credentials', () => {
  let s: TestServer;
  let admin: TestUser;
  let server: InstanceType<typeof ssh2.Server>;
  let port = 0;

  before(async () => {
    s = await startTestServer();
    admin = await createTestUser(s.env, ['admin']);
    const hostKey = ssh2.utils.generateKeyPairSync('ed25519').private;
    server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
      client.on('authentication', (ctx) => (ctx.method === 'password' && ctx.username === 'probe' && ctx.password === PASSWORD ? ctx.accept() : ctx.reject(['password'])));
      client.on('ready', () => {
        client.on('session', (accept) => {
          accept().once('exec', (acceptExec) => {
            const stream = acceptExec();
            stream.write('edge-router-1\n__rackd_probe__\nPRETTY_NAME="Alpine Linux v3.20"\nID=alpine\nVERSION_ID=3.20.3\n__rackd_probe__\n6.6.31-0-lts\n');
            stream.exit(0);
            stream.end();
          });
        });
      });
      client.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.88.0.5', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await s.stop();
  });

  /** Creates an SSH credential and a profile using it, scans `subnet` with it; returns the profile, the scan and the hosts found. */
  async function sshProfileScan(name: string, profileFields: Record<string, unknown>, subnet: string) {
    const cred = await s.api.post('/api/credentials', { name, type: 'ssh_password', ssh_username: 'probe', ssh_password: PASSWORD }, { token: admin.key });
    assert.equal(cred.status, 201, cred.text);
    const profile = await s.api.post(
      '/api/scan-profiles',
      { name, scan_type: 'custom', enable_ssh: true, ssh_credential_id: cred.body.id, timeout_sec: 5, ...profileFields },
      { token: admin.key },
    );
    assert.equal(profile.status, 201, profile.text);
    const net = await s.api.post('/api/networks', { name, subnet }, { token: admin.key });
    const started = await s.api.post(`/api/discovery/networks/${net.body.id}/scan`, { profile_id: profile.body.id, reverse_dns: false }, { token: admin.key });
    assert.equal(started.status, 202, started.text);
    let scan = started.body;
    for (let i = 0; i < 200 && ['pending', 'running'].includes(scan.status); i++) {
      await sleep(50);
      scan = (await s.api.get(`/api/discovery/scans/${scan.id}`, { token: admin.key })).body;
    }
    assert.equal(scan.status, 'completed');
    const list = (await s.api.get(`/api/discovery/devices?network_id=${net.body.id}`, { token: admin.key })).body as any[];
    return { profile: profile.body, scan, list };
  }

  it('logs in over SSH to the hosts of a profile scan and records name and OS', async () => {
    const { list } = await sshProfileScan('with-ssh', { ports: [port] }, '127.88.0.0/29');
    const five = list.find((d: any) => d.ip === '127.88.0.5');
    assert.equal(five.hostname, 'edge-router-1');
    assert.equal(five.facts.hostname_source, 'ssh');
    assert.equal(five.os_guess, 'Alpine Linux v3.20');
    assert.equal(five.device_type, 'server');
    assert.equal(five.facts.ssh.os_id, 'alpine');
    assert.equal(five.services[0].service, 'ssh', 'found by its banner on an odd port');
    for (const d of list) if (d.ip !== '127.88.0.5') assert.equal(d.facts.ssh, undefined, d.ip);
    const everything = JSON.stringify(list) + JSON.stringify(s.env.db.select().from(auditLogs).all());
    assert.ok(!everything.includes(PASSWORD), 'the password is nowhere');
  });

  it('logs in on the profile\'s ssh_port, probing it even when the profile\'s ports leave it out', async () => {
    const { profile, scan, list } = await sshProfileScan('ssh-port', { ports: [9], ssh_port: port }, '127.88.0.4/30');
    assert.equal(profile.ssh_port, port);
    assert.equal(profile.snmp_port, 161);
    assert.deepEqual(scan.ports, [9, port].sort((a, b) => a - b), 'the scan shows the SSH port it added');
    const five = list.find((d: any) => d.ip === '127.88.0.5');
    assert.deepEqual(five.open_ports, [port]);
    assert.equal(five.hostname, 'edge-router-1');
    assert.equal(five.facts.ssh.os_id, 'alpine');
  });

  it('refuses a profile with an SNMP v2c credential while v2c is disabled', async () => {
    const cred = await s.api.post('/api/credentials', { name: 'v2c', type: 'snmp_v2c', snmp_community: 'public-test' }, { token: admin.key });
    assert.equal(cred.status, 201, cred.text);
    const profile = await s.api.post('/api/scan-profiles', { name: 'with-v2c', scan_type: 'quick', enable_snmp: true, snmp_credential_id: cred.body.id }, { token: admin.key });
    assert.equal(profile.status, 201, profile.text);
    const net = await s.api.post('/api/networks', { name: 'v2c-net', subnet: '127.88.1.0/29' }, { token: admin.key });
    const res = await s.api.post(`/api/discovery/networks/${net.body.id}/scan`, { profile_id: profile.body.id }, { token: admin.key });
    assert.equal(res.status, 400, res.text);
    assert.equal(res.body.code, 'VALIDATION_ERROR');
    assert.equal(res.body.details[0].field, 'profile_id');
    assert.match(res.body.error, /DISCOVERY_SNMPV2C_ENABLED/);
  });
});
