// MAC addresses of IPv6 hosts from the kernel's neighbour table. /proc/net/arp holds IPv4 only
// and Node has no netlink, so the table comes from iproute2's `ip -j -6 neigh show`, run without
// a shell, with a timeout and a bounded output. Where `ip` is missing, too old for -j, or fails,
// IPv6 hosts simply get no MAC: the first failure turns the lookups off for the rest of the scan.
import { execFile } from 'node:child_process';
import { formatIp, parseIp } from '../net/ip.ts';

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
/** Entries whose link-layer address is not (or no longer) known. */
const UNRESOLVED = new Set(['INCOMPLETE', 'FAILED', 'NONE']);
const RUN_TIMEOUT_MS = 2_000;
/** A router's table can be large; more than this is not read. */
const MAX_OUTPUT = 8 * 1024 * 1024;

const canonical = (ip: string): string | undefined => {
  const parsed = parseIp(ip.split('%', 1)[0]!);
  return parsed?.family === 6 ? formatIp(parsed) : undefined;
};

/**
 * Parses `ip -j -6 neigh show`: [{"dst":"fe80::1","dev":"eth0","lladdr":"52:54:00:12:34:56",
 * "state":["REACHABLE"]}, …]. Entries without a usable MAC (incomplete, failed, all-zero) are
 * skipped; addresses are keyed in canonical (RFC 5952) form. Anything unparseable yields nothing.
 */
export function parseIpNeighJson(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch {
    return out;
  }
  if (!Array.isArray(rows)) return out;
  for (const row of rows as { dst?: unknown; lladdr?: unknown; state?: unknown }[]) {
    if (typeof row?.dst !== 'string' || typeof row.lladdr !== 'string') continue;
    const mac = row.lladdr.toLowerCase();
    if (!MAC.test(mac) || mac === '00:00:00:00:00:00') continue;
    if (Array.isArray(row.state) && row.state.some((s) => UNRESOLVED.has(String(s)))) continue;
    const ip = canonical(row.dst);
    if (ip) out.set(ip, mac);
  }
  return out;
}

/** Where the table text comes from (tests pass their own). */
export type NeighbourSource = () => Promise<string>;

export const ipCommandSource =
  (bin = 'ip'): NeighbourSource =>
  () =>
    new Promise((resolve, reject) =>
      execFile(bin, ['-j', '-6', 'neigh', 'show'], { timeout: RUN_TIMEOUT_MS, maxBuffer: MAX_OUTPUT, windowsHide: true }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      ),
    );

/**
 * The IPv6 neighbour table of one scan, re-read when older than maxAgeMs — or older than
 * missAgeMs when the address is not in it (a host that just answered may have been added since).
 * Concurrent lookups share one read.
 */
export class Ipv6Neighbours {
  private table = new Map<string, string>();
  private readAt = -Infinity;
  private reading: Promise<void> | undefined;
  private off = false;

  constructor(
    private readonly source: NeighbourSource = ipCommandSource(),
    private readonly maxAgeMs = 5_000,
    private readonly missAgeMs = 500,
  ) {}

  /** False once reading the table failed (no `ip`, no -j): lookups then answer undefined at once. */
  get available(): boolean {
    return !this.off;
  }

  private refresh(): Promise<void> {
    this.reading ??= this.source()
      .then(
        (text) => {
          this.table = parseIpNeighJson(text);
        },
        () => {
          this.off = true;
          this.table = new Map();
        },
      )
      .finally(() => {
        this.readAt = performance.now();
        this.reading = undefined;
      });
    return this.reading;
  }

  async lookup(ip: string): Promise<string | undefined> {
    const key = canonical(ip);
    if (this.off || !key) return undefined;
    if (performance.now() - this.readAt > this.maxAgeMs) await this.refresh();
    const hit = this.table.get(key);
    if (hit !== undefined || this.off || performance.now() - this.readAt <= this.missAgeMs) return hit;
    await this.refresh();
    return this.table.get(key);
  }
}
