// Shared reads and helpers of the device domain: row → wire mapping with children loaded in
// batches (no N+1), lookups that throw NOT_FOUND, and the device's search document.
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Device } from '../../../schemas/devices.ts';
import { userIdOf, usernameOf, type CallerContext } from '../../auth/context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { generationCache } from '../../db/generation.ts';
import { perDb } from '../../db/prepared.ts';
import { addresses, datacenters, deviceDomains, devices, deviceTags } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { indexDocument } from '../search/index-doc.ts';

export type DeviceRow = typeof devices.$inferSelect;
export type AddressRow = typeof addresses.$inferSelect;

export const toAddress = (a: AddressRow): Device['addresses'][number] => ({
  id: a.id,
  ip: a.ip,
  type: a.type,
  port: a.port,
  label: a.label,
  network_id: a.networkId,
  pool_id: a.poolId,
  switch_port: a.switchPort,
});

const group = <T>(rows: T[], key: (r: T) => string): Map<string, T[]> => {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
};

type TagRow = typeof deviceTags.$inferSelect;
type DomainRow = typeof deviceDomains.$inferSelect;

const toDevice = (r: DeviceRow, addrs: AddressRow[] = [], tags: TagRow[] = [], domains: DomainRow[] = []): Device => ({
  id: r.id,
  name: r.name,
  hostname: r.hostname,
  description: r.description,
  make_model: r.makeModel,
  os: r.os,
  username: r.username,
  location: r.location,
  datacenter_id: r.datacenterId,
  status: r.status,
  status_changed_at: r.statusChangedAt,
  status_changed_by: r.statusChangedBy,
  decommission_date: r.decommissionDate,
  tags: tags.map((t) => t.tag),
  domains: domains.map((d) => d.domain),
  addresses: addrs.map(toAddress),
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

/** Maps device rows to wire devices, loading addresses, tags and domains in three queries. */
export function toDevices(db: DbOrTx, rows: DeviceRow[]): Device[] {
  if (rows.length === 0) return [];
  if (rows.length === 1) return [loadChildren(db, rows[0]!)];
  const ids = rows.map((r) => r.id);
  const addrs = group(
    db.select().from(addresses).where(inArray(addresses.deviceId, ids)).orderBy(asc(addresses.position), asc(addresses.id)).all(),
    (a) => a.deviceId,
  );
  const tags = group(db.select().from(deviceTags).where(inArray(deviceTags.deviceId, ids)).orderBy(asc(deviceTags.tag)).all(), (t) => t.deviceId);
  const domains = group(
    db.select().from(deviceDomains).where(inArray(deviceDomains.deviceId, ids)).orderBy(asc(deviceDomains.domain)).all(),
    (d) => d.deviceId,
  );
  return rows.map((r) => toDevice(r, addrs.get(r.id), tags.get(r.id), domains.get(r.id)));
}

// One device is the hot path (device_get, every save's answer): prepared once per connection.
const deviceById = perDb((db) => db.select().from(devices).where(eq(devices.id, sql.placeholder('id'))).prepare());
const addressesOf = perDb((db) =>
  db.select().from(addresses).where(eq(addresses.deviceId, sql.placeholder('id'))).orderBy(asc(addresses.position), asc(addresses.id)).prepare(),
);
const tagsOf = perDb((db) => db.select().from(deviceTags).where(eq(deviceTags.deviceId, sql.placeholder('id'))).orderBy(asc(deviceTags.tag)).prepare());
const domainsOf = perDb((db) =>
  db.select().from(deviceDomains).where(eq(deviceDomains.deviceId, sql.placeholder('id'))).orderBy(asc(deviceDomains.domain)).prepare(),
);

function loadChildren(db: DbOrTx, r: DeviceRow): Device {
  const p = { id: r.id };
  return toDevice(r, addressesOf(db).all(p), tagsOf(db).all(p), domainsOf(db).all(p));
}

/** NOT_FOUND naming the entity and, when given, the input field that referred to it. */
export const notFoundIn = (entity: string, id: string, field?: string): AppError =>
  new AppError('NOT_FOUND', `${entity} not found: ${id}`, field ? { details: [{ field, message: `${entity.toLowerCase()} ${id} not found` }] } : {});

export function getDeviceRowOrThrow(db: DbOrTx, id: string, field?: string): DeviceRow {
  const row = deviceById(db).get({ id });
  if (!row) throw notFoundIn('Device', id, field);
  return row;
}

export const loadDevice = (db: DbOrTx, id: string): Device => loadChildren(db, getDeviceRowOrThrow(db, id));

const committedDevices = generationCache<Device>(2048);

function freezeDevice(d: Device): Device {
  for (const a of d.addresses) Object.freeze(a);
  Object.freeze(d.addresses);
  Object.freeze(d.tags);
  Object.freeze(d.domains);
  return Object.freeze(d);
}

/**
 * A device as committed, for reads outside transactions (device_get): one frozen object shared by
 * every reader until the database's generation moves (db/generation.ts), so a repeated read costs a
 * map lookup instead of four queries and their row mapping. Inside a transaction, or for a write's
 * own before/after images, use loadDevice: those must see the transaction's rows.
 */
export function readDevice(db: DbOrTx, id: string): Device {
  const cache = committedDevices(db);
  let d = cache?.get(id);
  if (!d) {
    d = freezeDevice(loadDevice(db, id));
    cache?.set(id, d);
  }
  return d;
}

export function assertDatacenterExists(db: DbOrTx, id: string, field = 'datacenter_id'): void {
  const row = db.select({ id: datacenters.id }).from(datacenters).where(eq(datacenters.id, id)).get();
  if (!row) throw notFoundIn('Datacenter', id, field);
}

/** Who a status change is attributed to: the user id, else the system/CLI actor's name. */
export const statusActor = (ctx: CallerContext): string => userIdOf(ctx) ?? usernameOf(ctx);

/** Writes the device's search document (call in the same transaction as the change). */
export function indexDevice(tx: DbOrTx, d: Device): void {
  indexDocument(tx, 'device', d.id, d.name, [
    d.hostname,
    d.description,
    d.make_model,
    d.os,
    d.location,
    ...d.tags,
    ...d.domains,
    ...d.addresses.map((a) => a.ip),
  ]);
}

/** Re-reads a device and rewrites its search document, for writers outside this domain (e.g. ip_allocate). */
export function reindexDevice(tx: DbOrTx, id: string): void {
  indexDevice(tx, loadDevice(tx, id));
}
