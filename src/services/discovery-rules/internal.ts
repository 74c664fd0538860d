// Shared by the discovery-rule verbs and the schedule runner: row mapping, exclude parsing and
// the next run (last run, or now, plus interval_hours).
import { eq } from 'drizzle-orm';
import type { DiscoveryRule } from '../../../schemas/schedules.ts';
import type { DbOrTx } from '../../db/client.ts';
import { discoveryRules } from '../../db/schema/index.ts';
import { formatCidr, formatIp, parseCidr, parseIp } from '../../net/ip.ts';
import { notFound, validationError } from '../../platform/errors.ts';

export type DiscoveryRuleRow = typeof discoveryRules.$inferSelect;

export function parseExcludes(text: string): string[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export const toDiscoveryRule = (r: DiscoveryRuleRow): DiscoveryRule => ({
  id: r.id,
  network_id: r.networkId,
  enabled: r.enabled,
  scan_type: r.scanType as DiscoveryRule['scan_type'],
  profile_id: r.profileId ?? null,
  interval_hours: r.intervalHours,
  exclude_ips: parseExcludes(r.excludeIps),
  last_run_at: r.lastRunAt ?? null,
  next_run_at: r.nextRunAt ?? null,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

export function getDiscoveryRuleOrThrow(db: DbOrTx, id: string): DiscoveryRuleRow {
  const row = db.select().from(discoveryRules).where(eq(discoveryRules.id, id)).get();
  if (!row) throw notFound('Discovery rule', id);
  return row;
}

/**
 * Each entry is an address or a CIDR of the network's IP version (another version would make
 * every run of the rule fail), returned in canonical form (duplicates dropped).
 */
export function normalizeExcludes(items: readonly string[], network: { subnet: string; family: number }): string[] {
  const out = new Set<string>();
  items.forEach((item, i) => {
    const parsed = item.includes('/') ? parseCidr(item) : parseIp(item);
    if (!parsed) throw validationError(`exclude_ips[${i}]`, `"${item}" is not an IP address or CIDR`);
    if (parsed.family !== network.family) {
      throw validationError(`exclude_ips[${i}]`, `"${item}" is IPv${parsed.family} but the network ${network.subnet} is IPv${network.family}`);
    }
    out.add('prefix' in parsed ? formatCidr(parsed) : formatIp(parsed));
  });
  return [...out];
}

export const nextRuleRun = (from: Date, intervalHours: number): string => new Date(from.getTime() + intervalHours * 3_600_000).toISOString();
