import { IdInputSchema } from '../../../schemas/common.ts';
import type { Reservation } from '../../../schemas/reservations.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getReservationOrThrow, toReservation } from './internal.ts';

export async function getReservation(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Reservation> {
  return audited(env, ctx, { action: 'reservation.read', resource: 'reservation', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'reservation:read');
    const { id } = IdInputSchema.parse(raw);
    return toReservation(getReservationOrThrow(env.db, id));
  });
}
