// discovery_diff: the drift between what discovery saw in a network and what the inventory says,
// for a person or an assistant to act on — a report only, nothing is changed. Three lists:
// hosts seen that no device has an address for; inventory addresses in the subnet discovery has
// not seen for stale_days (or ever); MAC changes discovery saw and host names that differ from
// the matching device (the promoted one, else the device holding the IP).
import { sql } from 'drizzle-orm';
import { DiffInputSchema, type Diff } from '../../../schemas/discovery.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getNetworkOrThrow } from '../networks/internal.ts';

const bare = (h: string) => h.trim().toLowerCase().replace(/\.$/, '');

/** web01 and web01.example.com name the same host; web01.a.com and web01.b.com do not. */
export function sameHostname(a: string, b: string): boolean {
  const x = bare(a);
  const y = bare(b);
  if (x === y) return true;
  if (x.includes('.') && y.includes('.')) return false;
  return x.split('.')[0] === y.split('.')[0];
}

interface ChangeRow {
  id: string;
  ip: string;
  mac: string;
  hostname: string;
  prev_mac: string | null;
  mac_changed_at: string | null;
  device_id: string | null;
  device_name: string | null;
  device_hostname: string | null;
}

export async function discoveryDiff(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Diff> {
  return audited(env, ctx, { action: 'discovery.diff', resource: 'network', resourceId: (raw as { network_id?: string })?.network_id, read: true }, () => {
    requirePermission(ctx, 'discovery:read');
    const input = DiffInputSchema.parse(raw);
    const net = getNetworkOrThrow(env.db, input.network_id);
    const now = env.clock.now();
    const cutoff = new Date(now.getTime() - input.stale_days * 86_400_000).toISOString();
    const db = env.db;

    const unknownWhere = sql`d.network_id = ${net.id} AND NOT EXISTS (SELECT 1 FROM addresses a WHERE a.family = ${net.family} AND a.ip_hex = d.ip_hex)`;
    const notInInventory = db.all<Diff['not_in_inventory'][number]>(sql`
      SELECT d.id AS discovered_id, d.ip, d.mac_address, d.hostname, d.vendor, d.device_type, d.last_seen
        FROM discovered_devices d WHERE ${unknownWhere} ORDER BY d.ip_hex LIMIT ${input.limit}`);
    const notInInventoryTotal = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM discovered_devices d WHERE ${unknownWhere}`)!.n;

    const staleWhere = sql`a.family = ${net.family} AND a.ip_hex BETWEEN ${net.startHex} AND ${net.endHex}
      AND (d.last_seen IS NULL OR d.last_seen < ${cutoff})`;
    const staleFrom = sql`addresses a JOIN devices dev ON dev.id = a.device_id
      LEFT JOIN discovered_devices d ON d.network_id = ${net.id} AND d.ip_hex = a.ip_hex`;
    const notSeen = db.all<Diff['not_seen'][number]>(sql`
      SELECT dev.id AS device_id, dev.name AS device_name, a.id AS address_id, a.ip, d.last_seen
        FROM ${staleFrom} WHERE ${staleWhere} ORDER BY a.ip_hex, dev.name LIMIT ${input.limit}`);
    const notSeenTotal = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${staleFrom} WHERE ${staleWhere}`)!.n;

    const candidates = db.all<ChangeRow>(sql`
      SELECT d.id, d.ip, d.mac_address AS mac, d.hostname,
             json_extract(d.facts, '$.previous_mac') AS prev_mac, json_extract(d.facts, '$.mac_changed_at') AS mac_changed_at,
             dev.id AS device_id, dev.name AS device_name, dev.hostname AS device_hostname
        FROM discovered_devices d
        LEFT JOIN devices dev ON dev.id = COALESCE(d.promoted_to_device_id,
             (SELECT a.device_id FROM addresses a WHERE a.family = ${net.family} AND a.ip_hex = d.ip_hex ORDER BY a.id LIMIT 1))
       WHERE d.network_id = ${net.id}
         AND ((json_extract(d.facts, '$.previous_mac') IS NOT NULL AND json_extract(d.facts, '$.previous_mac') <> '')
              OR (dev.id IS NOT NULL AND d.hostname <> '' AND dev.hostname <> '' AND lower(d.hostname) <> lower(dev.hostname)))
       ORDER BY d.ip_hex`);
    const changes: Diff['changes'] = [];
    for (const c of candidates) {
      const device = { device_id: c.device_id, device_name: c.device_name ?? '' };
      if (c.prev_mac && c.prev_mac !== c.mac) {
        changes.push({ discovered_id: c.id, ...device, ip: c.ip, field: 'mac_address', expected: c.prev_mac, observed: c.mac, changed_at: c.mac_changed_at });
      }
      if (c.device_id && c.hostname && c.device_hostname && !sameHostname(c.hostname, c.device_hostname)) {
        changes.push({ discovered_id: c.id, ...device, ip: c.ip, field: 'hostname', expected: c.device_hostname, observed: c.hostname, changed_at: null });
      }
    }
    return {
      network_id: net.id,
      subnet: net.subnet,
      stale_days: input.stale_days,
      generated_at: now.toISOString(),
      not_in_inventory: notInInventory,
      not_seen: notSeen.map((r) => ({ ...r, last_seen: r.last_seen ?? null })),
      changes: changes.slice(0, input.limit),
      totals: { not_in_inventory: notInInventoryTotal, not_seen: notSeenTotal, changes: changes.length },
    };
  });
}
