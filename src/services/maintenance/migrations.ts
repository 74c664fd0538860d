// `rackd migrate`: which shipped migrations a data directory's database has, and applying the
// rest. Opens the database WITHOUT migrating (opening normally would apply them silently).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE, migrationStatus, openDataDir, openDatabase, runMigrations, type MigrationStatus } from '../../db/client.ts';

export type { MigrationStatus };

export interface MigrationReport {
  /** False when DATA_DIR has no database yet (every migration is then pending). */
  exists: boolean;
  migrations: MigrationStatus[];
}

export function migrationReport(dataDir: string): MigrationReport {
  const file = join(dataDir, DB_FILE);
  if (!existsSync(file)) {
    // Read the shipped list from a throwaway in-memory database rather than create the file.
    const mem = openDatabase(':memory:', { migrate: false });
    try {
      return { exists: false, migrations: migrationStatus(mem) };
    } finally {
      mem.$client.close();
    }
  }
  const db = openDatabase(file, { migrate: false });
  try {
    return { exists: true, migrations: migrationStatus(db) };
  } finally {
    db.$client.close();
  }
}

/** Applies pending migrations (creating the database if needed); returns the names applied. */
export function applyPendingMigrations(dataDir: string): string[] {
  const db = openDataDir(dataDir, { migrate: false });
  try {
    const pending = migrationStatus(db).filter((m) => !m.applied).map((m) => m.name);
    if (pending.length > 0) runMigrations(db);
    const after = new Set(migrationStatus(db).filter((m) => m.applied).map((m) => m.name));
    return pending.filter((name) => after.has(name));
  } finally {
    db.$client.close();
  }
}

/** Whether DATA_DIR already holds a database (offline commands that edit one refuse to create it). */
export const databaseExists = (dataDir: string): boolean => existsSync(join(dataDir, DB_FILE));
