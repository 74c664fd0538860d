import type { DiscoveredDevice } from '../../../schemas/discovery.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getDiscoveredOrThrow, toDiscovered } from './internal.ts';

export async function getDiscovered(env: ServiceEnv, ctx: CallerContext, id: string): Promise<DiscoveredDevice> {
  return audited(env, ctx, { action: 'discovered_device.read', resource: 'discovered_device', resourceId: id, read: true }, () => {
    requirePermission(ctx, 'discovery:read');
    return toDiscovered(getDiscoveredOrThrow(env.db, id));
  });
}
