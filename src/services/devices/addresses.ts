// A device's address list: resolving what the caller sent against what is stored (ids kept,
// per-address partial update, network and pool derived from the IP) and writing it together with
// the pool claims, so an address inside a pool is always "in use" there and never handed out twice.
import { and, desc, eq, gte, lte } from 'drizzle-orm';
import type { AddressInput } from '../../../schemas/devices.ts';
import type { DbOrTx } from '../../db/client.ts';
import { addresses, networkPools, networks } from '../../db/schema/index.ts';
import { AppError, validationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { EventSink } from '../events/outbox.ts';
import { claimAddress, ipKey, releaseOwner } from '../pools/space.ts';
import { notFoundIn, type AddressRow } from './internal.ts';

export type ResolvedAddress = Omit<AddressRow, 'deviceId'>;
type PoolRow = typeof networkPools.$inferSelect;

const inPool = (p: PoolRow, family: number, hex: string): boolean => p.family === family && p.startHex <= hex && hex <= p.endHex;

function poolOfNetwork(tx: DbOrTx, networkId: string, family: number, hex: string): PoolRow | undefined {
  return tx
    .select()
    .from(networkPools)
    .where(and(eq(networkPools.networkId, networkId), eq(networkPools.family, family), lte(networkPools.startHex, hex), gte(networkPools.endHex, hex)))
    .orderBy(desc(networkPools.startHex))
    .limit(1)
    .get();
}

/** The pool holding the address in the most specific network that has one. */
function anyPool(tx: DbOrTx, family: number, hex: string): PoolRow | undefined {
  return tx
    .select({ pool: networkPools })
    .from(networkPools)
    .innerJoin(networks, eq(networks.id, networkPools.networkId))
    .where(and(eq(networkPools.family, family), lte(networkPools.startHex, hex), gte(networkPools.endHex, hex)))
    .orderBy(desc(networks.prefix), desc(networkPools.startHex))
    .limit(1)
    .get()?.pool;
}

function mostSpecificNetwork(tx: DbOrTx, family: number, hex: string): string | null {
  const row = tx
    .select({ id: networks.id })
    .from(networks)
    .where(and(eq(networks.family, family), lte(networks.startHex, hex), gte(networks.endHex, hex)))
    .orderBy(desc(networks.prefix))
    .limit(1)
    .get();
  return row?.id ?? null;
}

/**
 * Turns the sent list into the rows to store. An entry with `id` must be an address of this
 * device and keeps the fields it does not send (network too, unless its IP changed). Pool rule:
 * an explicit pool must contain the IP; otherwise the pool containing the IP is found (in the
 * address's network if it has one, else in any network, most specific first), because an address
 * inside a pool is in use there whether or not the caller said so.
 */
export function resolveAddresses(tx: DbOrTx, existing: readonly AddressRow[], inputs: readonly AddressInput[]): ResolvedAddress[] {
  const byId = new Map(existing.map((a) => [a.id, a]));
  const seen = new Set<string>();
  return inputs.map((input, i) => {
    const at = (f: string) => `addresses[${i}].${f}`;
    const key = ipKey(input.ip);
    if (!key) throw validationError(at('ip'), 'must be a valid IPv4 or IPv6 address');
    let prior: AddressRow | undefined;
    if (input.id !== undefined) {
      prior = byId.get(input.id);
      if (!prior) throw validationError(at('id'), 'is not an address of this device (omit id for a new address)');
      if (seen.has(input.id)) throw validationError(at('id'), 'appears twice in the list');
      seen.add(input.id);
    }
    const sameIp = prior !== undefined && prior.family === key.family && prior.ipHex === key.hex;

    let networkId: string | null = null;
    let explicitNetwork = false;
    if (input.network_id) {
      if (!tx.select({ id: networks.id }).from(networks).where(eq(networks.id, input.network_id)).get()) {
        throw notFoundIn('Network', input.network_id, at('network_id'));
      }
      networkId = input.network_id;
      explicitNetwork = true;
    } else if (input.network_id === undefined && sameIp) {
      networkId = prior!.networkId;
    }

    let pool: PoolRow | undefined;
    if (input.pool_id) {
      pool = tx.select().from(networkPools).where(eq(networkPools.id, input.pool_id)).get();
      if (!pool) throw notFoundIn('Pool', input.pool_id, at('pool_id'));
      if (!inPool(pool, key.family, key.hex)) {
        throw validationError(at('pool_id'), `${key.ip} is not inside pool ${pool.name} (${pool.startIp}–${pool.endIp})`);
      }
      if (explicitNetwork && networkId !== pool.networkId) {
        throw validationError(at('network_id'), `differs from the network of pool ${pool.name}`);
      }
    } else if (networkId) {
      pool = poolOfNetwork(tx, networkId, key.family, key.hex);
    } else {
      pool = anyPool(tx, key.family, key.hex);
    }
    if (pool) networkId = pool.networkId;
    else if (!networkId && !explicitNetwork) networkId = mostSpecificNetwork(tx, key.family, key.hex);

    const defaultType = key.family === 4 ? 'ipv4' : 'ipv6';
    return {
      id: prior?.id ?? newId(),
      position: i,
      ip: key.ip,
      family: key.family,
      ipHex: key.hex,
      type: input.type ?? (prior && prior.family === key.family ? prior.type : defaultType),
      port: input.port !== undefined ? input.port : (prior?.port ?? null),
      label: input.label ?? prior?.label ?? '',
      networkId,
      poolId: pool?.id ?? null,
      switchPort: input.switch_port ?? prior?.switchPort ?? '',
    };
  });
}

/**
 * Stores the resolved list in place of `existing`: claims of addresses removed or moved are
 * released first (so two addresses may swap IPs), then every address in a pool claims its IP.
 */
export function writeAddresses(tx: DbOrTx, deviceId: string, existing: readonly AddressRow[], next: readonly ResolvedAddress[], events: EventSink): void {
  const nextById = new Map(next.map((a) => [a.id, a]));
  for (const old of existing) {
    const n = nextById.get(old.id);
    if (!n || n.poolId !== old.poolId || n.ipHex !== old.ipHex) releaseOwner(tx, { kind: 'address', id: old.id });
    if (!n) tx.delete(addresses).where(eq(addresses.id, old.id)).run();
  }
  const kept = new Set(existing.map((a) => a.id));
  for (const a of next) {
    if (kept.has(a.id)) tx.update(addresses).set(a).where(eq(addresses.id, a.id)).run();
    else tx.insert(addresses).values({ ...a, deviceId }).run();
  }
  next.forEach((a, i) => {
    if (!a.poolId) return;
    try {
      claimAddress(tx, a.poolId, a.ipHex, { kind: 'address', id: a.id }, events);
    } catch (err) {
      if (err instanceof AppError && err.code === 'IP_NOT_AVAILABLE') {
        throw new AppError('IP_NOT_AVAILABLE', err.message, { details: [{ field: `addresses[${i}].ip`, message: err.details?.[0]?.message ?? 'in use' }] });
      }
      throw err;
    }
  });
}

export const addressesOf = (tx: DbOrTx, deviceId: string): AddressRow[] =>
  tx.select().from(addresses).where(eq(addresses.deviceId, deviceId)).all();
