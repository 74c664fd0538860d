import { IdInputSchema } from '../../../schemas/common.ts';
import type { Datacenter } from '../../../schemas/datacenters.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getDatacenterOrThrow, toDatacenter } from './internal.ts';

export async function getDatacenter(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Datacenter> {
  return audited(env, ctx, { action: 'datacenter.read', resource: 'datacenter', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'datacenter:read');
    const { id } = IdInputSchema.parse(raw);
    return toDatacenter(getDatacenterOrThrow(env.db, id));
  });
}
