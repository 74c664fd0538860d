import type { Datacenter } from '../../../schemas/datacenters.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getDatacenterOrThrow, toDatacenter } from './internal.ts';

export async function getDatacenter(env: ServiceEnv, ctx: CallerContext, id: string): Promise<Datacenter> {
  return audited(env, ctx, { action: 'datacenter.read', resource: 'datacenter', resourceId: id, read: true }, () => {
    requirePermission(ctx, 'datacenter:read');
    return toDatacenter(getDatacenterOrThrow(env.db, id));
  });
}
