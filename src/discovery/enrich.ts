// The main-thread half of a scan: for each host the probe phase found up, the slower lookups —
// reverse DNS, the IPv6 neighbour table and, when the profile has credentials, SNMP and SSH — then
// MAC (neighbour table), vendor (OUI registry) and the device-type/OS classification, giving the
// host's report.
import type { Logger } from '../platform/logger.ts';
import type { ArpCache } from './arp.ts';
import type { ServiceInfo } from './banner.ts';
import { classify, type Classification } from './classify.ts';
import { vendorOf } from './oui.ts';
import type { Ipv6Neighbours } from './ndp.ts';
import type { HostKeyStore, ProbeCredentials, SnmpFacts, SshFacts } from './types.ts';
import type { ReverseResolver } from './rdns.ts';
import type { ProbedHost } from './scanner.ts';

export interface CredentialedProbes {
  credentials: ProbeCredentials;
  snmpPort?: number;
  sshPort?: number;
  timeoutMs: number;
  v2cEnabled: boolean;
  hostKeys: HostKeyStore;
  snmpProbe(ip: string, cred: NonNullable<ProbeCredentials['snmp']>, opts: { port?: number; timeoutMs: number; v2cEnabled: boolean }): Promise<SnmpFacts | undefined>;
  sshProbe(ip: string, cred: NonNullable<ProbeCredentials['ssh']>, opts: { port?: number; timeoutMs: number; hostKeys: HostKeyStore }): Promise<SshFacts | undefined>;
}

export interface HostReport {
  ip: string;
  openPorts: number[];
  services: ServiceInfo[];
  mac: string;
  vendor: string;
  hostname: string;
  hostnameSource: '' | 'ssh' | 'snmp' | 'dns';
  classification: Classification;
  facts: Record<string, unknown>;
}

export interface Lookups {
  ptr?: string;
  /** From the IPv6 neighbour table (IPv4 MACs come from the synchronous ARP cache). */
  mac?: string;
  snmp?: SnmpFacts;
  snmpPort?: number;
  ssh?: SshFacts;
  facts?: Record<string, unknown>;
}

/** What the asynchronous lookups of a scan may use; each is optional. */
export interface LookupSources {
  rdns?: ReverseResolver;
  cp?: CredentialedProbes;
  ndp?: Ipv6Neighbours;
}

/** True when hosts need the asynchronous lookups at all (a plain IPv4 scan without DNS does not). */
export const needsLookups = ({ rdns, cp, ndp }: LookupSources): boolean => rdns !== undefined || cp !== undefined || ndp !== undefined;

export async function lookup(host: ProbedHost, { rdns, cp, ndp }: LookupSources): Promise<Lookups> {
  const facts: Record<string, unknown> = {};
  const { ip } = host;
  // SSH where the profile says, else wherever a banner said ssh (sshd on 2222 too), else 22.
  const open = host.ports.filter((r) => r.state === 'open');
  const sshPort = cp?.sshPort ?? open.find((r) => r.service?.service === 'ssh')?.port ?? 22;
  const [ptr, mac, snmp, ssh] = await Promise.all([
    rdns ? rdns.reverse(ip) : Promise.resolve(undefined),
    ndp ? ndp.lookup(ip) : Promise.resolve(undefined),
    cp?.credentials.snmp
      ? cp.snmpProbe(ip, cp.credentials.snmp, { port: cp.snmpPort, timeoutMs: cp.timeoutMs, v2cEnabled: cp.v2cEnabled }).catch((err: Error) => {
          facts.snmp_error = err.message;
          return undefined;
        })
      : Promise.resolve(undefined),
    cp?.credentials.ssh && open.some((r) => r.port === sshPort)
      ? cp.sshProbe(ip, cp.credentials.ssh, { port: sshPort, timeoutMs: cp.timeoutMs, hostKeys: cp.hostKeys }).catch((err: Error) => {
          facts.ssh_error = err.message;
          return undefined;
        })
      : Promise.resolve(undefined),
  ]);
  return { ptr, mac, snmp, snmpPort: cp?.snmpPort, ssh, facts };
}

/**
 * A host name as a device reported it (SSH `hostname`, SNMP sysName — whatever the device wants to
 * say): its first line, printable ASCII without spaces, lower case, at most 253 characters.
 */
export const hostnameOf = (raw: string | undefined): string =>
  (raw ?? '')
    .split(/\r?\n/, 1)[0]!
    .replace(/[^\x21-\x7e]/g, '')
    .toLowerCase()
    .slice(0, 253);

/** The host's report from its probes and lookups (synchronous: the hot path of a plain scan). */
export function describeHost(host: ProbedHost, { ptr, mac: ndpMac, snmp, snmpPort, ssh, facts = {} }: Lookups, arp: ArpCache): HostReport {
  const open = host.ports.filter((r) => r.state === 'open');
  const services = open.map((r) => r.service!).filter(Boolean);
  // /proc/net/arp has no IPv6 entries: asking it for one would only re-read it on every miss.
  let mac = ndpMac ?? (host.ip.includes(':') ? undefined : arp.lookup(host.ip)) ?? '';
  if (snmp) {
    facts.snmp = snmp;
    services.push({ port: snmpPort ?? 161, protocol: 'udp', service: 'snmp', version: snmp.sysDescr.split(/\r?\n/, 1)[0]!.slice(0, 200), banner: '' });
    if (!mac) mac = snmp.interfaces.find((i) => i.mac && i.mac !== '00:00:00:00:00:00')?.mac ?? '';
  }
  if (ssh) facts.ssh = ssh;
  let hostname = '';
  let hostnameSource: HostReport['hostnameSource'] = '';
  const fromSsh = hostnameOf(ssh?.hostname);
  const fromSnmp = hostnameOf(snmp?.sysName);
  if (fromSsh) [hostname, hostnameSource] = [fromSsh, 'ssh'];
  else if (fromSnmp) [hostname, hostnameSource] = [fromSnmp, 'snmp'];
  else if (ptr) [hostname, hostnameSource] = [ptr, 'dns'];
  const vendor = mac ? vendorOf(mac) : '';
  const openPorts = open.map((r) => r.port);
  const classification = classify({
    openPorts,
    services,
    vendor,
    snmp: snmp ? { sysDescr: snmp.sysDescr, sysObjectID: snmp.sysObjectID } : undefined,
    ssh: ssh ? { os_pretty_name: ssh.os_pretty_name, os_id: ssh.os_id } : undefined,
  });
  return { ip: host.ip, openPorts, services, mac: mac.toLowerCase(), vendor, hostname, hostnameSource, classification, facts };
}

/** Hosts whose lookups (DNS, SNMP, SSH) run at once. */
const LOOKUP_CONCURRENCY = 128;

/** Runs the lookups of up hosts, LOOKUP_CONCURRENCY at a time, beside the probing. */
export function lookupPool(
  sources: LookupSources,
  arp: ArpCache,
  signal: AbortSignal,
  record: (r: HostReport) => void,
  logger: Logger,
) {
  const queue: ProbedHost[] = [];
  let head = 0;
  let active = 0;
  let idle: (() => void) | undefined;
  const pump = (): void => {
    while (active < LOOKUP_CONCURRENCY && head < queue.length && !signal.aborted) {
      const host = queue[head]!;
      queue[head++] = undefined as never;
      active++;
      lookup(host, sources)
        .then(
          (found) => {
            if (!signal.aborted) record(describeHost(host, found, arp));
          },
          (err: unknown) => logger.warn('discovery: host lookups failed', { ip: host.ip, err: err as Error }),
        )
        .finally(() => {
          active--;
          pump();
        });
    }
    if (head === queue.length && head > 0) {
      queue.length = 0;
      head = 0;
    }
    if ((active === 0 && head === queue.length) || signal.aborted) idle?.();
  };
  return {
    add(host: ProbedHost) {
      queue.push(host);
      pump();
    },
    /** Resolves when every queued host is done — or at once when the scan stopped. */
    drained: () =>
      new Promise<void>((resolve) => {
        idle = resolve;
        signal.addEventListener('abort', () => resolve(), { once: true });
        pump();
      }),
  };
}
