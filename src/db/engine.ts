// One asynchronous data-access contract for both engines (issue 13, in progress: the services do
// not use it yet). Verbs will be written once against it:
//
//   await engine.write(async (tx) => { await tx.insert(t.devices).values(…); … })
//   await engine.reader.select().from(t.devices).where(…)
//
// It is not better-sqlite3's `db.transaction(fn)`, which is synchronous and cannot roll back an
// async callback (ARCHITECTURE.md rule 6); hence its own name. `write` drives BEGIN IMMEDIATE /
// COMMIT / ROLLBACK itself around the awaited function, so rule 6's promise holds on both engines.
//
// - `tables` are the engine's own drizzle tables, typed as the PostgreSQL ones: the two schemas
//   are kept column-for-column equal (tests/db/schema-parity.test.ts), and the query-builder
//   calls both dialects share (awaited select/insert/update/delete, `.returning()`) run on
//   either. Dialect-only calls (`.run()`, `.get()`, `.all()`, `FOR UPDATE`) are not part of it.
// - `write(fn)` runs `fn` in one write transaction: committed when it returns, rolled back
//   when it throws, so a transaction that fails leaves nothing (rule 6). `tx.savepoint(fn)`
//   nests one inside it.
// - SQLite: one writer connection; transactions queue on a FIFO mutex (an `await` inside one
//   would otherwise let another request's statements into it) and start with BEGIN IMMEDIATE.
//   Reads outside transactions use a second connection, which sees committed data only (WAL)
//   and never waits for the writer. PostgreSQL: a pool; each transaction takes a connection.
// - Writers are serialised on SQLite only. Code whose correctness needs that (read, then write
//   what it read) must lock what it reads on PostgreSQL: that is engine-specific and belongs
//   behind a small interface in db/ (allocation, leases), not in verbs.
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { openDatabase, type Db } from './client.ts';
import { openPostgres } from './pg-client.ts';
import * as pgSchema from './schema-pg/index.ts';
import * as sqliteSchema from './schema/index.ts';

export type Tables = typeof pgSchema;
/** What a verb queries with: the query builder both dialects share, typed as PostgreSQL's. */
export type Query = Omit<PostgresJsDatabase<Tables>, 'transaction' | '$client'>;
export interface Tx extends Query {
  /** A savepoint inside this transaction: rolled back alone when `fn` throws. */
  savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export interface Engine {
  readonly dialect: 'sqlite' | 'postgres';
  readonly tables: Tables;
  /** Reads outside any transaction (committed data). */
  readonly reader: Query;
  /** One write transaction around the awaited `fn`: committed when it returns, rolled back when it throws. */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** A FIFO mutex: each holder runs after the previous one finished, whatever its outcome. */
function fifo() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** The SQLite engine's two connections, for code not yet written against the shared contract (db/sync-write.ts). */
export interface SqliteConnections {
  /** Read-only: every read outside a transaction (committed data only). */
  reader: Db;
  /** The one writer: only inside `write`, which owns its transactions. */
  writer: Db;
}

/** SQLite: a writer connection behind a FIFO mutex, a reader connection for everything else. */
export function sqliteEngine(file: string): Engine & { readonly sqlite: SqliteConnections } {
  // A second connection needs a file: an in-memory database is one connection's alone.
  if (file === ':memory:' || file === '') throw new Error('the SQLite engine needs a database file');
  const writerDb = openDatabase(file);
  const writer = writerDb.$client;
  const readerDb = openDatabase(file, { readonly: true, migrate: false });
  const readerClient = readerDb.$client;
  const reader = readerDb as unknown as Query;
  const queued = fifo();
  let savepoints = 0;

  const exec = (statement: string) => writer.prepare(statement).run();
  const txOf = (): Tx => Object.assign(Object.create(writerDb) as Query, { savepoint }) as Tx;

  async function savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const name = `sp${++savepoints}`;
    exec(`SAVEPOINT ${name}`);
    try {
      const out = await fn(txOf());
      exec(`RELEASE ${name}`);
      return out;
    } catch (err) {
      exec(`ROLLBACK TO ${name}`);
      exec(`RELEASE ${name}`);
      throw err;
    }
  }

  return {
    dialect: 'sqlite',
    tables: sqliteSchema as unknown as Tables,
    sqlite: { reader: readerDb, writer: writerDb },
    reader,
    write: <T>(fn: (tx: Tx) => Promise<T>) =>
      queued(async () => {
        exec('BEGIN IMMEDIATE');
        try {
          const out = await fn(txOf());
          exec('COMMIT');
          return out;
        } catch (err) {
          if (writer.inTransaction) exec('ROLLBACK');
          throw err;
        } finally {
          savepoints = 0;
        }
      }),
    async close() {
      await queued(async () => undefined);
      readerClient.close();
      writer.close();
    },
  };
}

/** PostgreSQL: a pool of `max` connections; migrations applied first (under an advisory lock). */
export async function postgresEngine(url: string, opts: { max?: number } = {}): Promise<Engine> {
  const db = await openPostgres(url, opts);
  const wrap = (tx: { transaction: (f: (inner: never) => Promise<unknown>) => Promise<unknown> }): Tx =>
    Object.assign(Object.create(tx) as Query, {
      savepoint: <T>(fn: (inner: Tx) => Promise<T>) => tx.transaction((inner) => fn(wrap(inner))) as Promise<T>,
    }) as Tx;
  return {
    dialect: 'postgres',
    tables: pgSchema,
    reader: db as unknown as Query,
    // drizzle's postgres-js transactions are asynchronous: BEGIN … COMMIT around the awaited function.
    write: <T>(fn: (tx: Tx) => Promise<T>) => db.transaction((tx) => fn(wrap(tx as never))),
    close: () => db.$client.end(),
  };
}
