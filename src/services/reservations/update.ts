// Changes hostname, purpose, notes or expiry of an active reservation; fields not sent keep their
// value. Only the user who reserved it or an administrator may.
import { eq } from 'drizzle-orm';
import { UpdateReservationInputSchema, type Reservation } from '../../../schemas/reservations.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { reservations } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { assertActive, assertOwnerOrAdmin, getReservationOrThrow, resolveExpiry, toReservation } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function updateReservation(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Reservation> {
  const id = (raw as { id?: unknown })?.id;
  return audited(env, ctx, { action: 'reservation.update', resource: 'reservation', resourceId: typeof id === 'string' ? id : undefined }, (audit) => {
    requirePermission(ctx, 'reservation:update');
    const input = UpdateReservationInputSchema.parse(raw);
    const now = env.clock.now();
    const expiresAt = resolveExpiry(now, input);
    return syncWrite(env, (tx) => {
        const before = getReservationOrThrow(tx, input.id);
        assertOwnerOrAdmin(ctx, before, 'update');
        assertActive(before, 'updated');
        const row = {
          ...before,
          ...(input.hostname !== undefined && { hostname: input.hostname }),
          ...(input.purpose !== undefined && { purpose: input.purpose }),
          ...(input.notes !== undefined && { notes: input.notes }),
          ...(expiresAt !== undefined && { expiresAt }),
          updatedAt: now.toISOString(),
        };
        tx.update(reservations).set(row).where(eq(reservations.id, before.id)).run();
        const out = toReservation(row);
        audit.record(tx, { resourceId: row.id, before: toReservation(before), after: out });
        return out;
      });
  });
}
