import { count } from 'drizzle-orm';
import { DEVICE_STATUSES, type DeviceStatus } from '../../../schemas/devices.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { devices } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';

/** Devices per status over the whole table; every status is present, zero when unused. */
export async function deviceStatusCounts(env: ServiceEnv, ctx: CallerContext): Promise<Record<DeviceStatus, number>> {
  return audited(env, ctx, { action: 'device.status_counts', resource: 'device', read: true }, () => {
    requirePermission(ctx, 'device:list');
    const out = Object.fromEntries(DEVICE_STATUSES.map((s) => [s, 0])) as Record<DeviceStatus, number>;
    for (const r of env.db.select({ status: devices.status, n: count() }).from(devices).groupBy(devices.status).all()) out[r.status] = r.n;
    return out;
  });
}
