import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { defaultBackupName } from '../../src/cli/backup.ts';
import { runRackd } from '../helpers/cli.ts';
import { createTestUser, startTestServer, tempDir, type TestServer, type TestUser } from '../helpers/server.ts';

// Not readonly: a read-only connection to a WAL database leaves -wal/-shm files behind.
const users = (file: string): string[] => {
  const db = new Database(file, { fileMustExist: true });
  try {
    return (db.prepare('SELECT username FROM users ORDER BY username').all() as { username: string }[]).map((r) => r.username);
  } finally {
    db.close();
  }
};

describe('rackd backup and restore', () => {
  let s: TestServer;
  let u: TestUser;
  const work = tempDir('rackd-cli-backup-');
  const dataDir = join(work, 'live');
  const backupFile = join(work, 'backup.db');

  before(async () => {
    s = await startTestServer({}, { dataDir });
    u = await createTestUser(s.env, ['operator'], 'before-backup');
  });
  after(async () => {
    await s.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('backs up a running server that is writing, to a 0600 file that passes integrity_check', async () => {
    const cookie = await s.api.login('admin', 'admin-password-123');
    let writing = true;
    let written = 0;
    const writer = (async () => {
      while (writing) {
        const res = await s.api.post('/api/keys', { name: `load-${written}` }, { cookie });
        assert.equal(res.status, 201);
        written++;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const startedAt = written;
    const res = await runRackd(['backup', '--output', backupFile], { dataDir });
    writing = false;
    await writer;
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^backup written to .*backup\.db \(\d+ bytes\)\n$/);
    assert.match(res.stderr, /does not include .*master\.key/);
    assert.ok(written > startedAt, 'the server kept writing during the backup');

    assert.equal(statSync(backupFile).mode & 0o777, 0o600);
    const db = new Database(backupFile, { fileMustExist: true });
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const keys = (db.prepare("SELECT count(*) AS n FROM api_keys WHERE name LIKE 'load-%'").get() as { n: number }).n;
      assert.ok(keys >= startedAt && keys <= written, `${keys} keys, ${startedAt}..${written} expected`);
    } finally {
      db.close();
    }
    assert.deepEqual(users(backupFile), ['admin', 'before-backup']);
  });

  it('never overwrites an existing output file', async () => {
    const before = readFileSync(backupFile);
    const res = await runRackd(['backup', '--output', backupFile], { dataDir });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /already exists; choose another --output/);
    assert.ok(readFileSync(backupFile).equals(before));
  });

  it('restores into a fresh DATA_DIR, where a server then serves the backed-up data', async () => {
    const fresh = join(work, 'fresh');
    const res = await runRackd(['restore', '--input', backupFile], { dataDir: fresh });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^restored .*backup\.db \(2 user\(s\)\) into /);
    assert.deepEqual(readdirSync(fresh).sort(), ['rackd.db']);
    assert.equal(statSync(join(fresh, 'rackd.db')).mode & 0o777, 0o600);
    assert.equal(statSync(fresh).mode & 0o777, 0o700);

    // Without the old key the server refuses to start (it would seal secrets with a new one);
    // with DATA_DIR/master.key put back, as the restore's note says, it serves the data.
    await assert.rejects(startTestServer({ INITIAL_ADMIN_USERNAME: '' }, { dataDir: fresh }), /sealed with another master key/);
    assert.ok(!existsSync(join(fresh, 'master.key')), 'the key generated for the refused start is not left behind');
    copyFileSync(join(dataDir, 'master.key'), join(fresh, 'master.key'));
    const restored = await startTestServer({ INITIAL_ADMIN_USERNAME: '' }, { dataDir: fresh });
    try {
      const cookie = await restored.api.login(u.username, u.password);
      const me = await restored.api.get('/api/auth/me', { cookie });
      assert.equal(me.status, 200);
      assert.equal(me.body.id, u.id);
      assert.deepEqual(me.body.roles.map((r: { name: string }) => r.name), ['operator']);
      assert.equal((await restored.api.get('/api/auth/me', { token: u.key })).status, 200);
    } finally {
      await restored.stop();
    }
  });

  it('refuses while the pid file names a live process, and proceeds once that process is gone', async () => {
    const target = join(work, 'guarded');
    const seeded = await runRackd(['restore', '--input', backupFile], { dataDir: target });
    assert.equal(seeded.code, 0, seeded.stderr);
    const other = join(work, 'other.db');
    const empty = new Database(other);
    empty.exec('CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT)');
    empty.close();

    writeFileSync(join(target, 'rackd.pid'), `${process.pid}\n`);
    const refused = await runRackd(['restore', '--input', other, '--force'], { dataDir: target });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, new RegExp(`^rackd: a rackd server \\(pid ${process.pid}\\) is running on .*; stop it before restoring\\n$`));
    assert.deepEqual(users(join(target, 'rackd.db')), ['admin', 'before-backup']);

    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(join(target, 'rackd.pid'), `${dead}\n`);
    const done = await runRackd(['restore', '--input', other, '--force'], { dataDir: target });
    assert.equal(done.code, 0, done.stderr);
    assert.deepEqual(users(join(target, 'rackd.db')), []);
  });

  it('without --force refuses to replace a database that has users when stdin is not a terminal', async () => {
    const target = join(work, 'confirm');
    const seeded = await runRackd(['restore', '--input', backupFile], { dataDir: target });
    assert.equal(seeded.code, 0, seeded.stderr);
    const other = join(work, 'other2.db');
    new Database(other).exec('CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT)');
    const refused = await runRackd(['restore', '--input', other], { dataDir: target, input: 'yes\n' });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /refusing to overwrite .*: it holds 2 user\(s\) \(pass --force\)/);
    assert.deepEqual(users(join(target, 'rackd.db')), ['admin', 'before-backup']);
    assert.deepEqual(readdirSync(target).sort(), ['rackd.db'], 'no temporary file is left behind');

    const forced = await runRackd(['restore', '--input', other, '--force'], { dataDir: target });
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(users(join(target, 'rackd.db')), []);
    assert.deepEqual(readdirSync(target).sort(), ['rackd.db']);
  });

  it('rejects files that are not an intact rackd database, leaving the current one in place', async () => {
    const target = join(work, 'reject');
    const seeded = await runRackd(['restore', '--input', backupFile], { dataDir: target });
    assert.equal(seeded.code, 0, seeded.stderr);

    const text = join(work, 'notes.txt');
    writeFileSync(text, 'this is not a database\n'.repeat(100));
    const foreign = join(work, 'foreign.db');
    new Database(foreign).exec('CREATE TABLE things (id INTEGER PRIMARY KEY)');
    // Opens fine, but its index no longer matches the table: only integrity_check notices.
    const inconsistent = join(work, 'inconsistent.db');
    const bad = new Database(inconsistent);
    bad.exec("CREATE TABLE users (id TEXT, username TEXT); CREATE INDEX ix ON users (username); INSERT INTO users VALUES ('b', 'zed'), ('a', 'amy')");
    bad.unsafeMode(true);
    bad.pragma('writable_schema = ON');
    bad.prepare("UPDATE sqlite_master SET sql = 'CREATE INDEX ix ON users (id)' WHERE name = 'ix'").run();
    bad.close();
    // Bytes overwritten all over a real backup, past its first pages.
    const damaged = join(work, 'damaged.db');
    const bytes = readFileSync(backupFile);
    for (let i = 4096 * 3; i < bytes.length - 4096; i += 97) bytes[i] = 0xa5;
    writeFileSync(damaged, bytes);

    const cases: [string, RegExp][] = [
      [text, /notes\.txt cannot be opened as a SQLite database \(file is not a database\)/],
      [foreign, /foreign\.db is a SQLite database but not a rackd one \(it has no users table\)/],
      [inconsistent, /inconsistent\.db failed PRAGMA integrity_check: row 1 missing from index ix/],
      [damaged, /damaged\.db (failed PRAGMA integrity_check|cannot be opened as a SQLite database)/],
      [join(work, 'missing.db'), /missing\.db is not a file/],
    ];
    for (const [input, message] of cases) {
      const res = await runRackd(['restore', '--input', input, '--force'], { dataDir: target });
      assert.equal(res.code, 1, `${input}: ${res.stderr}`);
      assert.match(res.stderr, message);
      assert.equal(res.stderr.trim().split('\n').length, 1);
    }
    assert.deepEqual(users(join(target, 'rackd.db')), ['admin', 'before-backup']);
    assert.deepEqual(readdirSync(target).sort(), ['rackd.db']);
  });

  it('answers usage errors with exit 2', async () => {
    const [noInput, badFlag, backupPositional] = await Promise.all([
      runRackd(['restore'], { dataDir }),
      runRackd(['restore', '--input', backupFile, '--yes'], { dataDir }),
      runRackd(['backup', 'now'], { dataDir }),
    ]);
    assert.equal(noInput.code, 2);
    assert.match(noInput.stderr, /--input is required/);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /Unknown option '--yes'/);
    assert.equal(backupPositional.code, 2);
    assert.ok(!existsSync(join(dataDir, 'now')));
  });

  it('names default backups rackd-backup-YYYYMMDD-HHMMSS.db', () => {
    assert.equal(defaultBackupName(new Date(2024, 0, 2, 3, 4, 5)), 'rackd-backup-20240102-030405.db');
  });
});
