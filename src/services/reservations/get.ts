import type { Reservation } from '../../../schemas/reservations.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getReservationOrThrow, toReservation } from './internal.ts';

export async function getReservation(env: ServiceEnv, ctx: CallerContext, id: string): Promise<Reservation> {
  return audited(env, ctx, { action: 'reservation.read', resource: 'reservation', resourceId: id, read: true }, () => {
    requirePermission(ctx, 'reservation:read');
    return toReservation(getReservationOrThrow(env.db, id));
  });
}
