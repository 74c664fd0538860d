// Wire contracts of devices, their addresses, tags and domains, and the bulk device operations.
// Leaf module: imports nothing from src/.
import { isIP } from 'node:net';
import { z } from 'zod';
import { displayText, IdSchema, plainText, TimestampInput, TimestampSchema } from './common.ts';
import { SaveNetworkInputSchema } from './networks.ts';
import { PageInputShape, pageOutput } from './paging.ts';

export const DEVICE_STATUSES = ['planned', 'active', 'maintenance', 'decommissioned'] as const;
export const DeviceStatusSchema = z
  .enum(DEVICE_STATUSES)
  .describe('Lifecycle status: planned, active, maintenance or decommissioned');
export type DeviceStatus = z.infer<typeof DeviceStatusSchema>;

export const AddressSchema = z
  .object({
    id: IdSchema.describe('Address id; stable across device updates that send it back'),
    ip: z.string().describe('IP address in canonical form (IPv6 compressed per RFC 5952)'),
    type: z.string().describe('Address type, normally ipv4 or ipv6'),
    port: z.number().int().nullable().describe('Service port (1–65535), null when not set'),
    label: z.string().describe('Label, e.g. mgmt or eth0'),
    network_id: IdSchema.nullable().describe('Network holding the address, null when none'),
    pool_id: IdSchema.nullable().describe('Pool holding the address, null when none; the address is then in use in that pool'),
    switch_port: z.string().describe('Switch port the interface is patched to'),
  })
  .describe('An IP address of a device');
export type Address = z.infer<typeof AddressSchema>;

export const DeviceSchema = z
  .object({
    id: IdSchema,
    name: z.string().describe('Device name'),
    hostname: z.string().describe('Host name (RFC 1123), empty when not set'),
    description: z.string().describe('Description'),
    make_model: z.string().describe('Make and model'),
    os: z.string().describe('Operating system'),
    username: z.string().describe('Login user name used to manage the device'),
    location: z.string().describe('Free-text location, e.g. rack and unit'),
    datacenter_id: IdSchema.nullable().describe('Datacenter the device is in, null when not set'),
    status: DeviceStatusSchema,
    status_changed_at: TimestampSchema.nullable().describe('When the status last changed (set at creation too)'),
    status_changed_by: z.string().nullable().describe('User id (or system actor) that last changed the status'),
    decommission_date: TimestampSchema.nullable().describe('Planned or actual decommission date, null when not set'),
    tags: z.array(z.string()).describe('Tags, sorted'),
    domains: z.array(z.string()).describe('DNS domains of the device, sorted'),
    addresses: z.array(AddressSchema).describe('IP addresses, in the order they were given'),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .describe('A device (server, switch, appliance, …) with its addresses, tags and domains');
export type Device = z.infer<typeof DeviceSchema>;

const LABEL = '[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?';
export const HOSTNAME_PATTERN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

/** A valid IPv4 or IPv6 address without a zone id; the service stores it in canonical form. */
export const IpInput = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64)
  .refine((s) => isIP(s) !== 0 && !s.includes('%'), 'must be a valid IPv4 or IPv6 address')
  .describe('IPv4 or IPv6 address');

export const TagInput = displayText().trim().min(1, 'must not be blank').max(128).describe('Tag');
const Hostname = z
  .string()
  .trim()
  .max(253)
  .regex(new RegExp(`^$|${HOSTNAME_PATTERN.source}`), 'must be an RFC 1123 host name (letters, digits, hyphens; dot-separated labels of ≤63)')
  .describe('Host name (RFC 1123); empty clears it');
const Domain = z
  .string()
  .trim()
  .min(1, 'must not be blank')
  .max(253)
  .regex(HOSTNAME_PATTERN, 'must be a DNS name (dot-separated labels of letters, digits and hyphens)')
  .describe('DNS domain');
const Text255 = (what: string) => displayText().trim().max(255).describe(what);

export const AddressInputSchema = z
  .object({
    id: IdSchema.optional().describe('Id of an existing address to keep; omit for a new one'),
    ip: IpInput,
    type: displayText().trim().min(1).max(64).optional().describe('Type; default ipv4 or ipv6'),
    port: z.number().int().min(1).max(65535).nullable().optional().describe('Service port; null clears it'),
    label: displayText().trim().max(128).optional().describe('Label, e.g. mgmt'),
    network_id: IdSchema.nullable().optional().describe('Network; default: the most specific one holding the IP'),
    pool_id: IdSchema.nullable().optional().describe('Pool; default: the one holding the IP'),
    switch_port: displayText().trim().max(255).optional().describe('Switch port'),
  })
  .strict()
  .describe('An address of the device');
export type AddressInput = z.infer<typeof AddressInputSchema>;

const deviceFields = {
  name: displayText().trim().min(1, 'is required').max(255).optional().describe('Device name (required on create)'),
  hostname: Hostname.optional(),
  description: plainText().max(4096).optional().describe('Description'),
  make_model: Text255('Make and model').optional(),
  os: Text255('Operating system').optional(),
  username: Text255('Login user name for managing it').optional(),
  location: Text255('Free-text location, e.g. rack and unit').optional(),
  datacenter_id: IdSchema.nullable().optional().describe('Datacenter; null clears it'),
  status: DeviceStatusSchema.optional().describe('Lifecycle status (default active)'),
  decommission_date: TimestampInput.nullable().optional().describe('Decommission date (RFC 3339); null clears it'),
  tags: z.array(TagInput).max(256).optional().describe('Tags; replace the whole list'),
  domains: z.array(Domain).max(256).optional().describe('DNS domains; replace the whole list'),
  addresses: z
    .array(AddressInputSchema)
    .max(256)
    .optional()
    .describe('Addresses; replace the whole list'),
};

export const SaveDeviceInputSchema = z
  .object({ id: IdSchema.optional().describe('Give to update; omit to create'), ...deviceFields })
  .strict();
export type SaveDeviceInput = z.infer<typeof SaveDeviceInputSchema>;

export const StaleFlag = z
  .boolean()
  .describe('true: only active devices unchanged for stale_days');

export const DEVICE_SORTS = ['name', 'hostname', 'status', 'created_at', 'updated_at'] as const;
export const DeviceSortSchema = z.enum([...DEVICE_SORTS, ...DEVICE_SORTS.map((s) => `-${s}` as const)]);

export const ListDevicesInputSchema = z
  .object({
    query: z.string().trim().min(1).max(256).optional().describe('Words to match (prefixes) in names, hostnames, descriptions, IPs, tags …'),
    tags: z.array(TagInput).max(32).optional().describe('Only devices with all these tags'),
    datacenter_id: IdSchema.optional().describe('Only devices in this datacenter'),
    network_id: IdSchema.optional().describe('Only devices with an address in this network'),
    pool_id: IdSchema.optional().describe('Only devices with an address in this pool'),
    status: DeviceStatusSchema.optional().describe('Only devices with this status'),
    stale: StaleFlag.optional(),
    stale_days: z.int().min(1).max(3650).optional().describe('Stale after this many days unchanged (default 7); implies stale'),
    sort: DeviceSortSchema.optional().describe('Order: name (default), hostname, status, created_at or updated_at; a leading "-" sorts descending'),
    ...PageInputShape,
  })
  .strict();
export type ListDevicesInput = z.infer<typeof ListDevicesInputSchema>;
export const DevicePageSchema = pageOutput(DeviceSchema);

export const DevicesOfInputSchema = z.object({ id: IdSchema.describe('Datacenter or network id'), ...PageInputShape }).strict();

export const DeviceStatusCountsSchema = z
  .object({
    planned: z.number().int(),
    active: z.number().int(),
    maintenance: z.number().int(),
    decommissioned: z.number().int(),
  })
  .describe('Number of devices in each status (all four keys always present)');

// Bulk (REST only, all-or-nothing in one transaction).
export const BULK_MAX = 100;
export const BulkCreateDevicesInputSchema = z
  .object({ devices: z.array(z.object(deviceFields).strict()).min(1).max(BULK_MAX).describe(`Devices to create (1–${BULK_MAX})`) })
  .strict();
export const BulkUpdateDevicesInputSchema = z
  .object({
    devices: z
      .array(z.object({ id: IdSchema.describe('Device to update'), ...deviceFields }).strict())
      .min(1)
      .max(BULK_MAX)
      .describe(`Partial updates (1–${BULK_MAX}); fields not sent keep their values`),
  })
  .strict();
export const BulkIdsInputSchema = z
  .object({ ids: z.array(IdSchema).min(1).max(BULK_MAX).describe(`Ids (1–${BULK_MAX})`) })
  .strict();
export const BulkTagsInputSchema = z
  .object({
    device_ids: z.array(IdSchema).min(1).max(BULK_MAX).describe(`Devices (1–${BULK_MAX})`),
    tags: z.array(TagInput).min(1).max(256).describe('Tags to add or remove'),
  })
  .strict();
export const BulkResultSchema = z
  .object({
    total: z.number().int().describe('Items in the request'),
    success: z.number().int().describe('Items applied (all of them: bulk operations are all-or-nothing)'),
    failed: z.number().int().describe('Items that failed (always 0 in a successful response)'),
    errors: z.array(z.string()).describe('Always empty in a successful response; failures answer 400 with details'),
    ids: z.array(IdSchema).describe('Ids of the items created, updated or deleted, in request order'),
  })
  .describe('Outcome of a bulk operation');
export type BulkResult = z.infer<typeof BulkResultSchema>;

// Bulk network create/delete (REST only) lives with the device bulk operations it mirrors.
export const BulkCreateNetworksInputSchema = z
  .object({
    networks: z
      .array(SaveNetworkInputSchema.omit({ id: true }).required({ name: true, subnet: true }).strict())
      .min(1)
      .max(BULK_MAX)
      .describe(`Networks to create (1–${BULK_MAX}), each as for POST /api/networks`),
  })
  .strict();
