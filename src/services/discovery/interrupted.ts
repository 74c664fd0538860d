// Scans whose runner is gone. A scan is owned by the rackd process that started it (owner_id, a
// random id per process start), which renews heartbeat_at every quarter of DISCOVERY_SCAN_LEASE
// while the scan is pending or running. Any process on the database may fail a pending or running
// scan whose heartbeat is older than the lease (or missing: rows from before leases), unless it
// runs that scan itself: at start-up, and then every half lease (the discovery-lease job). So a
// second server on the same DATA_DIR leaves the first one's scans alone, and a scan whose process
// crashed is failed within about a lease and a half. The processes share one machine (SQLite
// needs a local file system), hence one clock.
import { systemContext } from '../../auth/context.ts';
import { runsHere } from '../../discovery/runner.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getScanOrThrow, toScan } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export const INTERRUPTED_MESSAGE = 'interrupted by restart';
export const ABANDONED_MESSAGE = 'interrupted: the rackd process running it stopped renewing its lease';
export const DISCOVERY_LEASE_JOB = 'discovery-lease';

/** Pending or running with no heartbeat since the cutoff (the one parameter). */
const EXPIRED = `status IN ('pending', 'running') AND (heartbeat_at IS NULL OR heartbeat_at < ?)`;

/** Marks failed the scans whose lease expired (and that this process does not run); returns how many. */
export async function failInterruptedScans(env: ServiceEnv, message = INTERRUPTED_MESSAGE, job = 'startup'): Promise<number> {
  const now = env.clock.now();
  const cutoff = new Date(now.getTime() - env.config.discovery.scanLeaseMs).toISOString();
  const client = env.db.$client;
  const stale = (client.prepare(`SELECT id FROM discovery_scans WHERE ${EXPIRED}`).all(cutoff) as { id: string }[]).filter(
    ({ id }) => !runsHere(env, id),
  );
  if (stale.length === 0) return 0;
  const at = now.toISOString();
  // read: true — nothing is recorded unless a scan really changed (audit.record below).
  return audited(env, systemContext(job), { action: 'discovery.complete', resource: 'discovery_scan', read: true }, (audit) =>
    syncWrite(env, (tx) => {
        let n = 0;
        // The lease is checked again inside the write: a heartbeat since the SELECT keeps the scan.
        const fail = tx.$client.prepare(`UPDATE discovery_scans SET status = 'failed', error_message = ?, completed_at = ?, updated_at = ? WHERE id = ? AND ${EXPIRED}`);
        for (const { id } of stale) {
          if (fail.run(message, at, at, id, cutoff).changes === 0) continue;
          n++;
          audit.record(tx, { resourceId: id, after: toScan(getScanOrThrow(tx, id)) });
        }
        return n;
      }),
  );
}
