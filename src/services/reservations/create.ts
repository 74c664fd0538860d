// Reserves an address in a pool: the one asked for (inside the range and free) or the lowest free
// one, claimed in the same transaction that records the reservation.
import { CreateReservationInputSchema, type Reservation } from '../../../schemas/reservations.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { validationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getPoolOrThrow } from '../pools/internal.ts';
import { ipKey } from '../pools/space.ts';
import { insertReservation, reserverOf, resolveExpiry, toReservation } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function createReservation(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Reservation> {
  return audited(env, ctx, { action: 'reservation.create', resource: 'reservation' }, (audit) => {
    requirePermission(ctx, 'reservation:create');
    const input = CreateReservationInputSchema.parse(raw);
    const now = env.clock.now();
    const expiresAt = resolveExpiry(now, input) ?? null;
    const key = input.ip_address !== undefined ? ipKey(input.ip_address) : undefined;
    if (input.ip_address !== undefined && !key) throw validationError('ip_address', 'is not a valid IP address');
    return syncWrite(env, (tx) => {
        const pool = getPoolOrThrow(tx, input.pool_id);
        if (key && (key.family !== pool.family || key.hex < pool.startHex || key.hex > pool.endHex)) {
          throw validationError('ip_address', `must lie inside the pool range ${pool.startIp}–${pool.endIp}`);
        }
        const row = insertReservation(tx, pool, {
          id: newId(),
          hex: key?.hex,
          hostname: input.hostname,
          purpose: input.purpose,
          notes: input.notes,
          expiresAt,
          reservedBy: reserverOf(ctx),
          now: now.toISOString(),
        }, audit);
        const out = toReservation(row);
        audit.record(tx, { resourceId: row.id, after: out });
        return out;
      });
  });
}
