// Both storage engines for tests that run the same contract on each: a fresh SQLite file, and a
// fresh PostgreSQL database (skipped with a message where PostgreSQL does not answer, failed under
// CI=true). Everything opened is closed and removed when the test file ends.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, type TestContext } from 'node:test';
import { postgresEngine, sqliteEngine, type Engine } from '../../src/db/engine.ts';
import { freshDatabase, requirePostgres } from './postgres.ts';
import { tempDir } from './server.ts';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Opens a fresh engine of the named kind, or undefined when that engine is not available here. */
export const ENGINES: Record<'sqlite' | 'postgres', (t: TestContext) => Promise<Engine | undefined>> = {
  sqlite: async () => {
    const dir = tempDir();
    const engine = sqliteEngine(join(dir, 'rackd.db'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => engine.close());
    return engine;
  },
  postgres: async (t) => {
    if (!(await requirePostgres(t))) return undefined;
    const fresh = await freshDatabase();
    const engine = await postgresEngine(fresh.url, { max: 4 });
    cleanups.push(() => fresh.drop(), () => engine.close());
    return engine;
  },
};
