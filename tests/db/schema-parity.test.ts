// The PostgreSQL schema (src/db/schema-pg) mirrors the SQLite one (src/db/schema) table by table:
// the same tables, columns (name, kind, nullability, default, primary key, enum values), composite
// primary keys, indexes (name, uniqueness, columns or expression), foreign keys (columns, target,
// ON DELETE) and check constraints. A column added to one dialect and not the other fails here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getTableName, is, SQL, type Table } from 'drizzle-orm';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import * as pg from '../../src/db/schema-pg/index.ts';
import * as sqlite from '../../src/db/schema/index.ts';

// How one dialect's column kind is spelt in the other.
const KIND: Record<string, string> = {
  SQLiteText: 'text',
  PgText: 'text',
  SQLiteTextJson: 'json',
  PgJsonb: 'json',
  SQLiteInteger: 'integer',
  PgInteger: 'integer',
  SQLiteBoolean: 'boolean',
  PgBoolean: 'boolean',
  SQLiteReal: 'float',
  PgDoublePrecision: 'float',
};

type Conf = ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>;

/** An index's target as text: column names, or the SQL expression with its column names. */
function target(on: unknown): string {
  if (is(on, SQL)) {
    return on.queryChunks
      .map((c) => {
        const x = c as { name?: string; value?: string[] };
        if (typeof x.name === 'string') return x.name;
        if (Array.isArray(x.value)) return x.value.join('');
        return '';
      })
      .join('');
  }
  return (on as { name: string }).name;
}

function shape(conf: Conf) {
  return {
    columns: Object.fromEntries(
      conf.columns.map((c) => [
        c.name,
        {
          kind: KIND[c.columnType] ?? `unmapped ${c.columnType}`,
          notNull: c.notNull,
          primary: c.primary,
          default: c.default instanceof Object ? String(c.default) : c.default,
          hasDefault: c.hasDefault,
          enum: c.enumValues ?? null,
        },
      ]),
    ),
    primaryKeys: conf.primaryKeys.map((p) => p.columns.map((c) => c.name)),
    indexes: conf.indexes
      .map((i) => ({ name: i.config.name ?? '', unique: i.config.unique, on: i.config.columns.map(target), where: i.config.where ? target(i.config.where) : null }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    foreignKeys: conf.foreignKeys
      .map((f) => {
        const r = f.reference();
        return { columns: r.columns.map((c) => c.name), table: getTableName(r.foreignTable), to: r.foreignColumns.map((c) => c.name), onDelete: f.onDelete ?? 'no action' };
      })
      .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
    checks: conf.checks.map((c) => c.name).sort(),
    uniqueConstraints: conf.uniqueConstraints.map((u) => u.columns.map((c) => c.name)),
  };
}

const tablesOf = (mod: Record<string, unknown>, cls: typeof SQLiteTable | typeof PgTable) =>
  new Map(Object.values(mod).filter((v) => is(v, cls)).map((t) => [getTableName(t as Table), t]));

describe('PostgreSQL and SQLite schemas', () => {
  const lite = tablesOf(sqlite, SQLiteTable);
  const post = tablesOf(pg, PgTable);

  it('have the same tables', () => {
    assert.ok(lite.size > 20, `only ${lite.size} SQLite tables found`);
    assert.deepEqual([...post.keys()].sort(), [...lite.keys()].sort());
  });

  for (const [name, table] of lite) {
    it(`table ${name}: same columns, keys, indexes, references and checks`, () => {
      const other = post.get(name);
      assert.ok(other, `no PostgreSQL table ${name}`);
      const a = shape(sqliteConfig(table as SQLiteTable));
      const b = shape(pgConfig(other as PgTable));
      for (const col of Object.values(a.columns)) assert.doesNotMatch(col.kind, /unmapped/);
      for (const col of Object.values(b.columns)) assert.doesNotMatch(col.kind, /unmapped/);
      assert.deepEqual(b, a);
    });
  }
});
