// Every process on one database must hold the master key its secrets were sealed with: the
// database keeps the key's fingerprint, and a server started with another key refuses to start
// (it would seal secrets the others cannot open), while the right key, and a key rotated with
// `rackd credentials rotate-key`, start. A database from before the fingerprint takes the key
// that opens its sealed secrets, and only that one.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { runRackd } from '../helpers/cli.ts';
import { createTestUser, startTestServer, tempDir } from '../helpers/server.ts';

const key = () => randomBytes(32).toString('hex');

describe('one master key per database', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const dir = () => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };

  async function withWebhook(dataDir: string, encryptionKey: string): Promise<void> {
    const s = await startTestServer({ ENCRYPTION_KEY: encryptionKey }, { dataDir });
    try {
      const { key: apiKey } = await createTestUser(s.env, ['admin']);
      const res = await s.api.post('/api/webhooks', { name: 'h', url: 'https://hooks.example.com/x', events: ['device.created'] }, { token: apiKey });
      assert.equal(res.status, 201, res.text);
    } finally {
      await s.stop();
    }
  }

  it('a server with another key refuses to start; the right key starts', async () => {
    const dataDir = dir();
    const a = key();
    await withWebhook(dataDir, a);
    await assert.rejects(startTestServer({ ENCRYPTION_KEY: key() }, { dataDir }), /sealed with another master key/);
    // Even with nothing sealed yet the fingerprint decides.
    const empty = dir();
    await (await startTestServer({ ENCRYPTION_KEY: a }, { dataDir: empty })).stop();
    await assert.rejects(startTestServer({ ENCRYPTION_KEY: key() }, { dataDir: empty }), /sealed with another master key/);
    const again = await startTestServer({ ENCRYPTION_KEY: a }, { dataDir });
    await again.stop();
  });

  it('the refusal is one line on the command line, exit 1', async () => {
    const dataDir = dir();
    await withWebhook(dataDir, key());
    const res = await runRackd(['user', 'reset-password', '--username', 'admin'], { dataDir, env: { ENCRYPTION_KEY: key() }, input: 'a-new-password-123\n' });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^rackd: this database was sealed with another master key/);
  });

  it('a database from before the fingerprint takes only the key that opens its secrets', async () => {
    const dataDir = dir();
    const a = key();
    await withWebhook(dataDir, a);
    const db = new Database(join(dataDir, 'rackd.db'));
    db.prepare("DELETE FROM app_state WHERE key = 'keys.fingerprint'").run();
    db.close();
    await assert.rejects(startTestServer({ ENCRYPTION_KEY: key() }, { dataDir }), /sealed with another master key/);
    await (await startTestServer({ ENCRYPTION_KEY: a }, { dataDir })).stop();
    await assert.rejects(startTestServer({ ENCRYPTION_KEY: key() }, { dataDir }), /sealed with another master key/);
  });

  it('rotate-key moves the fingerprint with the secrets', async () => {
    // The key from DATA_DIR/master.key this time (no ENCRYPTION_KEY): rotate replaces the file.
    const fileDir = dir();
    await withWebhook(fileDir, '');
    const next = key();
    const res = await runRackd(['credentials', 'rotate-key', '--new-key', next], { dataDir: fileDir });
    assert.equal(res.code, 0, res.stderr);
    await (await startTestServer({}, { dataDir: fileDir })).stop();
    await assert.rejects(startTestServer({ ENCRYPTION_KEY: key() }, { dataDir: fileDir }), /sealed with another master key/);
  });
});
