// pool.utilization_high: after every new claim, claimAddress asks whether this claim took the pool
// from below POOL_UTILIZATION_THRESHOLD percent to at or above it, so the event fires once per
// crossing. Counting the free ranges (few, however many addresses are used) is cheaper than
// counting the claims.
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { networkPools, poolFreeRanges } from '../../db/schema/index.ts';
import { POOL_UTILIZATION_THRESHOLD } from '../events/catalogue.ts';
import type { EventSink } from '../events/outbox.ts';

/** Used and total addresses of a pool from its span and free ranges (exact, in BigInt). */
export function poolUsage(tx: DbOrTx, pool: { id: string; startHex: string; endHex: string }): { used: bigint; size: bigint } {
  const size = BigInt(`0x${pool.endHex}`) - BigInt(`0x${pool.startHex}`) + 1n;
  let free = 0n;
  for (const r of tx.select({ s: poolFreeRanges.startHex, e: poolFreeRanges.endHex }).from(poolFreeRanges).where(eq(poolFreeRanges.poolId, pool.id)).all()) {
    free += BigInt(`0x${r.e}`) - BigInt(`0x${r.s}`) + 1n;
  }
  return { used: size - free, size };
}

/** True when the last claim moved `used` from below `threshold` percent of `size` to at or above it. */
export const crossedUpwards = (used: bigint, size: bigint, threshold: number): boolean => {
  const t = BigInt(threshold);
  return (used - 1n) * 100n < t * size && used * 100n >= t * size;
};

export function publishUtilizationCrossing(tx: DbOrTx, poolId: string, events: EventSink): void {
  if (!events.listening(tx)) return;
  const pool = tx.select().from(networkPools).where(eq(networkPools.id, poolId)).get();
  if (!pool) return;
  const { used, size } = poolUsage(tx, pool);
  if (!crossedUpwards(used, size, POOL_UTILIZATION_THRESHOLD)) return;
  const utilization = Number((used * 10_000n) / size) / 100;
  events.publish(tx, 'pool.utilization_high', {
    resource_id: pool.id,
    after: { pool_id: pool.id, pool_name: pool.name, network_id: pool.networkId, used: Number(used), size: Number(size), utilization, threshold: POOL_UTILIZATION_THRESHOLD },
  });
}
