import { PoolIdInputSchema } from '../../../schemas/pools.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { AppError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getPoolOrThrow } from './internal.ts';
import { hexToText, nextFreeHex, familyOfHex } from './space.ts';

/**
 * Read-only: the lowest address used neither by a device address nor by an active reservation
 * (both hold a claim, so this is the lowest free range's start: one index seek). It is only a
 * hint — another caller may take it first; ip_allocate picks and records atomically.
 */
export async function getPoolNextIp(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ ip: string }> {
  return audited(env, ctx, { action: 'pool.next_ip', resource: 'pool', resourceId: rawString(raw, 'pool_id'), read: true }, () => {
    requirePermission(ctx, 'pool:read');
    const { pool_id: poolId } = PoolIdInputSchema.parse(raw);
    getPoolOrThrow(env.db, poolId);
    const hex = nextFreeHex(env.db, poolId);
    if (hex === undefined) throw new AppError('IP_NOT_AVAILABLE', 'The pool has no free address left');
    return { ip: hexToText(familyOfHex(hex), hex) };
  });
}
