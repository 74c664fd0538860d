// Wire contracts of network discovery: scans, the devices they found, promotion into the
// inventory and the drift report. Leaf module: imports nothing from src/.
import { isIP } from 'node:net';
import { z } from 'zod';
import { displayText, IdSchema, TimestampSchema } from './common.ts';
import { PageInputShape, pageOutput } from './paging.ts';
import { SaveDeviceInputSchema } from './devices.ts';

export const SCAN_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export const ScanStatusSchema = z.enum(SCAN_STATUSES).describe('pending → running → completed, failed or cancelled');

export const DiscoveryScanSchema = z
  .object({
    id: IdSchema,
    network_id: IdSchema.describe('The network scanned; a scan never leaves its subnet'),
    profile_id: IdSchema.nullable().describe('Scan profile used, null for a plain scan_type scan'),
    status: ScanStatusSchema,
    scan_type: z.string().describe('quick, full, deep or custom (explicit or profile ports)'),
    exclude: z.array(z.string()).describe('Addresses and CIDRs skipped'),
    ports: z
      .array(z.number().int())
      .describe('TCP ports probed on every host: the explicit ports, the profile\'s (with its ssh_port), or the scan type\'s set; empty for scans recorded before rackd kept them'),
    total_hosts: z.number().int().describe('Addresses to probe (the subnet minus network/broadcast and exclusions)'),
    scanned_hosts: z.number().int().describe('Addresses probed so far'),
    found_hosts: z.number().int().describe('Hosts that answered so far (an open port, or a refused connection)'),
    progress_percent: z.number().describe('scanned_hosts / total_hosts × 100'),
    error_message: z.string().describe('Why the scan failed or stopped; empty otherwise'),
    started_by: z.string().describe('User name (or system job) that started the scan'),
    started_at: TimestampSchema.nullable().describe('When probing began, null while pending'),
    completed_at: TimestampSchema.nullable().describe('When the scan ended (completed, failed or cancelled)'),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .describe('A discovery scan of one network');
export type DiscoveryScan = z.infer<typeof DiscoveryScanSchema>;

export const DiscoveredServiceSchema = z
  .object({
    port: z.number().int().describe('Port number'),
    protocol: z.enum(['tcp', 'udp']).describe('Transport'),
    service: z.string().describe('Service name from the banner, else the port\'s well-known name'),
    version: z.string().describe('Product and version from the banner (e.g. OpenSSH_9.2p1 Debian-2), empty when unknown'),
    banner: z.string().describe('First line the service sent (HTTP: status line and Server header), printable characters only'),
  })
  .describe('A service seen on an open port');

export const DiscoveredDeviceSchema = z
  .object({
    id: IdSchema,
    network_id: IdSchema.describe('Network the host was found in'),
    ip: z.string().describe('IP address'),
    mac_address: z.string().describe('MAC from the neighbour (ARP) table or SNMP, empty when unknown'),
    hostname: z.string().describe('Best host name (SSH, then SNMP sysName, then reverse DNS), empty when unknown'),
    vendor: z.string().describe('Organisation registered for the MAC prefix (IEEE OUI registry)'),
    os_guess: z.string().describe('Operating-system guess, empty when no clue'),
    device_type: z.string().describe('Device-type guess: server, workstation, router, switch, firewall, printer, iot, mobile, nas, access_point, phone, camera; empty when no clue'),
    confidence: z.number().int().describe('Confidence of the device-type guess, 0–100 (the OS guess has its own in facts.classification)'),
    status: z.string().describe('online, or online:<device_type>'),
    open_ports: z.array(z.number().int()).describe('Open TCP ports'),
    services: z.array(DiscoveredServiceSchema).describe('Services on the open ports (and SNMP when it answered)'),
    facts: z.record(z.string(), z.unknown()).describe('Further facts: classification reasons, SNMP/SSH results, previous_mac/previous_hostname after a change'),
    last_scan_id: IdSchema.nullable().describe('Scan that last saw the host'),
    first_seen: TimestampSchema.describe('First time a scan found the host'),
    last_seen: TimestampSchema.describe('Last time a scan found the host'),
    promoted_to_device_id: IdSchema.nullable().describe('Inventory device created from this record, null when not promoted (or that device was deleted)'),
    promoted_at: TimestampSchema.nullable().describe('When it was promoted'),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .describe('A host found by discovery, one per (network, ip)');
export type DiscoveredDevice = z.infer<typeof DiscoveredDeviceSchema>;

const Port = z.number().int().min(1).max(65535);
const ExcludeEntry = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((s) => {
    const [addr, len, extra] = s.split('/');
    if (extra !== undefined || !addr || isIP(addr) === 0) return false;
    return len === undefined || (/^\d{1,3}$/.test(len) && Number(len) <= (isIP(addr) === 4 ? 32 : 128));
  }, 'must be an IP address or a CIDR such as 10.0.0.0/28')
  .describe('An address or CIDR to skip');

export const StartScanInputSchema = z
  .object({
    network_id: IdSchema.describe('Network to scan, every address (at most a /16)'),
    scan_type: z
      .enum(['quick', 'full', 'deep', 'custom'])
      .optional()
      .describe('quick (22, 80, 443, 3389; default), full (16 ports), deep (top 100), custom (with ports). Not with profile_id'),
    profile_id: IdSchema.optional().describe('Scan profile (ports, SNMP/SSH credentials, limits)'),
    ports: z.array(Port).min(1).max(1024).optional().describe('Explicit TCP ports (a custom scan). Not with profile_id'),
    exclude: z.array(ExcludeEntry).max(1024).optional().describe('Addresses or CIDRs inside the subnet not to probe'),
    reverse_dns: z.boolean().optional().describe('Look up PTR names of found hosts (default true)'),
    wait: z.boolean().optional().describe('Wait for the scan to end and return it (MCP only)'),
    max_wait_seconds: z.number().int().min(1).max(120).optional().describe('With wait: stop waiting after this many seconds (default 60); the scan goes on'),
  })
  .strict();
export type StartScanInput = z.infer<typeof StartScanInputSchema>;

export const ListScansInputSchema = z
  .object({
    network_id: IdSchema.optional().describe('Only scans of this network'),
    status: ScanStatusSchema.optional().describe('Only scans in this status'),
    ...PageInputShape,
  })
  .strict();
export const ScanPageSchema = pageOutput(DiscoveryScanSchema);

export const ListDiscoveredInputSchema = z
  .object({
    network_id: IdSchema.optional().describe('Only hosts found in this network'),
    promoted: z.boolean().optional().describe('true: only promoted hosts; false: only the others'),
    ...PageInputShape,
  })
  .strict();
export const DiscoveredPageSchema = pageOutput(DiscoveredDeviceSchema);

export const NetworkIdInputSchema = z.object({ network_id: IdSchema.describe('Network whose discovered hosts are deleted') }).strict();
export const DeletedCountSchema = z.object({
  status: z.literal('deleted'),
  network_id: IdSchema.describe('Network'),
  deleted: z.number().int().describe('Discovered hosts deleted'),
});

const deviceFields = SaveDeviceInputSchema.shape;
export const PromoteInputSchema = z
  .object({
    discovered_id: IdSchema.describe('Discovered host to turn into an inventory device'),
    name: displayText().trim().min(1, 'is required').max(255).describe('Name of the new device (required)'),
    hostname: deviceFields.hostname.describe('Host name; default: the discovered one'),
    make_model: deviceFields.make_model.describe('Make and model; default: the MAC vendor'),
    os: deviceFields.os.describe('Operating system; default: the OS guess'),
    description: deviceFields.description.describe('Description; default: a summary of what was seen'),
    datacenter_id: deviceFields.datacenter_id,
    status: deviceFields.status,
    tags: deviceFields.tags,
  })
  .strict();

export const DiffInputSchema = z
  .object({
    network_id: IdSchema.describe('Network to compare'),
    stale_days: z.int().min(1).max(3650).default(7).describe('Report inventory addresses unseen for this many days (default 7)'),
    limit: z.int().min(1).max(10_000).default(1000).describe('Maximum entries in each list (default 1000)'),
  })
  .strict();

export const DiffSchema = z
  .object({
    network_id: IdSchema.describe('Network compared'),
    subnet: z.string().describe('Its subnet'),
    stale_days: z.number().int().describe('Days without a sighting after which an inventory address is reported'),
    generated_at: TimestampSchema.describe('When the report was computed'),
    not_in_inventory: z
      .array(
        z.object({
          discovered_id: IdSchema.describe('Discovered host'),
          ip: z.string().describe('Its address (no device in the inventory has it)'),
          mac_address: z.string().describe('MAC, if known'),
          hostname: z.string().describe('Host name, if known'),
          vendor: z.string().describe('MAC vendor'),
          device_type: z.string().describe('Device-type guess'),
          last_seen: TimestampSchema.describe('Last sighting'),
        }),
      )
      .describe('Hosts discovery saw that no inventory device has an address for'),
    not_seen: z
      .array(
        z.object({
          device_id: IdSchema.describe('Inventory device'),
          device_name: z.string().describe('Its name'),
          address_id: IdSchema.describe('The address'),
          ip: z.string().describe('The address\'s IP'),
          last_seen: TimestampSchema.nullable().describe('Last sighting by discovery, null when never seen'),
        }),
      )
      .describe('Inventory addresses in this network that discovery has not seen for stale_days days, or never'),
    changes: z
      .array(
        z.object({
          discovered_id: IdSchema.describe('Discovered host'),
          device_id: IdSchema.nullable().describe('Matching inventory device (promoted from it, or holding its IP); null when none'),
          device_name: z.string().describe('Its name, empty when none'),
          ip: z.string().describe('The address'),
          field: z.enum(['mac_address', 'hostname']).describe('What differs'),
          expected: z.string().describe('Inventory value (hostname) or the MAC discovery saw before'),
          observed: z.string().describe('What discovery saw last'),
          changed_at: TimestampSchema.nullable().describe('When discovery saw the change, when known'),
        }),
      )
      .describe('MAC changes seen by discovery and host names that differ from the inventory'),
    totals: z
      .object({
        not_in_inventory: z.number().int().describe('All such hosts (the list may be cut at limit)'),
        not_seen: z.number().int().describe('All such addresses'),
        changes: z.number().int().describe('All such changes'),
      })
      .describe('Counts before the limit was applied'),
  })
  .describe('Drift between discovery and the inventory for one network — a report only; nothing is changed');
export type Diff = z.infer<typeof DiffSchema>;
