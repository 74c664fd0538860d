// The TCP port sets of the scan types (Rackd's catalogue §6.2) and the well-known service name
// of a port, used when a port answers without a banner that names its service.

export const SCAN_TYPES = ['quick', 'full', 'deep', 'custom'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];

export const QUICK_PORTS: readonly number[] = [22, 80, 443, 3389];

export const FULL_PORTS: readonly number[] = [21, 22, 23, 25, 53, 80, 110, 143, 443, 445, 993, 995, 3306, 3389, 5432, 8080];

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Rackd's "top 100" list. */
export const DEEP_PORTS: readonly number[] = [
  7, 9, 13, 21, 22, 23, 25, 26, 37, 53, 79, 80, 81, 88, 106, 110, 111, 113, 119, 135, 139, 143, 144, 179, 199, 389, 427, 443,
  444, 445, 465, 513, 514, 515, 543, 544, 548, 554, 587, 631, 646, 873, 990, 993, 995, ...range(1025, 1029), 1110, 1433, 1720,
  1723, 1755, 1900, 2000, 2001, 2049, 2121, 2717, 3000, 3128, 3306, 3389, 3986, 4899, 5000, 5009, 5051, 5060, 5101, 5190, 5357,
  5432, 5631, 5666, 5800, 5900, 6000, 6001, 6646, 7070, 8000, 8008, 8009, 8080, 8081, 8443, 8888, 9100, 9999, 10000, 32768,
  ...range(49152, 49157),
];

/** The ports a scan probes: explicit ports win (sorted, de-duplicated), else the scan type's set. */
export function portsFor(scanType: ScanType, custom: readonly number[] = []): number[] {
  if (custom.length > 0) return [...new Set(custom)].sort((a, b) => a - b);
  if (scanType === 'full') return [...FULL_PORTS];
  if (scanType === 'deep') return [...DEEP_PORTS];
  return [...QUICK_PORTS];
}

const SERVICE_NAMES: Record<number, string> = {
  7: 'echo', 21: 'ftp', 22: 'ssh', 23: 'telnet', 25: 'smtp', 53: 'domain', 79: 'finger', 80: 'http', 88: 'kerberos',
  110: 'pop3', 111: 'rpcbind', 119: 'nntp', 135: 'msrpc', 139: 'netbios-ssn', 143: 'imap', 161: 'snmp', 179: 'bgp',
  389: 'ldap', 443: 'https', 445: 'microsoft-ds', 465: 'smtps', 513: 'login', 514: 'shell', 515: 'printer', 548: 'afp',
  554: 'rtsp', 587: 'submission', 631: 'ipp', 636: 'ldaps', 873: 'rsync', 990: 'ftps', 993: 'imaps', 995: 'pop3s',
  1433: 'ms-sql-s', 1723: 'pptp', 1883: 'mqtt', 1900: 'upnp', 2049: 'nfs', 3128: 'squid-http', 3306: 'mysql',
  3389: 'ms-wbt-server', 5060: 'sip', 5432: 'postgresql', 5900: 'vnc', 6379: 'redis', 8000: 'http-alt', 8008: 'http',
  8080: 'http-proxy', 8081: 'http', 8443: 'https-alt', 8888: 'http', 9100: 'jetdirect', 10000: 'snet-sensor-mgmt',
};

export const serviceNameOf = (port: number): string => SERVICE_NAMES[port] ?? 'unknown';

/** Ports where the client speaks first with HTTP; the banner grabber sends a HEAD request there. */
export const HTTP_PORTS: ReadonlySet<number> = new Set([80, 81, 591, 3000, 5000, 7070, 8000, 8008, 8080, 8081, 8888, 9000]);

/** Ports that expect a TLS ClientHello first: no plaintext banner to read, so none is waited for. */
export const TLS_PORTS: ReadonlySet<number> = new Set([443, 465, 636, 853, 990, 993, 995, 5986, 8443]);
