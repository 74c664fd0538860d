// Shared by the network verbs (and by pools, dashboard and search): row mapping, subnet parsing
// and the exact utilization count, which reads an index range and never enumerates a subnet.
import { and, eq, gte, isNull, lte, sql } from 'drizzle-orm';
import type { Network, NetworkUtilization } from '../../../schemas/networks.ts';
import type { DbOrTx } from '../../db/client.ts';
import { addresses, datacenters, networks } from '../../db/schema/index.ts';
import { cidrSize, formatCidr, lastAddress, parseCidr, type Family } from '../../net/ip.ts';
import { AppError, notFound, validationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { loadDevice } from '../devices/internal.ts';
import type { EventSink } from '../events/outbox.ts';
import { toHex } from '../pools/space.ts';
import { indexDocument, unindexDocument } from '../search/index-doc.ts';

export type NetworkRow = typeof networks.$inferSelect;

export const toNetwork = (r: NetworkRow): Network => ({
  id: r.id,
  name: r.name,
  subnet: r.subnet,
  family: r.family as Family,
  vlan_id: r.vlanId ?? null,
  datacenter_id: r.datacenterId ?? null,
  description: r.description,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

export function getNetworkOrThrow(db: DbOrTx, id: string): NetworkRow {
  const row = db.select().from(networks).where(eq(networks.id, id)).get();
  if (!row) throw notFound('Network', id);
  return row;
}

export function assertDatacenterExists(db: DbOrTx, id: string): void {
  if (!db.select({ id: datacenters.id }).from(datacenters).where(eq(datacenters.id, id)).get()) {
    throw new AppError('NOT_FOUND', `Datacenter not found: ${id}`, { details: [{ field: 'datacenter_id', message: 'no such datacenter' }] });
  }
}

export interface ParsedSubnet {
  subnet: string;
  family: Family;
  prefix: number;
  startHex: string;
  endHex: string;
}

/** Parses a CIDR and clears its host bits: "10.0.0.5/24" becomes 10.0.0.0/24 (canonical text). */
export function parseSubnet(text: string): ParsedSubnet {
  if (!text.includes('/')) throw validationError('subnet', 'must be a CIDR with a prefix length, e.g. 10.0.0.0/24');
  const cidr = parseCidr(text);
  if (!cidr) throw validationError('subnet', 'is not a valid IPv4 or IPv6 CIDR');
  return {
    subnet: formatCidr(cidr),
    family: cidr.family,
    prefix: cidr.prefix,
    startHex: toHex({ family: cidr.family, value: cidr.network }),
    endHex: toHex({ family: cidr.family, value: lastAddress(cidr) }),
  };
}

/**
 * The addresses of a subnet that hosts can use: IPv4 prefixes up to /30 lose the network and
 * broadcast addresses; /31, /32 and IPv6 keep the whole prefix.
 */
export function usableRange(n: { family: number; prefix: number; startHex: string; endHex: string }) {
  const family = n.family as Family;
  const start = BigInt(`0x${n.startHex}`);
  const size = cidrSize({ family, network: start, prefix: n.prefix });
  const trim = family === 4 && n.prefix <= 30 ? 1n : 0n;
  return {
    startHex: toHex({ family, value: start + trim }),
    endHex: toHex({ family, value: BigInt(`0x${n.endHex}`) - trim }),
    total: size - 2n * trim,
  };
}

/** Distinct device addresses inside [startHex, endHex] of one family: one range scan of addresses_ip. */
export function countAddressesInRange(db: DbOrTx, family: number, startHex: string, endHex: string): number {
  return db.get<{ n: number }>(
    sql`SELECT count(DISTINCT ip_hex) AS n FROM addresses WHERE family = ${family} AND ip_hex BETWEEN ${startHex} AND ${endHex}`,
  ).n;
}

export const percent = (used: bigint, total: bigint): number =>
  total === 0n ? 0 : Number((used * 10_000_000n) / total) / 100_000;

export function networkUtilization(db: DbOrTx, r: NetworkRow): NetworkUtilization {
  const usable = usableRange(r);
  const used = countAddressesInRange(db, r.family, usable.startHex, usable.endHex);
  const available = usable.total - BigInt(used);
  return {
    network_id: r.id,
    subnet: r.subnet,
    total_ips: Number(usable.total),
    used_ips: used,
    available_ips: Number(available),
    utilization: percent(BigInt(used), usable.total),
    total_ips_exact: usable.total.toString(),
    available_ips_exact: available.toString(),
  };
}

export const indexNetwork = (tx: DbOrTx, r: NetworkRow): void =>
  indexDocument(tx, 'network', r.id, r.name, [r.subnet, r.description, r.vlanId != null ? `vlan ${r.vlanId}` : '']);

export interface NewNetwork {
  name: string;
  subnet: ParsedSubnet;
  vlan_id?: number | null;
  datacenter_id?: string | null;
  description?: string;
}

/**
 * Device addresses without a network whose IP lies in this network join it, as they would if
 * their device were saved now (devices/addresses.ts derives an address's network from its IP).
 * Addresses already in a network stay there: whether that was chosen or derived is not recorded.
 */
export function adoptAddresses(tx: DbOrTx, n: Pick<NetworkRow, 'id' | 'family' | 'startHex' | 'endHex'>, events: EventSink): number {
  const inside = and(isNull(addresses.networkId), eq(addresses.family, n.family), gte(addresses.ipHex, n.startHex), lte(addresses.ipHex, n.endHex));
  // Subscribers see each device whose addresses moved as device.updated, before and after.
  const before = events.listening(tx)
    ? tx.selectDistinct({ id: addresses.deviceId }).from(addresses).where(inside).all().map((r) => loadDevice(tx, r.id))
    : [];
  const adopted = tx.update(addresses).set({ networkId: n.id }).where(inside).run().changes;
  for (const d of before) events.publish(tx, 'device.updated', { resource_id: d.id, before: d, after: loadDevice(tx, d.id) });
  return adopted;
}

/**
 * Inserts and indexes a network (network_save and the bulk create) and adopts the unassigned
 * addresses inside it; the caller checked the datacenter.
 */
export function insertNetwork(tx: DbOrTx, now: string, n: NewNetwork, events: EventSink): { row: NetworkRow; adopted: number } {
  const row: NetworkRow = {
    id: newId(),
    name: n.name,
    subnet: n.subnet.subnet,
    family: n.subnet.family,
    prefix: n.subnet.prefix,
    startHex: n.subnet.startHex,
    endHex: n.subnet.endHex,
    vlanId: n.vlan_id ?? null,
    datacenterId: n.datacenter_id ?? null,
    description: n.description ?? '',
    createdAt: now,
    updatedAt: now,
  };
  tx.insert(networks).values(row).run();
  indexNetwork(tx, row);
  return { row, adopted: adoptAddresses(tx, row, events) };
}

/**
 * Deletes a network and its search document and returns what it was. Its pools go with it (the
 * foreign keys cascade to pool claims, free ranges, tags, reservations and allocation records);
 * device addresses in it are kept but unlinked (network_id and pool_id set to NULL).
 */
export function removeNetwork(tx: DbOrTx, id: string): Network {
  const before = toNetwork(getNetworkOrThrow(tx, id));
  tx.delete(networks).where(eq(networks.id, id)).run();
  unindexDocument(tx, 'network', id);
  return before;
}
