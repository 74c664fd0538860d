// `rackd credentials rotate-key`: re-seals credential and webhook secrets under a new master key
// in one transaction, installs the key (DATA_DIR/master.key) or says ENCRYPTION_KEY must change,
// refuses while a server runs, and leaves everything as it was when it cannot decrypt.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { webhooks } from '../../src/db/schema/index.ts';
import { loadProfileCredentials } from '../../src/services/credentials/probe-credentials.ts';
import { decryptSecret, encryptSecret } from '../../src/platform/crypto.ts';
import { keyMaterialFromSecret } from '../../src/platform/keys.ts';
import { runRackd } from '../helpers/cli.ts';
import { ADMIN, startTestServer, tempDir, type TestServer, writerOf } from '../helpers/server.ts';

const COMMUNITY = 'rotate-community-Qx7';
const PASSWORD = 'rotate-password-Lm3';
const HOOK_SECRET = 'whsec-rotate-Zr9';

/** Starts a server on `dir`, stores two credentials, a profile naming them and a webhook secret. */
async function seed(dir: string, env: Record<string, string> = {}): Promise<{ profileId: string; hookId: string; credIds: string[] }> {
  const s = await startTestServer(env, { dataDir: dir });
  try {
    const cookie = await s.api.login(ADMIN.username, ADMIN.password);
    const v2c = await s.api.post('/api/credentials', { name: 'v2c', type: 'snmp_v2c', snmp_community: COMMUNITY }, { cookie });
    const pw = await s.api.post('/api/credentials', { name: 'pw', type: 'ssh_password', ssh_username: 'ops', ssh_password: PASSWORD }, { cookie });
    assert.equal(v2c.status, 201, v2c.text);
    assert.equal(pw.status, 201, pw.text);
    const profile = await s.api.post(
      '/api/scan-profiles',
      { name: 'both', scan_type: 'quick', enable_snmp: true, enable_ssh: true, snmp_credential_id: v2c.body.id, ssh_credential_id: pw.body.id },
      { cookie },
    );
    assert.equal(profile.status, 201, profile.text);
    const hookId = '0190a0a0-0000-7000-8000-0000000000aa';
    const now = new Date().toISOString();
    writerOf(s.env)
      .insert(webhooks)
      .values({
        id: hookId,
        name: 'hook',
        url: 'https://hooks.example.test/rackd',
        secret: encryptSecret(s.env.keys.derive('webhook-secret-encryption'), HOOK_SECRET, `webhook:${hookId}`),
        events: '["*"]',
        createdAt: now,
        updatedAt: now,
      })
      .run();
    return { profileId: profile.body.id, hookId, credIds: [v2c.body.id, pw.body.id] };
  } finally {
    await s.stop();
  }
}

const rows = (s: TestServer) => s.env.db.$client.prepare('SELECT id, secret FROM credentials ORDER BY id').all() as { id: string; secret: string }[];

/** Restarts on `dir` and checks every secret opens with the key the server now has. */
async function assertReadable(dir: string, seeded: { profileId: string; hookId: string }, env: Record<string, string> = {}): Promise<void> {
  const s = await startTestServer(env, { dataDir: dir });
  try {
    const { credentials } = await loadProfileCredentials(s.env, seeded.profileId);
    assert.deepEqual(credentials, { snmp: { version: 'v2c', community: COMMUNITY }, ssh: { username: 'ops', password: PASSWORD } });
    const hook = s.env.db.$client.prepare('SELECT secret FROM webhooks WHERE id = ?').get(seeded.hookId) as { secret: string };
    assert.equal(decryptSecret(s.env.keys.derive('webhook-secret-encryption'), hook.secret, `webhook:${seeded.hookId}`), HOOK_SECRET);
    // A partial update that keeps the stored secret must unseal it on the server's own path.
    const cookie = await s.api.login(ADMIN.username, ADMIN.password);
    const list = await s.api.get('/api/credentials', { cookie });
    const pw = list.body.find((c: { name: string }) => c.name === 'pw');
    const upd = await s.api.put(`/api/credentials/${pw.id}`, { description: 'after rotation' }, { cookie });
    assert.equal(upd.status, 200, upd.text);
  } finally {
    await s.stop();
  }
}

describe('rackd credentials rotate-key', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('re-encrypts under a new DATA_DIR/master.key and the server reads everything after a restart', async () => {
    const d = dir();
    const seeded = await seed(d);
    const oldKey = readFileSync(join(d, 'master.key'), 'utf8').trim();
    const before = await (async () => {
      const s = await startTestServer({}, { dataDir: d });
      try {
        return rows(s);
      } finally {
        await s.stop();
      }
    })();
    const newKey = randomBytes(32).toString('hex');
    const r = await runRackd(['credentials', 'rotate-key', '--new-key', newKey, '--data-dir', d]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /re-encrypted 2 credential\(s\) and 1 webhook secret\(s\) under the new key/);
    assert.equal(r.stdout.includes(newKey) || r.stderr.includes(newKey), false, 'the key is not echoed');
    assert.equal(readFileSync(join(d, 'master.key'), 'utf8').trim(), newKey);
    assert.equal(statSync(join(d, 'master.key')).mode & 0o777, 0o600);
    assert.equal(existsSync(join(d, 'master.key.new')), false);

    const s = await startTestServer({}, { dataDir: d });
    const afterRows = rows(s);
    // Every sealed value changed, opens with the new key and no longer with the old one.
    const oldKeys = keyMaterialFromSecret(Buffer.from(oldKey, 'hex'), 'file');
    for (const [i, row] of afterRows.entries()) {
      assert.notEqual(row.secret, before[i]!.secret);
      assert.throws(() => decryptSecret(oldKeys.derive('credential-encryption'), row.secret, `credential:${row.id}`));
      assert.doesNotThrow(() => decryptSecret(s.env.keys.derive('credential-encryption'), row.secret, `credential:${row.id}`));
    }
    const audit = s.env.db.$client.prepare("SELECT source, status FROM audit_logs WHERE action = 'credential.rotate_key'").all();
    assert.deepEqual(audit, [{ source: 'cli', status: 'success' }]);
    await s.stop();
    await assertReadable(d, seeded);
  });

  it('with ENCRYPTION_KEY: re-encrypts and says the variable must change; the server then runs on the new key', async () => {
    const d = dir();
    const oldKey = randomBytes(32).toString('hex');
    const seeded = await seed(d, { ENCRYPTION_KEY: oldKey });
    assert.equal(existsSync(join(d, 'master.key')), false);
    const newKey = randomBytes(32).toString('hex');
    const r = await runRackd(['credentials', 'rotate-key', '--new-key', '-', '--data-dir', d], { env: { ENCRYPTION_KEY: oldKey }, input: `${newKey}\n` });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /set ENCRYPTION_KEY to the new key before starting the server/);
    assert.equal(existsSync(join(d, 'master.key')), false, 'no key file is written for an environment key');
    await assertReadable(d, seeded, { ENCRYPTION_KEY: newKey });
  });

  it('changes nothing when a secret does not open with the current key', async () => {
    const d = dir();
    await seed(d);
    const oldKey = readFileSync(join(d, 'master.key'), 'utf8');
    const s = await startTestServer({}, { dataDir: d });
    const before = rows(s);
    // Corrupt one row's seal (as if written under some other key).
    writerOf(s.env).$client.prepare('UPDATE credentials SET secret = ? WHERE id = ?').run(encryptSecret(randomBytes(32), 'x', `credential:${before[1]!.id}`), before[1]!.id);
    const snapshot = rows(s);
    await s.stop();
    const r = await runRackd(['credentials', 'rotate-key', '--new-key', randomBytes(32).toString('hex'), '--data-dir', d]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /cannot be decrypted with the current key; nothing was changed/);
    assert.equal(readFileSync(join(d, 'master.key'), 'utf8'), oldKey);
    assert.equal(existsSync(join(d, 'master.key.new')), false);
    const again = await startTestServer({}, { dataDir: d });
    assert.deepEqual(rows(again), snapshot, 'the first row was not re-sealed either (one transaction)');
    await again.stop();
  });

  it('refuses while a server runs, a malformed key, the same key, and a missing current key', async () => {
    const d = dir();
    await seed(d);
    const current = readFileSync(join(d, 'master.key'), 'utf8').trim();
    writeFileSync(join(d, 'rackd.pid'), `${process.pid}\n`); // this test process is alive
    let r = await runRackd(['credentials', 'rotate-key', '--new-key', randomBytes(32).toString('hex'), '--data-dir', d]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`a rackd server \\(pid ${process.pid}\\) is running`));
    rmSync(join(d, 'rackd.pid'));
    r = await runRackd(['credentials', 'rotate-key', '--new-key', 'abc', '--data-dir', d]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /64 hex characters/);
    r = await runRackd(['credentials', 'rotate-key', '--new-key', current.toUpperCase(), '--data-dir', d]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /already in use/);
    r = await runRackd(['credentials', 'rotate-key', '--data-dir', d]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--new-key is required/);
    r = await runRackd(['credentials', 'rotate-key', '--new-key', randomBytes(32).toString('hex'), '--data-dir', dir()]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no current key/);
    assert.equal(readFileSync(join(d, 'master.key'), 'utf8').trim(), current);
  });
});
