import { IdInputSchema } from '../../../schemas/common.ts';
import type { Network, NetworkUtilization } from '../../../schemas/networks.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getNetworkOrThrow, networkUtilization, toNetwork } from './internal.ts';

export async function getNetwork(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Network> {
  return audited(env, ctx, { action: 'network.read', resource: 'network', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'network:read');
    const { id } = IdInputSchema.parse(raw);
    return toNetwork(getNetworkOrThrow(env.db, id));
  });
}

/** Exact for IPv4; IPv6 is counted, never enumerated (one index range scan over used addresses). */
export async function getNetworkUtilization(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<NetworkUtilization> {
  return audited(env, ctx, { action: 'network.utilization', resource: 'network', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'network:read');
    const { id } = IdInputSchema.parse(raw);
    return networkUtilization(env.db, getNetworkOrThrow(env.db, id));
  });
}
