// Devices of one datacenter, or with an address in one network (Rackd's
// /api/datacenters/{id}/devices and /api/networks/{id}/devices). Same data and permission as
// device_list with the matching filter; 404 when the datacenter or network does not exist.
import { eq } from 'drizzle-orm';
import { DevicesOfInputSchema } from '../../../schemas/devices.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { networks } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { assertDatacenterExists, notFoundIn } from './internal.ts';
import { deviceFilters, pageOfDevices } from './list.ts';

export async function listDatacenterDevices(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'device.list', resource: 'device', read: true }, () => {
    requirePermission(ctx, 'device:list');
    const input = DevicesOfInputSchema.parse(raw);
    assertDatacenterExists(env.db, input.id, 'id');
    return pageOfDevices(env.db, deviceFilters({ datacenter_id: input.id }, env.clock.now()), input);
  });
}

export async function listNetworkDevices(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'device.list', resource: 'device', read: true }, () => {
    requirePermission(ctx, 'device:list');
    const input = DevicesOfInputSchema.parse(raw);
    if (!env.db.select({ id: networks.id }).from(networks).where(eq(networks.id, input.id)).get()) throw notFoundIn('Network', input.id, 'id');
    return pageOfDevices(env.db, deviceFilters({ network_id: input.id }, env.clock.now()), input);
  });
}
