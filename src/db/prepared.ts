// Prepared statements kept per database handle, for the queries every request runs.
import type { DbOrTx } from './client.ts';

/**
 * Memoises a prepared statement per database handle. Building a drizzle query and preparing its
 * SQL cost several times more than executing a point lookup (bench/auth-me, bench/device-get), so
 * the lookups every request runs are built once. A transaction handle gets its own short-lived
 * entry; either way the statement runs on the one better-sqlite3 connection, so it sees the
 * transaction's writes.
 */
export function perDb<T, D extends DbOrTx = DbOrTx>(build: (db: D) => T): (db: D) => T {
  const cache = new WeakMap<D, T>();
  return (db) => {
    let prepared = cache.get(db);
    if (prepared === undefined) cache.set(db, (prepared = build(db)));
    return prepared;
  };
}
