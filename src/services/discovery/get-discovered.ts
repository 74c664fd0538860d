import { IdInputSchema } from '../../../schemas/common.ts';
import type { DiscoveredDevice } from '../../../schemas/discovery.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getDiscoveredOrThrow, toDiscovered } from './internal.ts';

export async function getDiscovered(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<DiscoveredDevice> {
  return audited(env, ctx, { action: 'discovered_device.read', resource: 'discovered_device', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'discovery:read');
    const { id } = IdInputSchema.parse(raw);
    return toDiscovered(getDiscoveredOrThrow(env.db, id));
  });
}
