// Shared by the pool verbs: row mapping with tags, range validation against the network, the
// utilization count, and adoption of device addresses that already sit inside a pool's range.
import { and, asc, eq, gte, inArray, isNull, lte, or } from 'drizzle-orm';
import type { Pool, PoolDetail } from '../../../schemas/pools.ts';
import type { DbOrTx } from '../../db/client.ts';
import { addresses, networkPools, poolClaims, poolTags } from '../../db/schema/index.ts';
import type { Family } from '../../net/ip.ts';
import { notFound, validationError } from '../../platform/errors.ts';
import { percent, usableRange, type NetworkRow } from '../networks/internal.ts';
import type { EventSink } from '../events/outbox.ts';
import { claimAddress, claimCount, ipKey } from './space.ts';

export type PoolRow = typeof networkPools.$inferSelect;

export function tagsOf(db: DbOrTx, poolIds: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>(poolIds.map((id) => [id, []]));
  if (poolIds.length === 0) return out;
  const rows = db.select().from(poolTags).where(inArray(poolTags.poolId, poolIds)).orderBy(asc(poolTags.tag)).all();
  for (const r of rows) out.get(r.poolId)?.push(r.tag);
  return out;
}

export const toPool = (r: PoolRow, tags: string[]): Pool => ({
  id: r.id,
  network_id: r.networkId,
  name: r.name,
  start_ip: r.startIp,
  end_ip: r.endIp,
  description: r.description,
  tags,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

export const poolSize = (r: { startHex: string; endHex: string }): bigint => BigInt(`0x${r.endHex}`) - BigInt(`0x${r.startHex}`) + 1n;

/** Claims count device addresses and active reservations alike: one count over the claims' primary key. */
export function poolDetail(db: DbOrTx, r: PoolRow): PoolDetail {
  const total = poolSize(r);
  const used = claimCount(db, r.id);
  const available = total - BigInt(used);
  return {
    ...toPool(r, tagsOf(db, [r.id]).get(r.id)!),
    utilization: {
      total: Number(total),
      used,
      available: Number(available),
      utilization: percent(BigInt(used), total),
      total_exact: total.toString(),
      available_exact: available.toString(),
    },
  };
}

export function getPoolOrThrow(db: DbOrTx, id: string): PoolRow {
  const row = db.select().from(networkPools).where(eq(networkPools.id, id)).get();
  if (!row) throw notFound('Pool', id);
  return row;
}

export function setTags(tx: DbOrTx, poolId: string, tags: string[]): void {
  tx.delete(poolTags).where(eq(poolTags.poolId, poolId)).run();
  for (const tag of new Set(tags)) tx.insert(poolTags).values({ poolId, tag }).run();
}

export interface PoolRange {
  family: Family;
  startIp: string;
  endIp: string;
  startHex: string;
  endHex: string;
}

/**
 * A pool range must parse, be of the network's IP version, run forwards, and lie inside the
 * network's usable hosts (for IPv4 up to /30 that excludes the network and broadcast addresses,
 * which no host may be given).
 */
export function validateRange(network: NetworkRow, start: string, end: string): PoolRange {
  const s = ipKey(start);
  if (!s) throw validationError('start_ip', 'is not a valid IP address');
  const e = ipKey(end);
  if (!e) throw validationError('end_ip', 'is not a valid IP address');
  const v = `IPv${network.family}`;
  if (s.family !== network.family) throw validationError('start_ip', `must be an ${v} address like the network ${network.subnet}`);
  if (e.family !== network.family) throw validationError('end_ip', `must be an ${v} address like the network ${network.subnet}`);
  if (s.hex > e.hex) throw validationError('end_ip', 'must not be lower than start_ip');
  const usable = usableRange(network);
  const where = network.family === 4 && network.prefix <= 30 ? 'the usable hosts of' : 'the network';
  if (s.hex < usable.startHex || s.hex > usable.endHex) throw validationError('start_ip', `must lie inside ${where} ${network.subnet}`);
  if (e.hex < usable.startHex || e.hex > usable.endHex) throw validationError('end_ip', `must lie inside ${where} ${network.subnet}`);
  return { family: s.family, startIp: s.ip, endIp: e.ip, startHex: s.hex, endHex: e.hex };
}

/**
 * Device addresses in the pool's range that belong to no pool yet, in the pool's network or in
 * none, join it (the device domain links such addresses the same way when they are written):
 * each claims its address; a duplicate IP stays unlinked, since one address can be used once.
 */
export function adoptAddresses(tx: DbOrTx, pool: PoolRow, events: EventSink): number {
  const candidates = tx
    .select({ id: addresses.id, hex: addresses.ipHex })
    .from(addresses)
    .where(
      and(
        or(eq(addresses.networkId, pool.networkId), isNull(addresses.networkId)),
        isNull(addresses.poolId),
        eq(addresses.family, pool.family),
        gte(addresses.ipHex, pool.startHex),
        lte(addresses.ipHex, pool.endHex),
      ),
    )
    .orderBy(asc(addresses.ipHex), asc(addresses.id))
    .all();
  let adopted = 0;
  for (const a of candidates) {
    const taken = tx.select({ k: poolClaims.ownerKind }).from(poolClaims).where(and(eq(poolClaims.poolId, pool.id), eq(poolClaims.ipHex, a.hex))).get();
    if (taken) continue;
    claimAddress(tx, pool.id, a.hex, { kind: 'address', id: a.id }, events);
    tx.update(addresses).set({ poolId: pool.id, networkId: pool.networkId }).where(eq(addresses.id, a.id)).run();
    adopted++;
  }
  return adopted;
}
