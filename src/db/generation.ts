// A per-connection "may the database have changed?" counter for caches of derived answers
// (effective permissions, verified API keys) that every authenticated request needs.
import type Database from 'better-sqlite3';
import type { DbOrTx } from './client.ts';

interface Generation {
  totalChanges: Database.Statement;
  dataVersion: Database.Statement;
  lastChanges: number;
  lastDataVersion: number;
  value: number;
}

const generations = new WeakMap<Database.Database, Generation>();

/**
 * A number that changes whenever the database may have changed since it was last read:
 * total_changes() moves with every row this connection writes (even in a transaction later rolled
 * back), PRAGMA data_version with every commit by another connection (another rackd process, the
 * offline CLI). No write, of any table, leaves the number where it was, so an answer cached under
 * one value is never served after a write. Undefined inside a transaction, whose reads may be
 * uncommitted: nothing may be cached or served from a cache there. Read it *before* the data the
 * cached answer is built from: a commit landing in between costs a reload, never staleness.
 */
export function dataGeneration(db: DbOrTx): number | undefined {
  const client = '$client' in db ? db.$client : undefined;
  if (!client || client.inTransaction) return undefined;
  let g = generations.get(client);
  if (!g) {
    // Two plucked statements: together ~1 µs, where one SELECT over the pragma_data_version
    // table-valued function took ~2.5 µs; this read sits on every authenticated request.
    g = {
      totalChanges: client.prepare('SELECT total_changes()').pluck(),
      dataVersion: client.prepare('PRAGMA data_version').pluck(),
      lastChanges: -1,
      lastDataVersion: -1,
      value: 0,
    };
    generations.set(client, g);
  }
  const c = g.totalChanges.get() as number;
  const v = g.dataVersion.get() as number;
  if (c !== g.lastChanges || v !== g.lastDataVersion) {
    g.lastChanges = c;
    g.lastDataVersion = v;
    g.value++;
  }
  return g.value;
}

/**
 * A per-connection cache of answers derived from the database, valid for one generation: the
 * returned function gives the cache for `db` — emptied whenever the generation moved, or when it
 * holds `max` entries — or undefined where nothing may be cached or served (inside a transaction).
 */
export function generationCache<V>(max: number): (db: DbOrTx) => Map<string, V> | undefined {
  const caches = new WeakMap<object, { generation: number; entries: Map<string, V> }>();
  return (db) => {
    const generation = dataGeneration(db);
    if (generation === undefined) return undefined;
    const client = (db as { $client: object }).$client;
    let cache = caches.get(client);
    if (!cache) caches.set(client, (cache = { generation, entries: new Map() }));
    if (cache.generation !== generation || cache.entries.size >= max) {
      cache.entries.clear();
      cache.generation = generation;
    }
    return cache.entries;
  };
}
