import { PoolIdInputSchema } from '../../../schemas/pools.ts';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { HeatmapEntrySchema, HeatmapSchema } from '../../../schemas/pools.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { formatIp, type Family } from '../../net/ip.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getPoolOrThrow, poolSize } from './internal.ts';
import { toHex } from './space.ts';

export const HEATMAP_MAX = 65_536;

/**
 * Status of each address from the pool's start, at most 65,536 entries. Built from one range
 * query over the claims (joined to addresses for the device id); every address without a claim
 * is available, so no address is probed on its own.
 */
export async function getPoolHeatmap(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<z.infer<typeof HeatmapSchema>> {
  return audited(env, ctx, { action: 'pool.heatmap', resource: 'pool', resourceId: rawString(raw, 'pool_id'), read: true }, () => {
    requirePermission(ctx, 'pool:read');
    const { pool_id: poolId } = PoolIdInputSchema.parse(raw);
    const pool = getPoolOrThrow(env.db, poolId);
    const family = pool.family as Family;
    const size = poolSize(pool);
    const count = size > BigInt(HEATMAP_MAX) ? HEATMAP_MAX : Number(size);
    const start = BigInt(`0x${pool.startHex}`);
    const lastHex = toHex({ family, value: start + BigInt(count - 1) });
    const claims = env.db.all<{ hex: string; kind: 'address' | 'reservation'; device_id: string | null }>(sql`
      SELECT c.ip_hex AS hex, c.owner_kind AS kind, a.device_id AS device_id
      FROM pool_claims c LEFT JOIN addresses a ON c.owner_kind = 'address' AND a.id = c.owner_id
      WHERE c.pool_id = ${poolId} AND c.ip_hex BETWEEN ${pool.startHex} AND ${lastHex}`);
    const byOffset = new Map(claims.map((c) => [Number(BigInt(`0x${c.hex}`) - start), c]));
    const items: z.infer<typeof HeatmapEntrySchema>[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const ip = formatIp({ family, value: start + BigInt(i) });
      const c = byOffset.get(i);
      if (!c) items[i] = { ip, status: 'available' };
      else if (c.kind === 'reservation') items[i] = { ip, status: 'reserved' };
      else items[i] = c.device_id ? { ip, status: 'used', device_id: c.device_id } : { ip, status: 'used' };
    }
    return { pool_id: poolId, total: Number(size), truncated: size > BigInt(HEATMAP_MAX), items };
  });
}
