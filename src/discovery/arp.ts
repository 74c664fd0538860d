// MAC addresses from the kernel's neighbour table (/proc/net/arp on Linux). Discovery never sends
// ARP itself: the TCP probes make the kernel resolve every local-segment address it contacts, so
// after a host answered, its MAC is in this table. Re-read at most every few seconds per scan.
import { readFileSync } from 'node:fs';

export const ARP_TABLE_PATH = '/proc/net/arp';
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/**
 * Parses the table: "IP address  HW type  Flags  HW address  Mask  Device". Incomplete entries
 * (flags 0x0) and the all-zero MAC are skipped.
 */
export function parseArpTable(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n').slice(1)) {
    const [ip, , flags, mac] = line.trim().split(/\s+/);
    if (!ip || !mac || !flags) continue;
    const m = mac.toLowerCase();
    if (!MAC.test(m) || m === '00:00:00:00:00:00' || Number.parseInt(flags, 16) === 0) continue;
    out.set(ip, m);
  }
  return out;
}

/**
 * The table, re-read when older than maxAgeMs — or older than missAgeMs when the address is not in
 * it, because a host that just answered may have been added since. Empty where the file does not
 * exist (non-Linux).
 */
export class ArpCache {
  private table = new Map<string, string>();
  private readAt = -Infinity;

  constructor(
    private readonly maxAgeMs = 5_000,
    private readonly missAgeMs = 500,
    private readonly path = ARP_TABLE_PATH,
  ) {}

  private refresh(now: number): void {
    this.readAt = now;
    try {
      this.table = parseArpTable(readFileSync(this.path, 'utf8'));
    } catch {
      this.table = new Map();
    }
  }

  lookup(ip: string): string | undefined {
    const now = performance.now();
    if (now - this.readAt > this.maxAgeMs) this.refresh(now);
    const hit = this.table.get(ip);
    if (hit !== undefined || now - this.readAt <= this.missAgeMs) return hit;
    this.refresh(now);
    return this.table.get(ip);
  }
}
