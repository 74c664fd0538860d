// IP address and CIDR arithmetic on bigints, for IPv4 and IPv6. Used by the proxy trust list,
// IPAM (networks, pools, allocation) and the SSRF guard.
import { isIPv4, isIPv6 } from 'node:net';

export type Family = 4 | 6;

export interface Ip {
  family: Family;
  value: bigint;
}

export interface Cidr {
  family: Family;
  /** Network address (host bits cleared). */
  network: bigint;
  prefix: number;
}

export const bitsOf = (family: Family): number => (family === 4 ? 32 : 128);

function parseV4(s: string): bigint {
  let v = 0n;
  for (const part of s.split('.')) v = (v << 8n) | BigInt(Number(part));
  return v;
}

function parseV6(s: string): bigint {
  let text = s;
  let tail: bigint | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    tail = parseV4(text.slice(lastColon + 1));
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const r = rest !== undefined ? (rest ? rest.split(':') : []) : [];
  const groups = rest !== undefined ? [...h, ...Array<string>(8 - h.length - r.length).fill('0'), ...r] : h;
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(parseInt(g, 16));
  if (tail !== undefined) v = (v & ~0xffffffffn) | tail;
  return v;
}

/** Parses a textual IP address (no zone ids); undefined when invalid. */
export function parseIp(text: string): Ip | undefined {
  const s = text.trim();
  if (isIPv4(s)) return { family: 4, value: parseV4(s) };
  if (isIPv6(s) && !s.includes('%')) return { family: 6, value: parseV6(s) };
  return undefined;
}

const MAPPED_PREFIX = 0xffffn << 32n;

/** ::ffff:a.b.c.d → a.b.c.d; anything else unchanged. */
export function unmapIp(ip: Ip): Ip {
  if (ip.family === 6 && ip.value >> 32n === 0xffffn) return { family: 4, value: ip.value & 0xffffffffn };
  return ip;
}

export const isMappedV4 = (ip: Ip): boolean => ip.family === 6 && (ip.value & ~0xffffffffn) === MAPPED_PREFIX;

export function formatIp(ip: Ip): string {
  if (ip.family === 4) {
    const v = ip.value;
    return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((ip.value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (length ≥ 2) of zero groups, leftmost on ties.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** Normalizes an address to its canonical text form; undefined when invalid. */
export function normalizeIp(text: string): string | undefined {
  const ip = parseIp(text);
  return ip ? formatIp(ip) : undefined;
}

export function maskOf(family: Family, prefix: number): bigint {
  const bits = BigInt(bitsOf(family));
  return ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/** Parses "a.b.c.d/n" or "x::/n"; a bare address is a host route. Host bits are cleared. */
export function parseCidr(text: string, { strict = false } = {}): Cidr | undefined {
  const [addr, len, extra] = text.trim().split('/');
  if (extra !== undefined || addr === undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const max = bitsOf(ip.family);
  if (len !== undefined && !/^\d{1,3}$/.test(len)) return undefined;
  const prefix = len === undefined ? max : Number(len);
  if (prefix > max) return undefined;
  const network = ip.value & maskOf(ip.family, prefix);
  if (strict && network !== ip.value) return undefined;
  return { family: ip.family, network, prefix };
}

export const formatCidr = (c: Cidr): string => `${formatIp({ family: c.family, value: c.network })}/${c.prefix}`;

export function cidrContains(c: Cidr, ip: Ip): boolean {
  const a = c.family === ip.family ? ip : unmapIp(ip);
  return a.family === c.family && (a.value & maskOf(c.family, c.prefix)) === c.network;
}

export function lastAddress(c: Cidr): bigint {
  return c.network | ((1n << BigInt(bitsOf(c.family) - c.prefix)) - 1n);
}

export const cidrSize = (c: Cidr): bigint => 1n << BigInt(bitsOf(c.family) - c.prefix);
