// The background runner's writes: scan state transitions, throttled progress (which renews the
// scan's lease, as does the owner's heartbeat), and the batched upsert of found hosts per
// (network, ip) — an existing row keeps its id and first_seen, a MAC or host name that changed is
// remembered in facts (previous_mac / previous_hostname) for the drift report. The hosts a flush finds for the first time are audited in the same transaction as one
// discovery.device_found entry whose `after` lists them (one webhook event per host).
import type Database from 'better-sqlite3';
import type { CallerContext } from '../../auth/context.ts';
import type { HostReport } from '../../discovery/enrich.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { audited, type AuditRecorder } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { ipKey } from '../pools/space.ts';
import { getScanOrThrow, toScan } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';
import type { Db } from '../../db/client.ts';

export interface Counts {
  scanned: number;
  found: number;
  total: number;
}

/** The scan row disappeared (its network was deleted, or the scan itself) while it ran. */
export class ScanGoneError extends Error {}

type Statements = ReturnType<typeof prepare>;
/** What a flush compares a host's new report with: the stored row's content columns. */
interface Prev {
  hex: string;
  id: string;
  mac: string;
  hostname: string;
  vendor: string;
  os: string;
  type: string;
  confidence: number;
  status: string;
  ports: string;
  services: string;
  facts: string;
}
const cache = new WeakMap<Database.Database, Statements>();

// Raw prepared statements with positional parameters: a /16 can find 65,534 hosts, and building a
// query per host, or binding one by names, would cost more than running it. The rows a flush may
// update are read in one statement per flush, and the rows whose content did not change (most of
// a repeated scan) are touched in one statement too.
function prepare(db: Database.Database) {
  return {
    existing: db.prepare<[string, string], Prev>(
      `SELECT ip_hex AS hex, id, mac_address AS mac, hostname, vendor, os_guess AS os, device_type AS type, confidence, status,
              open_ports AS ports, services, facts
         FROM discovered_devices WHERE network_id = ? AND ip_hex IN (SELECT value FROM json_each(?))`,
    ),
    known: db.prepare<[string, string], { n: number }>(
      'SELECT count(*) AS n FROM discovered_devices WHERE network_id = ? AND ip_hex IN (SELECT value FROM json_each(?))',
    ),
    // (better-sqlite3 binds numbered parameters by name only: plain ? throughout, `now` repeated.)
    insert: db.prepare<[string, string, string, string, string, string, string, string, string, number, string, string, string, string, string, string, string, string, string]>(
      `INSERT INTO discovered_devices (id, network_id, ip, ip_hex, mac_address, hostname, vendor, os_guess, device_type, confidence,
              status, open_ports, services, facts, last_scan_id, first_seen, last_seen, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    update: db.prepare<[string, string, string, string, string, number, string, string, string, string, string, string, string, string]>(
      `UPDATE discovered_devices SET mac_address = ?, hostname = ?, vendor = ?, os_guess = ?, device_type = ?, confidence = ?,
              status = ?, open_ports = ?, services = ?, facts = ?, last_scan_id = ?, last_seen = ?, updated_at = ?
        WHERE id = ?`,
    ),
    touch: db.prepare<[string, string, string, string]>(
      `UPDATE discovered_devices SET last_scan_id = ?, last_seen = ?, updated_at = ? WHERE id IN (SELECT value FROM json_each(?))`,
    ),
    progress: db.prepare(
      `UPDATE discovery_scans SET scanned_hosts = @scanned, found_hosts = @found, progress_percent = @percent, updated_at = @now,
              heartbeat_at = @now
        WHERE id = @id AND status = 'running'`,
    ),
    renew: db.prepare<[string, string]>(`UPDATE discovery_scans SET heartbeat_at = ? WHERE id = ? AND status IN ('pending', 'running')`),
  };
}

/** The statements on one connection: reads on the reader (env.db), writes on a transaction's writer. */
const statements = (conn: Db): Statements => {
  const db = conn.$client;
  let s = cache.get(db);
  if (!s) cache.set(db, (s = prepare(db)));
  return s;
};

export const percentOf = (c: Counts): number => (c.total === 0 ? 100 : Math.round((c.scanned / c.total) * 10_000) / 100);

interface Target {
  scanId: string;
  networkId: string;
}

const factsJson = (facts: Record<string, unknown>): string => {
  for (const _ in facts) return JSON.stringify(facts);
  return '{}';
};

/** ip_hex of a canonical address; IPv4 without the bigint round trip (a /16 has 65,534 of them). */
function hexOf(ip: string): string {
  if (ip.includes(':')) return ipKey(ip)!.hex;
  const [a, b, c, d] = ip.split('.').map(Number) as [number, number, number, number];
  return (((a << 24) >>> 0) + (b << 16) + (c << 8) + d).toString(16).padStart(8, '0');
}

const EMPTY_JSON_ARRAY = '[]';
const jsonArray = (xs: readonly unknown[]): string => (xs.length === 0 ? EMPTY_JSON_ARRAY : JSON.stringify(xs));

/**
 * Writes one host: a new row, an update where its content changed, or (returned false) nothing yet
 * — an unchanged row only needs last_seen, which the flush sets for all of them in one statement.
 */
function upsert(s: Statements, t: Target, r: HostReport, hex: string, prev: Prev | undefined, now: string): { id: string; created: boolean; changed: boolean } {
  // A host that gave no clue (most of a big scan) stores {}: less to write, less WAL.
  const facts: Record<string, unknown> = { ...r.facts };
  if (r.hostnameSource) facts.hostname_source = r.hostnameSource;
  if (r.classification.deviceType.value || r.classification.os.value) {
    facts.classification = { device_type: r.classification.deviceType, os: r.classification.os };
  }
  const type = r.classification.deviceType.value;
  const os = r.classification.os.value;
  const confidence = r.classification.deviceType.confidence;
  const status = type ? `online:${type}` : 'online';
  const ports = jsonArray(r.openPorts);
  const services = jsonArray(r.services);
  let mac = r.mac;
  let vendor = r.vendor;
  let hostname = r.hostname;
  if (!prev) {
    const id = newId();
    s.insert.run(id, t.networkId, r.ip, hex, mac, hostname, vendor, os, type, confidence, status, ports, services, factsJson(facts), t.scanId, now, now, now, now);
    return { id, created: true, changed: true };
  }
  // Only a record that once changed carries previous_* facts worth parsing.
  const old = prev.facts.includes('"previous_') ? (JSON.parse(prev.facts) as Record<string, unknown>) : {};
  // What this scan could not see (no MAC off-segment, no PTR) keeps its last known value.
  mac ||= prev.mac;
  vendor ||= mac === prev.mac ? prev.vendor : '';
  hostname ||= prev.hostname;
  for (const [field, before, after] of [
    ['mac', prev.mac, mac],
    ['hostname', prev.hostname, hostname],
  ] as const) {
    if (before && after && before !== after) {
      facts[`previous_${field}`] = before;
      facts[`${field}_changed_at`] = now;
    } else if (old[`previous_${field}`] !== undefined) {
      facts[`previous_${field}`] = old[`previous_${field}`];
      facts[`${field}_changed_at`] = old[`${field}_changed_at`];
    }
  }
  const factsText = factsJson(facts);
  if (
    mac === prev.mac && hostname === prev.hostname && vendor === prev.vendor && os === prev.os && type === prev.type &&
    confidence === prev.confidence && status === prev.status && ports === prev.ports && services === prev.services && factsText === prev.facts
  ) {
    return { id: prev.id, created: false, changed: false };
  }
  s.update.run(mac, hostname, vendor, os, type, confidence, status, ports, services, factsText, t.scanId, now, now, prev.id);
  return { id: prev.id, created: false, changed: true };
}

/**
 * One flush of the runner: progress counters plus the hosts found since the last flush, in one
 * transaction. Throws ScanGoneError when the scan row no longer exists or is no longer running.
 * Resolves to the number of hosts seen for the first time.
 */
export async function flushFound(env: ServiceEnv, ctx: CallerContext, t: Target, reports: readonly HostReport[], counts: Counts): Promise<number> {
  const now = env.clock.now().toISOString();
  const hexes = reports.map((r) => hexOf(r.ip));
  const hexesJson = JSON.stringify(hexes);
  const write = (audit?: AuditRecorder): Promise<number> =>
    syncWrite(env, (tx) => {
        const s = statements(tx);
        const changed = s.progress.run({ id: t.scanId, scanned: counts.scanned, found: counts.found, percent: percentOf(counts), now }).changes;
        if (changed === 0) throw new ScanGoneError(`scan ${t.scanId} is gone or no longer running`);
        const created: Record<string, unknown>[] = [];
        // The rows this flush may update, in one read inside the write transaction.
        const existing = new Map<string, Prev>();
        if (reports.length > 0) for (const row of s.existing.iterate(t.networkId, hexesJson)) existing.set(row.hex, row);
        const unchanged: string[] = [];
        reports.forEach((r, i) => {
          const out = upsert(s, t, r, hexes[i]!, existing.get(hexes[i]!), now);
          if (out.created) created.push({ id: out.id, network_id: t.networkId, scan_id: t.scanId, ip: r.ip, mac_address: r.mac, hostname: r.hostname, open_ports: r.openPorts });
          else if (!out.changed) unchanged.push(out.id);
        });
        if (unchanged.length > 0) s.touch.run(t.scanId, now, now, JSON.stringify(unchanged));
        if (created.length > 0) audit?.record(tx, { resourceId: t.scanId, after: created, extra: { scan_id: t.scanId, network_id: t.networkId, new_hosts: created.length } });
        return created.length;
      });
  // Audited only when some host is new. Decided from committed rows before the write is queued:
  // only this scan's runner writes these hosts, and it flushes one batch at a time.
  const known = reports.length === 0 ? 0 : statements(env.db).known.get(t.networkId, hexesJson)!.n;
  if (known === reports.length) return write();
  return audited(env, ctx, { action: 'discovery.device_found', resource: 'discovered_device' }, (audit) => write(audit));
}

/**
 * The owner's heartbeat: renews the scan's lease. False when the scan is gone or no longer
 * pending/running (another process cancelled or deleted it): its runner should stop.
 */
export function renewLease(env: ServiceEnv, scanId: string): Promise<boolean> {
  return syncWrite(env, (tx) => statements(tx).renew.run(env.clock.now().toISOString(), scanId).changes > 0);
}

/** pending → running. */
export async function markRunning(env: ServiceEnv, scanId: string): Promise<void> {
  const now = env.clock.now().toISOString();
  const changed = await syncWrite(env, (tx) =>
    tx.$client.prepare(`UPDATE discovery_scans SET status = 'running', started_at = ?, updated_at = ?, heartbeat_at = ? WHERE id = ? AND status = 'pending'`).run(now, now, now, scanId).changes,
  );
  if (changed === 0) throw new ScanGoneError(`scan ${scanId} is gone or no longer pending`);
}

/** running|pending → completed|failed|cancelled, with the last counts; audited as discovery.complete. */
export async function finishScan(
  env: ServiceEnv,
  ctx: CallerContext,
  scanId: string,
  status: 'completed' | 'failed' | 'cancelled',
  errorMessage: string,
  counts: Counts | undefined,
): Promise<void> {
  await audited(env, ctx, { action: 'discovery.complete', resource: 'discovery_scan', resourceId: scanId }, (audit) =>
    syncWrite(env, (tx) => {
        const before = getScanOrThrow(tx, scanId);
        if (before.status !== 'pending' && before.status !== 'running') {
          throw new AppError('CONFLICT', `scan ${scanId} already ended (${before.status})`);
        }
        const now = env.clock.now().toISOString();
        const c = counts ?? { scanned: before.scannedHosts, found: before.foundHosts, total: before.totalHosts };
        tx.$client
          .prepare(
            `UPDATE discovery_scans SET status = ?, error_message = ?, scanned_hosts = ?, found_hosts = ?, progress_percent = ?,
                    completed_at = ?, updated_at = ? WHERE id = ?`,
          )
          .run(status, errorMessage, c.scanned, c.found, status === 'completed' ? 100 : percentOf(c), now, now, scanId);
        audit.record(tx, { resourceId: scanId, after: toScan(getScanOrThrow(tx, scanId)) });
      }),
  );
}
