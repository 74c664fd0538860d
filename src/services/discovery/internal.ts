// Shared by the discovery verbs and the background runner: row mapping, lookups and the rule that
// turns a network plus an exclude list into the addresses a scan may probe.
import { eq } from 'drizzle-orm';
import type { DiscoveredDevice, DiscoveryScan } from '../../../schemas/discovery.ts';
import type { DbOrTx } from '../../db/client.ts';
import { discoveredDevices, discoveryScans } from '../../db/schema/index.ts';
import { scanTargets, hostCapacity, MAX_SCAN_HOSTS, type ScanTargets } from '../../discovery/scanner.ts';
import { cidrSize, parseCidr, type Cidr } from '../../net/ip.ts';
import { AppError, notFound } from '../../platform/errors.ts';

export type ScanRow = typeof discoveryScans.$inferSelect;
export type DiscoveredRow = typeof discoveredDevices.$inferSelect;

const json = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

export const toScan = (r: ScanRow): DiscoveryScan => ({
  id: r.id,
  network_id: r.networkId,
  profile_id: r.profileId ?? null,
  status: r.status,
  scan_type: r.scanType,
  exclude: json<string[]>(r.exclude, []),
  ports: json<number[]>(r.ports, []),
  total_hosts: r.totalHosts,
  scanned_hosts: r.scannedHosts,
  found_hosts: r.foundHosts,
  progress_percent: r.progressPercent,
  error_message: r.errorMessage,
  started_by: r.startedBy,
  started_at: r.startedAt ?? null,
  completed_at: r.completedAt ?? null,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

export const toDiscovered = (r: DiscoveredRow): DiscoveredDevice => ({
  id: r.id,
  network_id: r.networkId,
  ip: r.ip,
  mac_address: r.macAddress,
  hostname: r.hostname,
  vendor: r.vendor,
  os_guess: r.osGuess,
  device_type: r.deviceType,
  confidence: r.confidence,
  status: r.status,
  open_ports: json<number[]>(r.openPorts, []),
  services: json<DiscoveredDevice['services']>(r.services, []),
  facts: json<Record<string, unknown>>(r.facts, {}),
  last_scan_id: r.lastScanId ?? null,
  first_seen: r.firstSeen,
  last_seen: r.lastSeen,
  promoted_to_device_id: r.promotedToDeviceId ?? null,
  promoted_at: r.promotedAt ?? null,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

export function getScanOrThrow(db: DbOrTx, id: string): ScanRow {
  const row = db.select().from(discoveryScans).where(eq(discoveryScans.id, id)).get();
  if (!row) throw notFound('Discovery scan', id);
  return row;
}

export function getDiscoveredOrThrow(db: DbOrTx, id: string): DiscoveredRow {
  const row = db.select().from(discoveredDevices).where(eq(discoveredDevices.id, id)).get();
  if (!row) throw notFound('Discovered device', id);
  return row;
}

/**
 * The addresses a scan of `subnet` may probe: never outside the subnet, never more than a /16
 * (65,534 hosts) — a larger subnet is refused with a VALIDATION_ERROR that says what to do.
 */
export function targetsOf(subnet: string, exclude: readonly string[]): ScanTargets {
  const net = parseCidr(subnet);
  if (!net) throw new AppError('VALIDATION_ERROR', `network_id: the network's subnet ${subnet} cannot be parsed`);
  if (hostCapacity(net) === undefined) {
    const size = cidrSize(net);
    const what = net.family === 4 ? `a /${net.prefix} (${size.toLocaleString('en-US')} addresses)` : `a /${net.prefix} of IPv6 (more than ${MAX_SCAN_HOSTS.toLocaleString('en-US')} hosts)`;
    throw new AppError(
      'VALIDATION_ERROR',
      `network_id: ${subnet} is ${what}; a discovery scan covers at most a /16 or ${MAX_SCAN_HOSTS.toLocaleString('en-US')} hosts — create smaller networks (e.g. /16 or /24) inside it and scan those`,
      { details: [{ field: 'network_id', message: `subnet ${subnet} is larger than a /16 (${MAX_SCAN_HOSTS} hosts)` }] },
    );
  }
  const cidrs: Cidr[] = [];
  exclude.forEach((text, i) => {
    const c = parseCidr(text);
    if (!c) throw new AppError('VALIDATION_ERROR', `exclude[${i}]: must be an IP address or a CIDR`, { details: [{ field: `exclude[${i}]`, message: 'must be an IP address or a CIDR' }] });
    if (c.family !== net.family) {
      const message = `is IPv${c.family} but the network is IPv${net.family}`;
      throw new AppError('VALIDATION_ERROR', `exclude[${i}]: ${message}`, { details: [{ field: `exclude[${i}]`, message }] });
    }
    cidrs.push(c);
  });
  return scanTargets(net, cidrs);
}
