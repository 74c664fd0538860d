// Vendor names from the IEEE registries (MA-L, MA-M, MA-S) shipped by the maintained `oui-data`
// package. Loaded on the first lookup only (a scan that sees no MAC never pays for it), keeping
// just the organisation name of each prefix.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let table: Map<string, string> | undefined;

function load(): Map<string, string> {
  const file = createRequire(import.meta.url).resolve('oui-data');
  // Read and parse rather than require(): require would keep the whole 5 MB object cached.
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  const out = new Map<string, string>();
  for (const [prefix, entry] of Object.entries(raw)) out.set(prefix, (entry.split('\n', 1)[0] ?? '').trim());
  return out;
}

/** Upper-case hex digits of a MAC written with colons, dashes, dots or nothing. */
export const macHex = (mac: string): string => mac.replace(/[^0-9a-fA-F]/g, '').toUpperCase();

/**
 * The registered organisation of a MAC's prefix, longest registry match first (MA-S 36 bits,
 * MA-M 28, MA-L 24); '' for unknown prefixes and for locally administered (randomised) MACs.
 */
export function vendorOf(mac: string): string {
  const hex = macHex(mac);
  if (hex.length !== 12) return '';
  if ((Number.parseInt(hex.slice(0, 2), 16) & 0x02) !== 0) return '';
  table ??= load();
  return table.get(hex.slice(0, 9)) ?? table.get(hex.slice(0, 7)) ?? table.get(hex.slice(0, 6)) ?? '';
}
