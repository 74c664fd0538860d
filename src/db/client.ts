// Opens the SQLite database (WAL, foreign keys, busy timeout), applies migrations, and owns
// the file permissions of DATA_DIR (0700) and the database files (0600).
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as schema from './schema/index.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or a transaction on it: what synchronous helpers take. */
export type DbOrTx = Db | Tx;

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));
export const DB_FILE = 'rackd.db';

export function ensureDataDir(dataDir: string): void {
  if (!existsSync(dataDir)) mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
}

export interface OpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  readonly?: boolean;
}

export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  const sqlite = new Database(file, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  if (!opts.readonly) {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
  }
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite, { schema }) as Db;
  if (opts.migrate ?? !opts.readonly) migrate(db, { migrationsFolder: MIGRATIONS_DIR });
  if (file !== ':memory:' && !opts.readonly) {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  }
  return db;
}

export function openDataDir(dataDir: string, opts: OpenOptions = {}): Db {
  ensureDataDir(dataDir);
  return openDatabase(join(dataDir, DB_FILE), opts);
}

interface JournalEntry {
  idx: number;
  tag: string;
  when: number;
}

export interface MigrationStatus {
  name: string;
  applied: boolean;
}

/** Lists every migration shipped with this build and whether the database has it. */
export function migrationStatus(db: Db): MigrationStatus[] {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_DIR, 'meta', '_journal.json'), 'utf8')) as {
    entries: JournalEntry[];
  };
  const table = db.$client
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'")
    .get();
  const applied = new Set<number>();
  if (table) {
    const rows = db.$client.prepare('SELECT created_at FROM __drizzle_migrations').all() as { created_at: number }[];
    for (const row of rows) applied.add(Number(row.created_at));
  }
  return journal.entries.map((e) => ({ name: e.tag, applied: applied.has(e.when) }));
}

export function runMigrations(db: Db): void {
  migrate(db, { migrationsFolder: MIGRATIONS_DIR });
}

/** Online-consistent backup through SQLite's backup API (not a file copy). */
export async function backupDatabase(db: Db, destination: string): Promise<void> {
  await db.$client.backup(destination);
  chmodSync(destination, 0o600);
}

export { schema };
