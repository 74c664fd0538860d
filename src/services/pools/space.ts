// The address space of a pool: which addresses are claimed (pool_claims, one row per address in
// use, whoever uses it) and which ranges are free (pool_free_ranges). Both change together inside
// the caller's write transaction, so next-free is one index seek however full the pool is, and
// the claims' primary key makes a double allocation impossible even across processes.
import { and, asc, desc, eq, gte, lte, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { poolClaims, poolFreeRanges } from '../../db/schema/index.ts';
import { bitsOf, formatIp, parseIp, type Family, type Ip } from '../../net/ip.ts';
import { AppError } from '../../platform/errors.ts';
import type { EventSink } from '../events/outbox.ts';
import { publishUtilizationCrossing } from './utilization-event.ts';

export type ClaimOwner = { kind: 'address' | 'reservation'; id: string };

export const hexWidth = (family: Family): number => bitsOf(family) / 4;
export const toHex = (ip: Ip): string => ip.value.toString(16).padStart(hexWidth(ip.family), '0');
export const fromHex = (family: Family, hex: string): Ip => ({ family, value: BigInt(`0x${hex}`) });
export const hexToText = (family: Family, hex: string): string => formatIp(fromHex(family, hex));
const step = (family: Family, hex: string, delta: 1n | -1n): string => toHex({ family, value: BigInt(`0x${hex}`) + delta });

/** Canonical text and hex of an address; undefined when it does not parse. */
export function ipKey(text: string): { ip: string; family: Family; hex: string } | undefined {
  const ip = parseIp(text);
  return ip ? { ip: formatIp(ip), family: ip.family, hex: toHex(ip) } : undefined;
}

export const familyOfHex = (hex: string): Family => (hex.length === 8 ? 4 : 6);

/** A new pool starts as one free range covering its whole span. */
export function initPoolSpace(tx: DbOrTx, poolId: string, startHex: string, endHex: string): void {
  tx.insert(poolFreeRanges).values({ poolId, startHex, endHex }).run();
}

/** Removes one address from the free ranges (splitting the range that holds it). */
function carve(tx: DbOrTx, poolId: string, hex: string): void {
  const family = familyOfHex(hex);
  const range = tx
    .select()
    .from(poolFreeRanges)
    .where(and(eq(poolFreeRanges.poolId, poolId), lte(poolFreeRanges.startHex, hex)))
    .orderBy(desc(poolFreeRanges.startHex))
    .limit(1)
    .get();
  if (!range || range.endHex < hex) return;
  tx.delete(poolFreeRanges).where(and(eq(poolFreeRanges.poolId, poolId), eq(poolFreeRanges.startHex, range.startHex))).run();
  if (range.startHex < hex) tx.insert(poolFreeRanges).values({ poolId, startHex: range.startHex, endHex: step(family, hex, -1n) }).run();
  if (hex < range.endHex) tx.insert(poolFreeRanges).values({ poolId, startHex: step(family, hex, 1n), endHex: range.endHex }).run();
}

/**
 * Claims a specific address; IP_NOT_AVAILABLE when something else already uses it. `events` is
 * the sink of the verb's caller: a claim can take the pool past its utilization threshold.
 */
export function claimAddress(tx: DbOrTx, poolId: string, hex: string, owner: ClaimOwner, events: EventSink): void {
  const taken = tx.select().from(poolClaims).where(and(eq(poolClaims.poolId, poolId), eq(poolClaims.ipHex, hex))).get();
  if (taken) {
    if (taken.ownerKind === owner.kind && taken.ownerId === owner.id) return;
    throw new AppError('IP_NOT_AVAILABLE', `${hexToText(familyOfHex(hex), hex)} is already in use in this pool (by ${taken.ownerKind === 'address' ? 'a device address' : 'a reservation'})`, {
      details: [{ field: 'ip', message: `in use by ${taken.ownerKind} ${taken.ownerId}` }],
    });
  }
  tx.insert(poolClaims).values({ poolId, ipHex: hex, ownerKind: owner.kind, ownerId: owner.id }).run();
  carve(tx, poolId, hex);
  // Every claim passes here, so this is where a pool crossing its utilization threshold is seen.
  publishUtilizationCrossing(tx, poolId, events);
}

/** Returns an address to the free ranges, merging with its neighbours. */
export function releaseAddress(tx: DbOrTx, poolId: string, hex: string): void {
  const gone = tx.delete(poolClaims).where(and(eq(poolClaims.poolId, poolId), eq(poolClaims.ipHex, hex))).run().changes;
  if (gone === 0) return;
  const family = familyOfHex(hex);
  let startHex = hex;
  let endHex = hex;
  const prev = tx
    .select()
    .from(poolFreeRanges)
    .where(and(eq(poolFreeRanges.poolId, poolId), lte(poolFreeRanges.startHex, hex)))
    .orderBy(desc(poolFreeRanges.startHex))
    .limit(1)
    .get();
  if (prev && prev.endHex >= hex) return; // already free (should not happen; stay consistent)
  if (prev && step(family, prev.endHex, 1n) === hex) {
    startHex = prev.startHex;
    tx.delete(poolFreeRanges).where(and(eq(poolFreeRanges.poolId, poolId), eq(poolFreeRanges.startHex, prev.startHex))).run();
  }
  const nextStart = step(family, hex, 1n);
  const next = tx.select().from(poolFreeRanges).where(and(eq(poolFreeRanges.poolId, poolId), eq(poolFreeRanges.startHex, nextStart))).get();
  if (next && nextStart.length === hex.length) {
    endHex = next.endHex;
    tx.delete(poolFreeRanges).where(and(eq(poolFreeRanges.poolId, poolId), eq(poolFreeRanges.startHex, next.startHex))).run();
  }
  tx.insert(poolFreeRanges).values({ poolId, startHex, endHex }).run();
}

/** Releases every claim of one owner (e.g. all addresses of a deleted device). */
export function releaseOwner(tx: DbOrTx, owner: ClaimOwner): void {
  const claims = tx.select().from(poolClaims).where(and(eq(poolClaims.ownerKind, owner.kind), eq(poolClaims.ownerId, owner.id))).all();
  for (const c of claims) releaseAddress(tx, c.poolId, c.ipHex);
}

/** The lowest free address of the pool, or undefined when it is full. One index seek. */
export function nextFreeHex(tx: DbOrTx, poolId: string): string | undefined {
  return tx
    .select({ startHex: poolFreeRanges.startHex })
    .from(poolFreeRanges)
    .where(eq(poolFreeRanges.poolId, poolId))
    .orderBy(asc(poolFreeRanges.startHex))
    .limit(1)
    .get()?.startHex;
}

/** Picks and claims the lowest free address; IP_NOT_AVAILABLE when the pool is exhausted. */
export function claimNext(tx: DbOrTx, poolId: string, owner: ClaimOwner, events: EventSink): string {
  const hex = nextFreeHex(tx, poolId);
  if (hex === undefined) throw new AppError('IP_NOT_AVAILABLE', 'The pool has no free address left');
  claimAddress(tx, poolId, hex, owner, events);
  return hex;
}

export function claimCount(tx: DbOrTx, poolId: string): number {
  return tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM pool_claims WHERE pool_id = ${poolId}`).n;
}

/**
 * Recomputes the free ranges from the claims for a (possibly changed) span, e.g. after a pool's
 * start or end moved. Claims outside the new span make it a CONFLICT. O(claims), so only for
 * rare changes; allocation never calls it.
 */
export function rebuildPoolSpace(tx: DbOrTx, poolId: string, startHex: string, endHex: string): void {
  const family = familyOfHex(startHex);
  const outside = tx.get<{ n: number }>(
    sql`SELECT count(*) AS n FROM pool_claims WHERE pool_id = ${poolId} AND (ip_hex < ${startHex} OR ip_hex > ${endHex} OR length(ip_hex) <> ${startHex.length})`,
  ).n;
  if (outside > 0) {
    throw new AppError('CONFLICT', `${outside} address(es) in use lie outside the new range; release them first`, {
      details: [{ field: 'start_ip', message: `${outside} used address(es) outside the range` }],
    });
  }
  tx.delete(poolFreeRanges).where(eq(poolFreeRanges.poolId, poolId)).run();
  let cursor = startHex;
  let exhausted = false;
  const claims = tx
    .select({ hex: poolClaims.ipHex })
    .from(poolClaims)
    .where(and(eq(poolClaims.poolId, poolId), gte(poolClaims.ipHex, startHex), lte(poolClaims.ipHex, endHex)))
    .orderBy(asc(poolClaims.ipHex))
    .all();
  for (const { hex } of claims) {
    if (hex > cursor) tx.insert(poolFreeRanges).values({ poolId, startHex: cursor, endHex: step(family, hex, -1n) }).run();
    if (hex === endHex) {
      exhausted = true;
      break;
    }
    cursor = step(family, hex, 1n);
  }
  if (!exhausted && cursor <= endHex) tx.insert(poolFreeRanges).values({ poolId, startHex: cursor, endHex }).run();
}
