import { IdInputSchema } from '../../../schemas/common.ts';
import type { PoolDetail } from '../../../schemas/pools.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getPoolOrThrow, poolDetail } from './internal.ts';

export async function getPool(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<PoolDetail> {
  return audited(env, ctx, { action: 'pool.read', resource: 'pool', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'pool:read');
    const { id } = IdInputSchema.parse(raw);
    return poolDetail(env.db, getPoolOrThrow(env.db, id));
  });
}
