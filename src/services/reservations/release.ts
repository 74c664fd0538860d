// Ends an active reservation: status released, and its address goes back to the pool's free space.
import { eq } from 'drizzle-orm';
import { IdInputSchema } from '../../../schemas/common.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { reservations } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { releaseOwner } from '../pools/space.ts';
import { assertActive, assertOwnerOrAdmin, getReservationOrThrow, toReservation } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function releaseReservation(
  env: ServiceEnv,
  ctx: CallerContext,
  raw: unknown,
): Promise<{ status: 'released'; id: string; message: string }> {
  return audited(env, ctx, { action: 'reservation.release', resource: 'reservation', resourceId: rawString(raw) }, (audit) => {
    requirePermission(ctx, 'reservation:update');
    const { id } = IdInputSchema.parse(raw);
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        const before = getReservationOrThrow(tx, id);
        assertOwnerOrAdmin(ctx, before, 'release');
        assertActive(before, 'released');
        const row = { ...before, status: 'released' as const, releasedAt: now, updatedAt: now };
        tx.update(reservations).set(row).where(eq(reservations.id, id)).run();
        releaseOwner(tx, { kind: 'reservation', id });
        audit.record(tx, { resourceId: id, before: toReservation(before), after: toReservation(row) });
        return { status: 'released' as const, id, message: `Reservation of ${before.ipAddress} released` };
      });
  });
}
