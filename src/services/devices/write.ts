// The synchronous core of device writes, shared by the single verbs (save, delete) and the bulk
// verbs, which run many of them in one transaction. Callers check permissions and audit.
import { eq } from 'drizzle-orm';
import type { Device, SaveDeviceInput } from '../../../schemas/devices.ts';
import type { CallerContext } from '../../auth/context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { deviceDomains, devices, deviceTags } from '../../db/schema/index.ts';
import { validationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import type { EventSink } from '../events/outbox.ts';
import { releaseOwner } from '../pools/space.ts';
import { unindexDocument } from '../search/index-doc.ts';
import { addressesOf, resolveAddresses, writeAddresses } from './addresses.ts';
import { assertDatacenterExists, getDeviceRowOrThrow, indexDevice, loadDevice, statusActor, type DeviceRow } from './internal.ts';

const unique = (values: readonly string[]): string[] => [...new Set(values)];
const isoDate = (s: string | null | undefined): string | null | undefined => (s ? new Date(s).toISOString() : s);

function replaceTags(tx: DbOrTx, deviceId: string, tags: readonly string[]): void {
  tx.delete(deviceTags).where(eq(deviceTags.deviceId, deviceId)).run();
  for (const tag of unique(tags)) tx.insert(deviceTags).values({ deviceId, tag }).run();
}

function replaceDomains(tx: DbOrTx, deviceId: string, domains: readonly string[]): void {
  tx.delete(deviceDomains).where(eq(deviceDomains.deviceId, deviceId)).run();
  for (const domain of unique(domains)) tx.insert(deviceDomains).values({ deviceId, domain }).run();
}

type Fields = Omit<SaveDeviceInput, 'id'>;

export function createDeviceTx(tx: DbOrTx, ctx: CallerContext, now: string, input: Fields, events: EventSink): Device {
  if (input.name === undefined) throw validationError('name', 'is required');
  if (input.datacenter_id) assertDatacenterExists(tx, input.datacenter_id);
  const id = newId();
  const resolved = resolveAddresses(tx, [], input.addresses ?? []);
  const row: DeviceRow = {
    id,
    name: input.name,
    hostname: input.hostname ?? '',
    description: input.description ?? '',
    makeModel: input.make_model ?? '',
    os: input.os ?? '',
    username: input.username ?? '',
    location: input.location ?? '',
    datacenterId: input.datacenter_id ?? null,
    status: input.status ?? 'active',
    statusChangedAt: now,
    statusChangedBy: statusActor(ctx),
    decommissionDate: isoDate(input.decommission_date) ?? null,
    createdAt: now,
    updatedAt: now,
  };
  tx.insert(devices).values(row).run();
  writeAddresses(tx, id, [], resolved, events);
  if (input.tags) replaceTags(tx, id, input.tags);
  if (input.domains) replaceDomains(tx, id, input.domains);
  const out = loadDevice(tx, id);
  indexDevice(tx, out);
  return out;
}

/** Partial update: only the keys present in `input` change. */
export function updateDeviceTx(tx: DbOrTx, ctx: CallerContext, now: string, id: string, input: Fields, events: EventSink): { before: Device; after: Device } {
  const beforeRow = getDeviceRowOrThrow(tx, id);
  const before = loadDevice(tx, id);
  if (input.datacenter_id) assertDatacenterExists(tx, input.datacenter_id);
  const statusChanged = input.status !== undefined && input.status !== beforeRow.status;
  const row: DeviceRow = {
    ...beforeRow,
    ...(input.name !== undefined && { name: input.name }),
    ...(input.hostname !== undefined && { hostname: input.hostname }),
    ...(input.description !== undefined && { description: input.description }),
    ...(input.make_model !== undefined && { makeModel: input.make_model }),
    ...(input.os !== undefined && { os: input.os }),
    ...(input.username !== undefined && { username: input.username }),
    ...(input.location !== undefined && { location: input.location }),
    ...(input.datacenter_id !== undefined && { datacenterId: input.datacenter_id }),
    ...(input.decommission_date !== undefined && { decommissionDate: isoDate(input.decommission_date) ?? null }),
    ...(statusChanged && { status: input.status!, statusChangedAt: now, statusChangedBy: statusActor(ctx) }),
    updatedAt: now,
  };
  if (input.addresses !== undefined) {
    const existing = addressesOf(tx, id);
    writeAddresses(tx, id, existing, resolveAddresses(tx, existing, input.addresses), events);
  }
  tx.update(devices).set(row).where(eq(devices.id, id)).run();
  if (input.tags !== undefined) replaceTags(tx, id, input.tags);
  if (input.domains !== undefined) replaceDomains(tx, id, input.domains);
  const after = loadDevice(tx, id);
  indexDevice(tx, after);
  return { before, after };
}

/** Deletes a device: its pool claims are released; addresses, tags, domains and relationships cascade. */
export function deleteDeviceTx(tx: DbOrTx, id: string, field?: string): Device {
  const before = loadDevice(tx, getDeviceRowOrThrow(tx, id, field).id);
  for (const a of before.addresses) releaseOwner(tx, { kind: 'address', id: a.id });
  tx.delete(devices).where(eq(devices.id, id)).run();
  unindexDocument(tx, 'device', id);
  return before;
}
