// The PostgreSQL migrations applied to a real, empty PostgreSQL database: every table and column
// of src/db/schema-pg exists with its nullability, the constraints the SQLite schema relies on
// hold (case-insensitive unique names, ON DELETE CASCADE, checks), and two replicas migrating at
// once both succeed with one set of tables. Skipped with a message where PostgreSQL is absent.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { getTableName, is } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { migratePostgres, openPostgres } from '../../src/db/pg-client.ts';
import * as pgSchema from '../../src/db/schema-pg/index.ts';
import { freshDatabase, requirePostgres } from '../helpers/postgres.ts';

const tables = Object.values(pgSchema).filter((v) => is(v, PgTable)) as PgTable[];
/** drizzle wraps the driver's error: the constraint's name is in its cause. */
const violates = (constraint: string) => (err: unknown) => String((err as { cause?: Error }).cause?.message).includes(constraint);

describe('PostgreSQL migrations', () => {
  it('create every table and column of the schema, with its nullability', async (t) => {
    if (!(await requirePostgres(t))) return;
    const fresh = await freshDatabase();
    const sql = postgres(fresh.url, { max: 1, onnotice: () => {} });
    try {
      await migratePostgres(fresh.url);
      const rows = await sql<{ table_name: string; column_name: string; is_nullable: string }[]>`
        select table_name, column_name, is_nullable from information_schema.columns where table_schema = 'public'`;
      const actual = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r.is_nullable === 'NO']));
      const expected = new Map(tables.flatMap((tb) => getTableConfig(tb).columns.map((c) => [`${getTableName(tb)}.${c.name}`, c.notNull || c.primary] as const)));
      assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort());
      for (const [k, notNull] of expected) assert.equal(actual.get(k), notNull, `${k} NOT NULL`);
    } finally {
      await sql.end();
      await fresh.drop();
    }
  });

  it('hold the constraints the services rely on', async (t) => {
    if (!(await requirePostgres(t))) return;
    const fresh = await freshDatabase();
    const db = await openPostgres(fresh.url, { max: 2 });
    const now = new Date().toISOString();
    try {
      const user = { id: 'u1', username: 'Alice', email: 'alice@example.test', passwordHash: 'x', createdAt: now, updatedAt: now };
      await db.insert(pgSchema.users).values(user);
      await assert.rejects(db.insert(pgSchema.users).values({ ...user, id: 'u2', username: 'alice', email: 'other@example.test' }), violates('users_username_unique'));
      await db.insert(pgSchema.roles).values({ id: 'r1', name: 'ops', createdAt: now, updatedAt: now });
      await db.insert(pgSchema.userRoles).values({ userId: 'u1', roleId: 'r1', createdAt: now });
      await db.delete(pgSchema.users);
      assert.equal((await db.select().from(pgSchema.userRoles)).length, 0, 'user_roles rows cascade with their user');
      const net = { id: 'n1', name: 'n', subnet: '10.0.0.0/24', family: 4, prefix: 24, startHex: '0a000000', endHex: '0a0000ff', createdAt: now, updatedAt: now };
      await assert.rejects(db.insert(pgSchema.networks).values({ ...net, vlanId: 5000 }), violates('networks_vlan_range'));
      const [event] = await db.insert(pgSchema.events).values({ id: 'e1', type: 't', occurredAt: now, payload: '{}' }).returning();
      assert.equal(typeof event!.seq, 'number', 'events.seq is generated');
    } finally {
      await db.$client.end();
      await fresh.drop();
    }
  });

  it('run once when two replicas start at the same time', async (t) => {
    if (!(await requirePostgres(t))) return;
    const fresh = await freshDatabase();
    try {
      await Promise.all([migratePostgres(fresh.url), migratePostgres(fresh.url)]);
      const sql = postgres(fresh.url, { max: 1, onnotice: () => {} });
      try {
        const [{ n }] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
        // Each shipped migration recorded once, not once per replica.
        const journal = JSON.parse(readFileSync(new URL('../../src/db/migrations-pg/meta/_journal.json', import.meta.url), 'utf8')) as { entries: unknown[] };
        assert.equal(n, journal.entries.length);
      } finally {
        await sql.end();
      }
    } finally {
      await fresh.drop();
    }
  });
});
