// The reservation-expiry job: active reservations whose expires_at has passed become expired and
// their addresses return to the pool. Runs as the system caller, audited like any write.
import { and, asc, eq, isNotNull, lte } from 'drizzle-orm';
import { systemContext } from '../../auth/context.ts';
import { reservations } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { releaseOwner } from '../pools/space.ts';
import { toReservation } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export const EXPIRY_JOB = 'reservation-expiry';
/** Bounds one transaction; a larger backlog is worked off in further batches of the same run. */
const BATCH = 500;

export async function expireReservations(env: ServiceEnv): Promise<{ expired: number }> {
  const ctx = systemContext(EXPIRY_JOB);
  const now = env.clock.now().toISOString();
  // Both come from the (status, expires_at) index; ISO strings in UTC compare in time order.
  const due = and(eq(reservations.status, 'active'), isNotNull(reservations.expiresAt), lte(reservations.expiresAt, now));
  let expired = 0;
  for (;;) {
    // Nothing due is the common case: answer it with one index probe and no audit entry.
    if (!env.db.select({ id: reservations.id }).from(reservations).where(due).limit(1).get()) break;
    const n = await audited(env, ctx, { action: 'reservation.expire', resource: 'reservation' }, (audit) =>
      syncWrite(env, (tx) => {
          const rows = tx.select().from(reservations).where(due).orderBy(asc(reservations.expiresAt)).limit(BATCH).all();
          for (const before of rows) {
            const row = { ...before, status: 'expired' as const, releasedAt: now, updatedAt: now };
            tx.update(reservations).set(row).where(eq(reservations.id, before.id)).run();
            releaseOwner(tx, { kind: 'reservation', id: before.id });
            audit.record(tx, { resourceId: before.id, before: toReservation(before), after: toReservation(row) });
          }
          return rows.length;
        }),
    );
    expired += n;
    if (n < BATCH) break;
  }
  return { expired };
}
