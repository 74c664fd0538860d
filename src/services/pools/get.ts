import type { PoolDetail } from '../../../schemas/pools.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getPoolOrThrow, poolDetail } from './internal.ts';

export async function getPool(env: ServiceEnv, ctx: CallerContext, id: string): Promise<PoolDetail> {
  return audited(env, ctx, { action: 'pool.read', resource: 'pool', resourceId: id, read: true }, () => {
    requirePermission(ctx, 'pool:read');
    return poolDetail(env.db, getPoolOrThrow(env.db, id));
  });
}
