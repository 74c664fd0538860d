// PostgreSQL for tests: the shared server on 127.0.0.1:5432 (trust auth; skip when absent, fail
// under CI=true), and a fresh database per test so parallel files never share tables.
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import postgres from 'postgres';

export const PG_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const WHERE = new URL(PG_ADMIN_URL).host;

let probe: Promise<boolean> | undefined;

/** True when PostgreSQL answers at PG_ADMIN_URL (asked once per process). */
export function postgresAvailable(): Promise<boolean> {
  probe ??= (async () => {
    const sql = postgres(PG_ADMIN_URL, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
      return true;
    } catch {
      return false;
    } finally {
      await sql.end({ timeout: 1 });
    }
  })();
  return probe;
}

/**
 * Call first in a test that needs PostgreSQL: true when it can run. Without it the test is
 * skipped with a message, except under CI=true, where it fails.
 */
export async function requirePostgres(t: TestContext): Promise<boolean> {
  if (await postgresAvailable()) return true;
  if (process.env.CI === 'true') throw new Error(`PostgreSQL is not answering at ${WHERE}, and CI=true requires it (.ci/run starts it)`);
  t.skip(`PostgreSQL is not answering at ${WHERE}; start it (trust auth, database test) to run this test`);
  return false;
}

export interface FreshDatabase {
  /** DATABASE_URL of the new, empty database. */
  url: string;
  drop(): Promise<void>;
}

/** An empty database of its own, dropped by `drop()`. */
export async function freshDatabase(): Promise<FreshDatabase> {
  const name = `rackd_t_${randomBytes(6).toString('hex')}`;
  const admin = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(PG_ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}
