// SSH probes against a real OpenSSH sshd that this test starts on a free loopback port with a
// temporary host key, config and authorized_keys (key login as root, the user tests run as),
// then restarts with another host key to check that trust-on-first-use refuses it before any
// authentication. Password login is checked against an in-process ssh2 server, so no system
// account gets a password. Skipped with a message when sshd is missing or the test is not root,
// except under CI=true (root, sshd installed by .ci/run) where it must run.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { hostname, release } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ssh2 from 'ssh2';
import { sshProbe } from '../../src/discovery/ssh.ts';
import type { HostKeyStore } from '../../src/discovery/types.ts';
import { loadProfileCredentials } from '../../src/services/credentials/probe-credentials.ts';
import { hostKeyStore as dbHostKeyStore } from '../../src/services/discovery/host-keys.ts';
import { parseOsRelease } from '../../src/discovery/ssh.ts';
import { AppError } from '../../src/platform/errors.ts';
import { startTestServer, tempDir, type TestServer } from '../helpers/server.ts';

const SSHD = '/usr/sbin/sshd';
const isRoot = process.getuid?.() === 0;
const why = !existsSync(SSHD) ? `${SSHD} not installed (apt-get install -y openssh-server)` : !isRoot ? 'not running as root (sshd key login as root)' : '';
if (why && process.env.CI === 'true') throw new Error(`SSH tests cannot run under CI=true: ${why}`);
const skip = why ? `${why}; SSH tests skipped` : false;

async function freeTcpPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

const memoryStore = (): HostKeyStore & { map: Map<string, { keyType: string; fingerprint: string }> } => {
  const map = new Map<string, { keyType: string; fingerprint: string }>();
  return {
    map,
    get: async (k) => map.get(k),
    set: async (k, v) => void (map.has(k) || map.set(k, v)),
  };
};

const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'rackd-test', '-f', file]);
const fingerprintOf = (pub: string) => execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pub], { encoding: 'utf8' }).split(' ')[1]!;
const local = parseOsRelease(readFileSync(existsSync('/etc/os-release') ? '/etc/os-release' : '/usr/lib/os-release', 'utf8'));

describe('SSH probe against a real sshd', { skip }, () => {
  let dir: string;
  let port: number;
  let sshd: ChildProcess | undefined;
  let sshdLog = '';
  let clientKey: string;

  async function startSshd(hostKey: string): Promise<void> {
    writeFileSync(
      join(dir, 'sshd_config'),
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        `PidFile ${join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        'LogLevel VERBOSE',
        '',
      ].join('\n'),
    );
    sshdLog = '';
    const child = spawn(SSHD, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (sshdLog += d));
    child.stderr!.on('data', (d) => (sshdLog += d));
    sshd = child;
    const deadline = Date.now() + 10_000;
    while (!/Server listening on 127\.0\.0\.1 port/.test(sshdLog)) {
      if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}:\n${sshdLog}`);
      if (Date.now() > deadline) throw new Error(`sshd did not start:\n${sshdLog}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function stopSshd(): Promise<void> {
    if (sshd && sshd.exitCode === null) {
      const gone = new Promise((r) => sshd!.once('exit', r));
      sshd.kill('SIGTERM');
      await gone;
    }
    sshd = undefined;
  }

  before(async () => {
    dir = tempDir('rackd-sshd-');
    port = await freeTcpPort();
    mkdirSync('/run/sshd', { recursive: true }); // sshd's privilege-separation directory
    keygen(join(dir, 'host1'));
    keygen(join(dir, 'host2'));
    keygen(join(dir, 'client'));
    keygen(join(dir, 'stranger'));
    writeFileSync(join(dir, 'authorized_keys'), readFileSync(join(dir, 'client.pub')), { mode: 0o600 });
    clientKey = readFileSync(join(dir, 'client'), 'utf8');
    await startSshd(join(dir, 'host1'));
  });

  after(async () => {
    await stopSshd();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with a key, reads host name, os-release and kernel, and pins the host key', async () => {
    const store = memoryStore();
    const facts = await sshProbe('127.0.0.1', { username: 'root', privateKey: clientKey }, { port, timeoutMs: 5000, hostKeys: store });
    assert.deepEqual(facts, {
      hostname: hostname(),
      os_pretty_name: local.PRETTY_NAME ?? '',
      os_id: local.ID ?? '',
      os_version: local.VERSION_ID ?? '',
      kernel: release(),
    });
    assert.deepEqual(store.map.get(`127.0.0.1:${port}`), { keyType: 'ssh-ed25519', fingerprint: fingerprintOf(join(dir, 'host1.pub')) });
    assert.match(sshdLog, /Accepted publickey for root from 127\.0\.0\.1/);
  });

  it('fails cleanly (undefined) with a key the server does not accept, and on a closed port', async () => {
    const stranger = readFileSync(join(dir, 'stranger'), 'utf8');
    assert.equal(await sshProbe('127.0.0.1', { username: 'root', privateKey: stranger }, { port, timeoutMs: 5000, hostKeys: memoryStore() }), undefined);
    assert.equal(await sshProbe('127.0.0.1', { username: 'root', privateKey: clientKey }, { port: await freeTcpPort(), timeoutMs: 2000, hostKeys: memoryStore() }), undefined);
  });

  describe('trust on first use in ssh_host_keys', () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer();
    });
    after(async () => s?.stop());

    it('stores the key on first contact and refuses a changed key before authenticating', async () => {
      const cookie = await s.api.login('admin', 'admin-password-123');
      const cred = await s.api.post('/api/credentials', { name: 'lab-root-key', type: 'ssh_key', ssh_username: 'root', ssh_private_key: clientKey }, { cookie });
      assert.equal(cred.status, 201, cred.text);
      assert.equal(cred.body.has_private_key, true);
      const profile = await s.api.post('/api/scan-profiles', { name: 'lab-ssh', scan_type: 'custom', ports: [port], enable_ssh: true, ssh_credential_id: cred.body.id }, { cookie });
      assert.equal(profile.status, 201, profile.text);
      const { credentials } = await loadProfileCredentials(s.env, profile.body.id);
      assert.deepEqual(credentials.ssh, { username: 'root', privateKey: clientKey });

      const store = dbHostKeyStore(s.env);
      const facts = await sshProbe('127.0.0.1', credentials.ssh!, { port, timeoutMs: 5000, hostKeys: store });
      assert.equal(facts?.hostname, hostname());
      const row = s.env.db.$client.prepare('SELECT host, key_type, fingerprint FROM ssh_host_keys WHERE host = ?').get(`127.0.0.1:${port}`);
      assert.deepEqual(row, { host: `127.0.0.1:${port}`, key_type: 'ssh-ed25519', fingerprint: fingerprintOf(join(dir, 'host1.pub')) });

      // Same key again: accepted, pin unchanged.
      assert.equal((await sshProbe('127.0.0.1', credentials.ssh!, { port, timeoutMs: 5000, hostKeys: store }))?.hostname, hostname());

      // The "host" now presents another key.
      await stopSshd();
      await startSshd(join(dir, 'host2'));
      await assert.rejects(
        sshProbe('127.0.0.1', credentials.ssh!, { port, timeoutMs: 5000, hostKeys: store }),
        (err: unknown) =>
          err instanceof AppError &&
          err.code === 'CONFLICT' &&
          err.message.includes(`SSH host key of 127.0.0.1:${port} changed`) &&
          err.message.includes(fingerprintOf(join(dir, 'host2.pub'))),
      );
      // sshd saw a connection but no authentication attempt at all.
      await new Promise((r) => setTimeout(r, 200));
      assert.match(sshdLog, /Connection from 127\.0\.0\.1|Disconnected from 127\.0\.0\.1|preauth/);
      assert.doesNotMatch(sshdLog, /Accepted|Failed|publickey|Postponed/);
      const after = s.env.db.$client.prepare('SELECT fingerprint FROM ssh_host_keys WHERE host = ?').get(`127.0.0.1:${port}`) as { fingerprint: string };
      assert.equal(after.fingerprint, fingerprintOf(join(dir, 'host1.pub')), 'the pin is not replaced');
    });
  });
});

// Password login: an in-process ssh2 server (the same protocol library, server side) that accepts
// one user/password and answers the probe's command like a Linux host would.
describe('SSH probe with a password', () => {
  let server: InstanceType<typeof ssh2.Server>;
  let port: number;
  const attempts: string[] = [];

  before(async () => {
    const hostKey = ssh2.utils.generateKeyPairSync('ed25519').private;
    server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
      client.on('authentication', (ctx) => {
        attempts.push(ctx.method);
        if (ctx.method === 'password' && ctx.username === 'probe' && ctx.password === 'correct horse battery') return ctx.accept();
        return ctx.reject(['password']);
      });
      client.on('ready', () => {
        client.on('session', (accept) => {
          accept().once('exec', (acceptExec, _reject, info) => {
            const stream = acceptExec();
            assert.match(info.command, /hostname; echo .*; cat \/etc\/os-release/);
            stream.write('edge-router-1\n__rackd_probe__\nPRETTY_NAME="Alpine Linux v3.20"\nID=alpine\nVERSION_ID=3.20.3\n__rackd_probe__\n6.6.31-0-lts\n');
            stream.exit(0);
            stream.end();
          });
        });
      });
      client.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('logs in with the password and parses the answer', async () => {
    const facts = await sshProbe('127.0.0.1', { username: 'probe', password: 'correct horse battery' }, { port, timeoutMs: 5000, hostKeys: memoryStore() });
    assert.deepEqual(facts, { hostname: 'edge-router-1', os_pretty_name: 'Alpine Linux v3.20', os_id: 'alpine', os_version: '3.20.3', kernel: '6.6.31-0-lts' });
  });

  it('answers undefined for a wrong password', async () => {
    attempts.length = 0;
    const facts = await sshProbe('127.0.0.1', { username: 'probe', password: 'wrong' }, { port, timeoutMs: 5000, hostKeys: memoryStore() });
    assert.equal(facts, undefined);
    assert.ok(attempts.includes('password'), `attempts: ${attempts.join(',')}`);
  });

  it('a silent TCP listener does not hang the probe past its ceiling', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const p = (silent.address() as AddressInfo).port;
    const t0 = Date.now();
    assert.equal(await sshProbe('127.0.0.1', { username: 'x', password: 'y' }, { port: p, timeoutMs: 500, hostKeys: memoryStore() }), undefined);
    assert.ok(Date.now() - t0 < 6_000, `took ${Date.now() - t0} ms`);
    silent.close();
  });
});
