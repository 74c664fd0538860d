import { IdInputSchema } from '../../../schemas/common.ts';
import { eq } from 'drizzle-orm';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { reservations } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { releaseOwner } from '../pools/space.ts';
import { assertOwnerOrAdmin, getReservationOrThrow, toReservation } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** Deletes a reservation of any status; an active one frees its address first. Owner or admin only. */
export async function deleteReservation(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'reservation.delete', resource: 'reservation', resourceId: rawString(raw) }, (audit) => {
    requirePermission(ctx, 'reservation:delete');
    const { id } = IdInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        const before = getReservationOrThrow(tx, id);
        assertOwnerOrAdmin(ctx, before, 'delete');
        if (before.status === 'active') releaseOwner(tx, { kind: 'reservation', id });
        tx.delete(reservations).where(eq(reservations.id, id)).run();
        audit.record(tx, { resourceId: id, before: toReservation(before) });
        return { status: 'deleted' as const, id };
      });
  });
}
