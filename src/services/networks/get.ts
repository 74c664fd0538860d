import type { Network, NetworkUtilization } from '../../../schemas/networks.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getNetworkOrThrow, networkUtilization, toNetwork } from './internal.ts';

export async function getNetwork(env: ServiceEnv, ctx: CallerContext, id: string): Promise<Network> {
  return audited(env, ctx, { action: 'network.read', resource: 'network', resourceId: id, read: true }, () => {
    requirePermission(ctx, 'network:read');
    return toNetwork(getNetworkOrThrow(env.db, id));
  });
}

/** Exact for IPv4; IPv6 is counted, never enumerated (one index range scan over used addresses). */
export async function getNetworkUtilization(env: ServiceEnv, ctx: CallerContext, id: string): Promise<NetworkUtilization> {
  return audited(env, ctx, { action: 'network.utilization', resource: 'network', resourceId: id, read: true }, () => {
    requirePermission(ctx, 'network:read');
    return networkUtilization(env.db, getNetworkOrThrow(env.db, id));
  });
}
