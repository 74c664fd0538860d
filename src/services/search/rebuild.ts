// Rebuilds the search tables from the objects themselves when the index this build writes differs
// from the one in the database (app_state 'search.index_version'): after a migration that
// re-creates the FTS tables, or a change to what is indexed. Runs at start-up, before the server
// listens, in one IMMEDIATE transaction (a second process on the same DATA_DIR waits, then sees
// the new version and does nothing). Objects are indexed in creation order, which is the order
// of hits within a ranking tier (search.ts).
import { asc, gt, sql } from 'drizzle-orm';
import { datacenters, devices, networks } from '../../db/schema/index.ts';
import { getAppState, setAppState } from '../app-state.ts';
import { indexDatacenter } from '../datacenters/internal.ts';
import { indexDevice, toDevices } from '../devices/internal.ts';
import type { ServiceEnv } from '../env.ts';
import { indexNetwork } from '../networks/internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** Bump when the FTS tables or the text indexed for an object change; the next start rebuilds. */
export const SEARCH_INDEX_VERSION = '2';
const KEY = 'search.index_version';
const BATCH = 500;

/** Rebuilds the index if it is not the current version; returns the number of objects indexed, or undefined when nothing was to do. */
export async function ensureSearchIndex(env: ServiceEnv): Promise<number | undefined> {
  if (getAppState(env.db, KEY) === SEARCH_INDEX_VERSION) return undefined;
  const started = performance.now();
  const indexed = await syncWrite(env, (tx) => {
      if (getAppState(tx, KEY) === SEARCH_INDEX_VERSION) return undefined;
      tx.run(sql`INSERT INTO search_index (search_index) VALUES ('delete-all')`);
      tx.run(sql`INSERT INTO search_names (search_names) VALUES ('delete-all')`);
      tx.run(sql`DELETE FROM search_docs`);
      let n = 0;
      for (const row of tx.select().from(datacenters).orderBy(asc(datacenters.createdAt), asc(datacenters.id)).all()) {
        indexDatacenter(tx, row);
        n++;
      }
      for (const row of tx.select().from(networks).orderBy(asc(networks.createdAt), asc(networks.id)).all()) {
        indexNetwork(tx, row);
        n++;
      }
      // Devices in batches by id (UUIDv7: creation order), each batch's children in three queries.
      let after = '';
      for (;;) {
        const rows = tx.select().from(devices).where(gt(devices.id, after)).orderBy(asc(devices.id)).limit(BATCH).all();
        if (rows.length === 0) break;
        for (const d of toDevices(tx, rows)) indexDevice(tx, d);
        n += rows.length;
        after = rows[rows.length - 1]!.id;
      }
      const now = env.clock.now().toISOString();
      setAppState(tx, KEY, SEARCH_INDEX_VERSION, now);
      return n;
    });
  if (indexed !== undefined && indexed > 0) {
    env.logger.info('rebuilt the search index', { objects: indexed, version: SEARCH_INDEX_VERSION, ms: Math.round(performance.now() - started) });
  }
  return indexed;
}
