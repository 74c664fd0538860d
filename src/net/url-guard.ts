// The SSRF guard: which outbound URLs and which addresses rackd may send requests to. Used when a
// target URL is saved (webhooks, DNS providers) and again by safe-fetch when it is sent, after
// DNS resolution. Everything here is synchronous and does no I/O.
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { type Ip, type Family, formatIp, parseCidr, parseIp, cidrContains } from './ip.ts';

export type AddressClass = 'public' | 'private' | 'loopback' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

export interface TargetPolicy {
  /** RFC 1918, CGNAT 100.64/10, ULA fc00::/7 and the like (SSRF_ALLOW_PRIVATE_TARGETS). */
  allowPrivate: boolean;
  /** 127/8, ::1, localhost — for tests only (SSRF_ALLOW_LOOPBACK_TARGETS). */
  allowLoopback: boolean;
  /** Refuse http:// (CIMD documents must be fetched over https). */
  httpsOnly: boolean;
}

export interface CheckedTarget {
  url: URL;
  /** The host without IPv6 brackets, as DNS or a socket wants it. */
  hostname: string;
  /** Set when the host is an IP literal (in any form the URL parser accepts): nothing to resolve. */
  address?: string;
}

export const MAX_URL_LENGTH = 2048;

export function policyFromConfig(config: Pick<Config, 'ssrf'>, { httpsOnly }: { httpsOnly: boolean }): TargetPolicy {
  return { allowPrivate: config.ssrf.allowPrivate, allowLoopback: config.ssrf.allowLoopback, httpsOnly };
}

// First match wins, so narrower ranges come before the ones that contain them.
const V4_TABLE: ReadonlyArray<[string, AddressClass]> = [
  ['0.0.0.0/8', 'unspecified'], // "this network": Linux connects 0.0.0.0 to the local host
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'private'], // CGNAT: not on the internet, often a provider's internal network
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'], // includes 169.254.169.254, the cloud metadata service
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['192.88.99.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'private'], // benchmarking; only ever reachable inside a network
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // includes 255.255.255.255
];

// Ranges whose last 32 bits (or, for 6to4, bits 16–47) carry an IPv4 address that decides.
const V6_EMBEDDED: ReadonlyArray<[string, (v: bigint) => bigint]> = [
  ['::ffff:0:0/96', (v) => v & 0xffffffffn], // IPv4-mapped
  ['::ffff:0:0:0/96', (v) => v & 0xffffffffn], // SIIT IPv4-translated
  ['64:ff9b::/96', (v) => v & 0xffffffffn], // NAT64 well-known prefix
  ['::/96', (v) => v & 0xffffffffn], // deprecated IPv4-compatible (:: and ::1 are caught first)
  ['2002::/16', (v) => (v >> 80n) & 0xffffffffn], // 6to4
];

const V6_TABLE: ReadonlyArray<[string, AddressClass]> = [
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['64:ff9b:1::/48', 'private'], // local-use NAT64
  ['100::/64', 'reserved'], // discard
  ['2001::/32', 'reserved'], // Teredo
  ['2001:db8::/32', 'reserved'], // documentation
  ['fc00::/7', 'private'], // unique local
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'private'], // deprecated site-local
  ['ff00::/8', 'multicast'],
];

const compile = <T>(rows: ReadonlyArray<[string, T]>) => rows.map(([c, v]) => [parseCidr(c)!, v] as const);
const V4 = compile(V4_TABLE);
const V6 = compile(V6_TABLE);
const V6_EMB = compile(V6_EMBEDDED);
const GLOBAL_UNICAST = parseCidr('2000::/3')!;

function classifyIp(ip: Ip): AddressClass {
  if (ip.family === 4) {
    for (const [cidr, cls] of V4) if (cidrContains(cidr, ip)) return cls;
    return 'public';
  }
  for (const [cidr, cls] of V6) if (cidr.prefix >= 127 && cidrContains(cidr, ip)) return cls;
  for (const [cidr, extract] of V6_EMB) {
    if (cidrContains(cidr, ip)) return classifyIp({ family: 4, value: extract(ip.value) });
  }
  for (const [cidr, cls] of V6) if (cidrContains(cidr, ip)) return cls;
  // Outside 2000::/3 nothing is assigned for global unicast: refuse rather than guess.
  return cidrContains(GLOBAL_UNICAST, ip) ? 'public' : 'reserved';
}

/** Classifies an IP address (brackets allowed). Anything that does not parse is 'reserved', so it is refused. */
export function classifyAddress(ip: string): AddressClass {
  const text = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const parsed = parseIp(text);
  return parsed ? classifyIp(parsed) : 'reserved';
}

export function isAllowed(cls: AddressClass, policy: Pick<TargetPolicy, 'allowPrivate' | 'allowLoopback'>): boolean {
  if (cls === 'public') return true;
  if (cls === 'private') return policy.allowPrivate;
  if (cls === 'loopback') return policy.allowLoopback;
  return false;
}

const WHY: Record<Exclude<AddressClass, 'public'>, string> = {
  private: 'a private network address (set SSRF_ALLOW_PRIVATE_TARGETS=true to allow internal receivers)',
  loopback: 'a loopback address',
  'link-local': 'a link-local address (where cloud metadata services live)',
  unspecified: 'the unspecified address',
  multicast: 'a multicast address',
  reserved: 'a reserved or non-routable address',
};

const refused = (message: string): AppError =>
  new AppError('VALIDATION_ERROR', `url: ${message}`, { details: [{ field: 'url', message }] });

/** Throws VALIDATION_ERROR when the address is not allowed; `host` names where it came from. */
export function assertAddressAllowed(address: string, policy: TargetPolicy, host?: string): AddressClass {
  const cls = classifyAddress(address);
  if (isAllowed(cls, policy)) return cls;
  const shown = cls === 'reserved' && !parseIp(address) ? address : formatIp(parseIp(address)!);
  const subject = host && host !== address ? `${host} resolves to ${shown}, ` : `${shown} is `;
  throw refused(`target refused: ${subject}${WHY[cls as Exclude<AddressClass, 'public'>]}`);
}

// Whitespace, control and invisible format characters have no business in a URL, and the parser
// silently drops or rewrites some of them (tabs, newlines, backslashes), which is how checks on
// the raw text and on the parsed URL are made to disagree.
const BAD_CHARS = /[\s\p{Cc}\p{Cf}\\]/u;

/** The authority exactly as written ("user@host:port"), or undefined when there is none. */
export function rawAuthority(raw: string): string | undefined {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*)/.exec(raw);
  return m ? m[1] : undefined;
}

/**
 * Checks a target URL before anything is resolved or sent: http/https only (https only when the
 * policy says so), at most 2048 characters, no userinfo, a host, and — when the host is an IP
 * literal in any of the forms the URL parser accepts (2130706433, 0177.0.0.1, 0x7f.1, 127.1,
 * [::ffff:127.0.0.1]) — an address the policy allows. `localhost` and `*.localhost` count as
 * loopback without asking DNS (RFC 6761).
 */
export function checkTargetUrl(raw: string | URL, policy: TargetPolicy): CheckedTarget {
  const text = typeof raw === 'string' ? raw : raw.href;
  if (text.length === 0) throw refused('is required');
  if (text.length > MAX_URL_LENGTH) throw refused(`must be at most ${MAX_URL_LENGTH} characters`);
  if (BAD_CHARS.test(text)) throw refused('must not contain whitespace, control characters or backslashes');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refused('is not a valid absolute URL');
  }
  // Judged after parsing: the parser lower-cases "HTTPS:" and friends.
  if (url.protocol !== 'https:' && (policy.httpsOnly || url.protocol !== 'http:')) {
    throw refused(policy.httpsOnly ? 'must use https' : 'must use http or https');
  }
  const authority = rawAuthority(text);
  if (authority === undefined || authority === '') throw refused('must name a host');
  if (authority.includes('@') || url.username || url.password) throw refused('must not contain a user name or password');
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (!hostname) throw refused('must name a host');
  const literal = parseIp(hostname);
  if (literal) {
    const address = formatIp(literal);
    assertAddressAllowed(address, policy);
    return { url, hostname, address };
  }
  const name = hostname.replace(/\.$/, '');
  if ((name === 'localhost' || name.endsWith('.localhost')) && !policy.allowLoopback) {
    throw refused(`target refused: ${hostname} is ${WHY.loopback}`);
  }
  return { url, hostname };
}

export const familyOf = (address: string): Family => (parseIp(address)?.family ?? 4);
