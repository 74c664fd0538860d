// Deleting discovery records never touches the inventory: a promoted device stays.
import { IdInputSchema } from '../../../schemas/common.ts';
import { count, eq } from 'drizzle-orm';
import { NetworkIdInputSchema } from '../../../schemas/discovery.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { discoveredDevices } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getNetworkOrThrow } from '../networks/internal.ts';
import { getDiscoveredOrThrow, toDiscovered } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function deleteDiscovered(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'discovered_device.delete', resource: 'discovered_device', resourceId: rawString(raw) }, (audit) => {
    requirePermission(ctx, 'discovery:delete');
    const { id } = IdInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        const before = getDiscoveredOrThrow(tx, id);
        tx.delete(discoveredDevices).where(eq(discoveredDevices.id, id)).run();
        audit.record(tx, { resourceId: id, before: toDiscovered(before) });
        return { status: 'deleted' as const, id };
      });
  });
}

/** Rackd's DELETE /api/discovery/devices?network_id=: every discovered host of one network. */
export async function deleteNetworkDiscovered(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'discovered_device.delete_network', resource: 'discovered_device' }, (audit) => {
    requirePermission(ctx, 'discovery:delete');
    const { network_id } = NetworkIdInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        getNetworkOrThrow(tx, network_id);
        const n = tx.select({ n: count() }).from(discoveredDevices).where(eq(discoveredDevices.networkId, network_id)).get()!.n;
        tx.delete(discoveredDevices).where(eq(discoveredDevices.networkId, network_id)).run();
        audit.record(tx, { resourceId: network_id, extra: { network_id, deleted: n } });
        return { status: 'deleted' as const, network_id, deleted: n };
      });
  });
}
