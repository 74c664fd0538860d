// At server start-up: scans left pending or running by a previous process can never finish (their
// runner died with it), so they are marked failed instead of showing "running" forever.
import { inArray } from 'drizzle-orm';
import { systemContext } from '../../auth/context.ts';
import { discoveryScans } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getScanOrThrow, toScan } from './internal.ts';

export const INTERRUPTED_MESSAGE = 'interrupted by restart';

export async function failInterruptedScans(env: ServiceEnv): Promise<number> {
  const stale = env.db.select({ id: discoveryScans.id }).from(discoveryScans).where(inArray(discoveryScans.status, ['pending', 'running'])).all();
  if (stale.length === 0) return 0;
  const ctx = systemContext('startup');
  const now = env.clock.now().toISOString();
  // read: true — nothing is recorded unless a scan really changed (audit.record below).
  return audited(env, ctx, { action: 'discovery.complete', resource: 'discovery_scan', read: true }, (audit) =>
    env.db.transaction(
      (tx) => {
        let n = 0;
        for (const { id } of stale) {
          const changed = env.db.$client
            .prepare(`UPDATE discovery_scans SET status = 'failed', error_message = ?, completed_at = ?, updated_at = ? WHERE id = ? AND status IN ('pending', 'running')`)
            .run(INTERRUPTED_MESSAGE, now, now, id).changes;
          if (changed === 0) continue;
          n++;
          audit.record(tx, { resourceId: id, after: toScan(getScanOrThrow(tx, id)) });
        }
        return n;
      },
      { behavior: 'immediate' },
    ),
  );
}
