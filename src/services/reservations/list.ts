import { and, asc, count, eq } from 'drizzle-orm';
import { ListReservationsInputSchema } from '../../../schemas/reservations.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { reservations } from '../../db/schema/index.ts';
import { validationError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow } from '../paging.ts';
import { getPoolOrThrow } from '../pools/internal.ts';
import { ipKey } from '../pools/space.ts';
import { toReservation } from './internal.ts';

/** Reservations in address order; `ip` matches the exact address in any spelling (e.g. 2001:DB8::1). */
export async function listReservations(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'reservation.list', resource: 'reservation', read: true }, () => {
    requirePermission(ctx, 'reservation:list');
    const input = ListReservationsInputSchema.parse(raw);
    const window = pageWindow(input);
    if (input.ip !== undefined && input.ip_address !== undefined && input.ip !== input.ip_address) {
      throw validationError('ip_address', 'give ip or ip_address, not two different addresses');
    }
    const ipText = input.ip ?? input.ip_address;
    const key = ipText !== undefined ? ipKey(ipText) : undefined;
    if (ipText !== undefined && !key) throw validationError(input.ip !== undefined ? 'ip' : 'ip_address', 'is not a valid IP address');
    if (input.pool_id !== undefined) getPoolOrThrow(env.db, input.pool_id);
    const where = and(
      input.pool_id !== undefined ? eq(reservations.poolId, input.pool_id) : undefined,
      input.status !== undefined ? eq(reservations.status, input.status) : undefined,
      input.reserved_by !== undefined ? eq(reservations.reservedBy, input.reserved_by) : undefined,
      key ? eq(reservations.ipHex, key.hex) : undefined,
    );
    const rows = env.db
      .select()
      .from(reservations)
      .where(where)
      .orderBy(asc(reservations.poolId), asc(reservations.ipHex), asc(reservations.id))
      .limit(window.limit)
      .offset(window.offset)
      .all();
    const total = env.db.select({ n: count() }).from(reservations).where(where).get()!.n;
    return page(rows.map(toReservation), total, window);
  });
}
