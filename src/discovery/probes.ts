// The contract between the scanner and the credentialed probes (SNMP, SSH). The scanner calls
// these functions only; how each protocol talks to the device lives in snmp.ts and ssh.ts.
// Secrets pass through here in memory only: nothing in this module logs or returns one.
import type { scanProfiles } from '../db/schema/discovery.ts';
import type { ServiceEnv } from '../services/env.ts';
import { loadProfileCredentials as loadProfileCredentialsImpl, type ProfileCredentials } from '../services/credentials/probe-credentials.ts';
import { snmpQuery } from './snmp.ts';
import { dbHostKeyStore as dbHostKeyStoreImpl, sshQuery } from './ssh.ts';

export type ScanProfileRow = typeof scanProfiles.$inferSelect;

export interface ProbeCredentials {
  snmp?:
    | { version: 'v2c'; community: string }
    | {
        version: 'v3';
        user: string;
        authKey: string;
        privKey: string;
        authProtocol: 'sha' | 'sha256' | 'md5';
        privProtocol: 'aes' | 'des';
      };
  ssh?: { username: string; password?: string; privateKey?: string };
}

export interface SnmpInterface {
  index: number;
  descr: string;
  type: number;
  speed: number;
  mac: string;
  adminStatus: number;
  operStatus: number;
}

export interface SnmpFacts {
  sysName: string;
  sysDescr: string;
  sysObjectID: string;
  sysLocation: string;
  sysContact: string;
  interfaces: SnmpInterface[];
  arp: { ifIndex: number; ip: string; mac: string }[];
}

export interface SshFacts {
  hostname: string;
  os_pretty_name: string;
  os_id: string;
  os_version: string;
  kernel: string;
}

/** Trusted SSH host keys by "host:port" (trust on first use). */
export interface HostKeyStore {
  get(hostPort: string): Promise<{ keyType: string; fingerprint: string } | undefined>;
  set(hostPort: string, v: { keyType: string; fingerprint: string }): Promise<void>;
}

/**
 * Reads system, interface and ARP facts over SNMP. v2c is refused (VALIDATION_ERROR) unless
 * v2cEnabled; v3 always uses authPriv. Resolves undefined when the device does not answer or
 * rejects the credentials (a scan must not fail because one host is not an SNMP agent).
 */
export async function snmpProbe(
  ip: string,
  cred: NonNullable<ProbeCredentials['snmp']>,
  opts: { port?: number; timeoutMs: number; v2cEnabled: boolean },
): Promise<SnmpFacts | undefined> {
  return snmpQuery(ip, cred, opts);
}

/**
 * Logs in over SSH and reads hostname, /etc/os-release and the kernel version. The host key is
 * trusted on first use; a different key later is refused (AppError CONFLICT) before any
 * authentication is attempted. Resolves undefined when the host is unreachable or login fails.
 */
export async function sshProbe(
  ip: string,
  cred: NonNullable<ProbeCredentials['ssh']>,
  opts: { port?: number; timeoutMs: number; hostKeys: HostKeyStore },
): Promise<SshFacts | undefined> {
  return sshQuery(ip, cred, opts);
}

/** Host key store backed by the ssh_host_keys table. */
export function dbHostKeyStore(env: ServiceEnv): HostKeyStore {
  return dbHostKeyStoreImpl(env);
}

/** The profile row, the decrypted credentials it names (only those whose probe is enabled) and their ports. */
export async function loadProfileCredentials(env: ServiceEnv, profileId: string): Promise<ProfileCredentials> {
  return loadProfileCredentialsImpl(env, profileId);
}
