import { and, asc, count, eq, isNotNull, isNull, type SQL } from 'drizzle-orm';
import { ListDiscoveredInputSchema } from '../../../schemas/discovery.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { discoveredDevices } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow } from '../paging.ts';
import { toDiscovered } from './internal.ts';

/** In address order within each network (ip_hex sorts numerically). */
export async function listDiscovered(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'discovered_device.list', resource: 'discovered_device', read: true }, () => {
    requirePermission(ctx, 'discovery:list');
    const input = ListDiscoveredInputSchema.parse(raw);
    const window = pageWindow(input);
    const filters: SQL[] = [];
    if (input.network_id) filters.push(eq(discoveredDevices.networkId, input.network_id));
    if (input.promoted === 'true') filters.push(isNotNull(discoveredDevices.promotedToDeviceId));
    if (input.promoted === 'false') filters.push(isNull(discoveredDevices.promotedToDeviceId));
    const where = filters.length ? and(...filters) : undefined;
    const rows = env.db
      .select()
      .from(discoveredDevices)
      .where(where)
      .orderBy(asc(discoveredDevices.networkId), asc(discoveredDevices.ipHex))
      .limit(window.limit)
      .offset(window.offset)
      .all();
    const total = env.db.select({ n: count() }).from(discoveredDevices).where(where).get()!.n;
    return page(rows.map(toDiscovered), total, window);
  });
}
