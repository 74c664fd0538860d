// The types discovery shares with the service layer: what the credentialed probes (SNMP, SSH)
// are given and report, and the host-key store SSH pins keys in. A leaf: it imports nothing, so
// the scanner, the probes and services/ can all depend on it without depending on each other.

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
