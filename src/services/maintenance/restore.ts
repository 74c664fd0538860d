// `rackd restore`: replaces DATA_DIR/rackd.db with a backup, atomically. The backup is copied into
// DATA_DIR first and that copy is what gets checked and renamed into place, so the bytes verified
// are the bytes installed. The caller makes sure no server holds the directory.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, copyFileSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DB_FILE, ensureDataDir, migrationStatus, openDatabase, type Db } from '../../db/client.ts';

export type ExistingDatabase = { kind: 'none' } | { kind: 'ok'; users: number } | { kind: 'unreadable'; reason: string };

export interface PreparedRestore {
  /** Users in the backup. */
  users: number;
  /** What the restore would overwrite. */
  existing: ExistingDatabase;
  /** Puts the checked copy in place of rackd.db. */
  commit(): void;
  /** Removes the copy; the current database stays untouched. */
  discard(): void;
}

const SIDECARS = ['-wal', '-shm', '-journal'];
const removeWithSidecars = (file: string) => {
  for (const f of [file, ...SIDECARS.map((s) => file + s)]) rmSync(f, { force: true });
};
const message = (err: unknown) => (err as Error)?.message ?? String(err);
const hasTable = (db: Db, name: string) =>
  db.$client.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
const userCount = (db: Db) => (db.$client.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;

/** Integrity, rackd schema, and a schema this build knows; returns the number of users. */
function checkBackup(file: string, label: string): number {
  let db: Db;
  try {
    db = openDatabase(file, { migrate: false });
  } catch (err) {
    throw new Error(`${label} cannot be opened as a SQLite database (${message(err)})`);
  }
  try {
    let problems: string[];
    try {
      const rows = db.$client.pragma('integrity_check') as { integrity_check: string }[];
      problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    } catch (err) {
      problems = [message(err)]; // damage bad enough that the check itself cannot run
    }
    if (problems.length > 0) throw new Error(`${label} failed PRAGMA integrity_check: ${problems.slice(0, 3).join('; ')}`);
    if (!hasTable(db, 'users')) throw new Error(`${label} is a SQLite database but not a rackd one (it has no users table)`);
    if (hasTable(db, '__drizzle_migrations')) {
      const recorded = (db.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }).n;
      const known = migrationStatus(db).filter((m) => m.applied).length;
      if (recorded > known) {
        throw new Error(`${label} was written by a newer rackd (${recorded - known} migration(s) this version does not know)`);
      }
    }
    return userCount(db);
  } finally {
    db.$client.close();
  }
}

function inspectExisting(file: string): ExistingDatabase {
  if (!existsSync(file)) return { kind: 'none' };
  try {
    const db = openDatabase(file, { migrate: false });
    try {
      return { kind: 'ok', users: hasTable(db, 'users') ? userCount(db) : 0 };
    } finally {
      db.$client.close();
    }
  } catch (err) {
    return { kind: 'unreadable', reason: message(err) };
  }
}

export function prepareRestore(dataDir: string, input: string): PreparedRestore {
  if (!existsSync(input) || !statSync(input).isFile()) throw new Error(`${input} is not a file`);
  // A database with a live write-ahead log is not self-contained: copying the main file alone
  // would lose its latest transactions. Backups made by `rackd backup` never have one.
  if (existsSync(`${input}-wal`) && statSync(`${input}-wal`).size > 0) {
    throw new Error(`${input} has a write-ahead log beside it; it is a live database, not a backup (make one with rackd backup)`);
  }
  ensureDataDir(dataDir);
  const target = join(dataDir, DB_FILE);
  if (resolve(input) === resolve(target)) throw new Error(`${input} is the database being replaced`);
  const existing = inspectExisting(target);
  const temp = join(dataDir, `.${DB_FILE}.restore-${randomBytes(6).toString('hex')}.tmp`);
  copyFileSync(input, temp, constants.COPYFILE_EXCL);
  chmodSync(temp, 0o600);
  let users: number;
  try {
    users = checkBackup(temp, input);
  } catch (err) {
    removeWithSidecars(temp);
    throw err;
  }
  let done = false;
  return {
    users,
    existing,
    commit() {
      if (done) return;
      done = true;
      const fd = openSync(temp, 'r+');
      fsyncSync(fd);
      closeSync(fd);
      // The old database's journal or WAL would be replayed into the new file and corrupt it.
      for (const s of SIDECARS) rmSync(target + s, { force: true });
      renameSync(temp, target);
      chmodSync(target, 0o600);
      for (const s of SIDECARS) rmSync(temp + s, { force: true });
      const dir = openSync(dataDir, 'r');
      try {
        fsyncSync(dir);
      } finally {
        closeSync(dir);
      }
    },
    discard() {
      if (done) return;
      done = true;
      removeWithSidecars(temp);
    },
  };
}
