// Copies a SQLite database into an empty PostgreSQL one, losslessly and all or nothing: the
// source is read in one read transaction (a consistent snapshot), the target written in one
// transaction (a failure leaves it empty), tables in foreign-key order, values converted by the
// two drizzle schemas' own column mappings (SQLite 0/1 → boolean, JSON text → jsonb). Then
// both sides are read back in primary-key order (bytewise: SQLite BINARY, PostgreSQL COLLATE "C")
// and compared table by table: row count and SHA-256 of the canonical JSON of every row.
// The FTS search tables are not copied: they are derived from the objects and rebuilt.
import { createHash } from 'node:crypto';
import { getTableColumns, getTableName, is, type Column } from 'drizzle-orm';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from './client.ts';
import postgres from 'postgres';
import { migratePostgres } from './pg-client.ts';
import * as pgSchema from './schema-pg/index.ts';
import * as sqliteSchema from './schema/index.ts';

export interface TableCopy {
  table: string;
  rows: number;
  /** SHA-256 of the rows as read back from each side; equal when the copy is lossless. */
  sourceChecksum: string;
  targetChecksum: string;
}

export class CopyError extends Error {}

interface Pair {
  name: string;
  lite: SQLiteTable;
  pg: PgTable;
  /** Column SQL names, in the SQLite table's order. */
  columns: string[];
  /** The primary key's column SQL names. */
  key: string[];
  /** SQLite column by SQL name, with its property key in both schemas. */
  byName: Map<string, { prop: string; lite: Column; pg: Column }>;
}

function pairs(): Pair[] {
  const pgTables = new Map(Object.values(pgSchema).filter((v) => is(v, PgTable)).map((t) => [getTableName(t as PgTable), t as PgTable]));
  const out: Pair[] = [];
  for (const lite of Object.values(sqliteSchema).filter((v) => is(v, SQLiteTable)) as SQLiteTable[]) {
    const name = getTableName(lite);
    const pg = pgTables.get(name);
    if (!pg) throw new CopyError(`table ${name} has no PostgreSQL counterpart`);
    const liteCols = getTableColumns(lite);
    const pgCols = getTableColumns(pg);
    const byName = new Map<string, { prop: string; lite: Column; pg: Column }>();
    for (const [prop, col] of Object.entries(liteCols)) byName.set(col.name, { prop, lite: col, pg: pgCols[prop]! });
    const conf = sqliteConfig(lite);
    const key = conf.primaryKeys[0]?.columns.map((c) => c.name) ?? conf.columns.filter((c) => c.primary).map((c) => c.name);
    if (key.length === 0) throw new CopyError(`table ${name} has no primary key`);
    out.push({ name, lite, pg, columns: conf.columns.map((c) => c.name), key, byName });
  }
  return foreignKeyOrder(out);
}

/** Parents before children, so every reference exists when its row is inserted. */
function foreignKeyOrder(tables: Pair[]): Pair[] {
  const parents = new Map(tables.map((t) => [t.name, new Set(sqliteConfig(t.lite).foreignKeys.map((f) => getTableName(f.reference().foreignTable)).filter((p) => p !== t.name))]));
  const done = new Set<string>();
  const out: Pair[] = [];
  while (out.length < tables.length) {
    const ready = tables.filter((t) => !done.has(t.name) && [...parents.get(t.name)!].every((p) => done.has(p)));
    if (ready.length === 0) throw new CopyError('the schema has a cycle of foreign keys');
    for (const t of ready) {
      done.add(t.name);
      out.push(t);
    }
  }
  return out;
}

/** JSON with object keys sorted (jsonb does not keep key order), as the checksum's input. */
function canonical(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  return `{${Object.keys(v)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
    .join(',')}}`;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface CopyOptions {
  /** Called after each table is copied. */
  onTable?: (t: { table: string; rows: number }) => void;
}

const BATCH = 2000;

/**
 * Copies `source` into the empty PostgreSQL database at `targetUrl` (migrated first) and returns
 * what each table holds on both sides. Throws CopyError, leaving the target as it was, when the
 * target is not empty, a value cannot be stored (PostgreSQL text holds no NUL), or a table
 * differs after the copy.
 */
export async function copyToPostgres(source: Db, targetUrl: string, opts: CopyOptions = {}): Promise<TableCopy[]> {
  const tables = pairs();
  await migratePostgres(targetUrl);
  const pg = postgres(targetUrl, { max: 1, onnotice: () => {} });
  const lite = source.$client;
  /** A SQLite row as JSON-ready values by column name (booleans and JSON decoded by the schema). */
  const decode = (t: Pair, raw: Record<string, unknown>): Record<string, unknown> => {
    const row: Record<string, unknown> = {};
    for (const c of t.columns) {
      const v = raw[c];
      if (typeof v === 'string' && v.includes('\u0000')) {
        throw new CopyError(`${t.name}.${c} of the row ${t.key.map((k) => String(raw[k])).join('/')} holds a NUL character, which PostgreSQL text cannot store; change that value first`);
      }
      row[c] = v === null || v === undefined ? null : t.byName.get(c)!.lite.mapFromDriverValue(v);
    }
    return row;
  };
  try {
    for (const t of tables) {
      const [{ n }] = await pg.unsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${quote(t.name)}`);
      if (n > 0) throw new CopyError(`the target database is not empty: ${t.name} has ${n} rows (copy into a new, empty database)`);
    }
    lite.prepare('BEGIN').run();
    try {
      return await pg.begin(async (tx) => {
        for (const t of tables) {
          // One JSON parameter per batch; PostgreSQL converts each value to its column's type.
          const insert = `INSERT INTO ${quote(t.name)} (${t.columns.map(quote).join(', ')}) SELECT ${t.columns.map(quote).join(', ')} FROM json_populate_recordset(NULL::${quote(t.name)}, $1::json)`;
          let rows: Record<string, unknown>[] = [];
          let n = 0;
          const flush = async () => {
            if (rows.length > 0) await tx.unsafe(insert, [tx.json(rows as postgres.JSONValue)]);
            n += rows.length;
            rows = [];
          };
          for (const raw of lite.prepare(`SELECT * FROM ${quote(t.name)}`).iterate() as IterableIterator<Record<string, unknown>>) {
            rows.push(decode(t, raw));
            if (rows.length >= BATCH) await flush();
          }
          await flush();
          opts.onTable?.({ table: t.name, rows: n });
          // Identity columns continue after the copied values.
          for (const c of pgConfig(t.pg).columns) {
            if ((c as { generatedIdentity?: unknown }).generatedIdentity) {
              await tx.unsafe(`SELECT setval(pg_get_serial_sequence('${quote(t.name)}', '${c.name}'), COALESCE((SELECT max(${quote(c.name)}) FROM ${quote(t.name)}), 0) + 1, false)`);
            }
          }
        }
        // Read both sides back in the same bytewise key order and compare, before committing.
        const report: TableCopy[] = [];
        for (const t of tables) {
          const cols = t.columns.map(quote).join(', ');
          const a = createHash('sha256');
          let rowsA = 0;
          for (const raw of lite.prepare(`SELECT ${cols} FROM ${quote(t.name)} ORDER BY ${t.key.map(quote).join(', ')}`).iterate() as IterableIterator<Record<string, unknown>>) {
            const row = decode(t, raw);
            a.update(canonical(t.columns.map((c) => row[c])) + '\n');
            rowsA++;
          }
          const b = createHash('sha256');
          let rowsB = 0;
          const order = t.key.map((k) => `${quote(k)}${t.byName.get(k)!.pg.getSQLType() === 'text' ? ' COLLATE "C"' : ''}`).join(', ');
          for await (const chunk of tx.unsafe(`SELECT ${cols} FROM ${quote(t.name)} ORDER BY ${order}`).cursor(BATCH)) {
            for (const raw of chunk as Record<string, unknown>[]) {
              b.update(canonical(t.columns.map((c) => (raw[c] === null ? null : t.byName.get(c)!.pg.mapFromDriverValue(raw[c])))) + '\n');
              rowsB++;
            }
          }
          const entry = { table: t.name, rows: rowsA, sourceChecksum: a.digest('hex'), targetChecksum: b.digest('hex') };
          if (rowsB !== rowsA || entry.sourceChecksum !== entry.targetChecksum) {
            throw new CopyError(`${t.name} differs after the copy: ${rowsA} rows in SQLite, ${rowsB} in PostgreSQL (checksums ${entry.sourceChecksum.slice(0, 12)}… / ${entry.targetChecksum.slice(0, 12)}…); nothing was committed`);
          }
          report.push(entry);
        }
        return report;
      });
    } finally {
      lite.prepare('COMMIT').run();
    }
  } finally {
    await pg.end();
  }
}
