// Opens a PostgreSQL database (DATABASE_URL=postgres://…) with postgres.js and applies the
// PostgreSQL migrations (src/db/migrations-pg, generated from src/db/schema-pg, which
// tests/db/schema-parity.test.ts keeps in step with the SQLite schema). Replicas starting at the
// same time migrate one after the other: the migrations run under a session advisory lock.
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import * as pgSchema from './schema-pg/index.ts';

export const PG_MIGRATIONS_DIR = fileURLToPath(new URL('./migrations-pg', import.meta.url));
/** The advisory lock key migrations run under (any constant shared by every replica). */
const MIGRATION_LOCK = 0x7261636b; // "rack"

export type PgDb = PostgresJsDatabase<typeof pgSchema> & { $client: postgres.Sql };

export interface PgOpenOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** Connections in the pool (default 10). */
  max?: number;
}

/** Applies the pending PostgreSQL migrations, one replica at a time. */
export async function migratePostgres(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await migrate(drizzle(sql), { migrationsFolder: PG_MIGRATIONS_DIR });
    } finally {
      await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    await sql.end();
  }
}

export async function openPostgres(url: string, opts: PgOpenOptions = {}): Promise<PgDb> {
  if (opts.migrate ?? true) await migratePostgres(url);
  const client = postgres(url, { max: opts.max ?? 10, onnotice: () => {} });
  return drizzle(client, { schema: pgSchema }) as PgDb;
}
