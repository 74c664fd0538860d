// SNMP facts through net-snmp: the system group, the interface table and the device's ARP table.
// v2c only when the operator turned it on (DISCOVERY_SNMPV2C_ENABLED); v3 always authPriv. A host
// that does not answer or rejects the credentials yields undefined, never an exception, so one
// silent agent cannot fail a scan. The community and v3 keys never leave this module.
import { createRequire } from 'node:module';
import { AppError } from '../platform/errors.ts';
import type { ProbeCredentials, SnmpFacts, SnmpInterface } from './types.ts';

// net-snmp ships no types; this is the part of its API used here.
interface Varbind {
  oid: string;
  type: number;
  value: unknown;
}
interface SnmpSession {
  get(oids: string[], cb: (err: Error | null, varbinds: Varbind[]) => void): void;
  subtree(oid: string, maxRepetitions: number, feed: (varbinds: Varbind[]) => boolean | void, done: (err?: Error) => void): void;
  close(): void;
  on(event: 'error', cb: (err: Error) => void): void;
}
interface NetSnmp {
  createSession(target: string, community: string, options: object): SnmpSession;
  createV3Session(target: string, user: object, options: object): SnmpSession;
  isVarbindError(vb: Varbind): boolean;
  Version2c: number;
  SecurityLevel: { authPriv: number };
  AuthProtocols: Record<'md5' | 'sha' | 'sha256', number>;
  PrivProtocols: Record<'aes' | 'des', number>;
}
const snmp = createRequire(import.meta.url)('net-snmp') as NetSnmp;

const SYS = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysObjectID: '1.3.6.1.2.1.1.2.0',
  sysContact: '1.3.6.1.2.1.1.4.0',
  sysName: '1.3.6.1.2.1.1.5.0',
  sysLocation: '1.3.6.1.2.1.1.6.0',
} as const;
const IF_TABLE = '1.3.6.1.2.1.2.2.1';
const IP_NET_TO_MEDIA = '1.3.6.1.2.1.4.22.1';
/** Rows kept per table: a core switch's ARP table is large, the facts column must stay bounded. */
const MAX_ROWS = 4096;

const text = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('utf8').replace(/\0+$/, '') : v == null ? '' : String(v));
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number(text(v)) || 0);
const mac = (v: unknown): string =>
  Buffer.isBuffer(v) && v.length === 6 ? [...v].map((b) => b.toString(16).padStart(2, '0')).join(':') : '';

function openSession(ip: string, cred: NonNullable<ProbeCredentials['snmp']>, opts: { port?: number; timeoutMs: number }): SnmpSession {
  const options = {
    port: opts.port ?? 161,
    retries: 1,
    timeout: opts.timeoutMs,
    transport: ip.includes(':') ? 'udp6' : 'udp4',
  };
  if (cred.version === 'v2c') return snmp.createSession(ip, cred.community, { ...options, version: snmp.Version2c });
  return snmp.createV3Session(
    ip,
    {
      name: cred.user,
      level: snmp.SecurityLevel.authPriv,
      authProtocol: snmp.AuthProtocols[cred.authProtocol],
      authKey: cred.authKey,
      privProtocol: snmp.PrivProtocols[cred.privProtocol],
      privKey: cred.privKey,
    },
    options,
  );
}

const get = (s: SnmpSession, oids: string[]) =>
  new Promise<Varbind[]>((resolve, reject) => s.get(oids, (err, vbs) => (err ? reject(err) : resolve(vbs))));

/** Walks one table, handing each row cell (column, index suffix, value) to `cell`. */
function walk(s: SnmpSession, base: string, cell: (column: number, index: string, vb: Varbind) => void): Promise<void> {
  let rows = 0;
  return new Promise((resolve, reject) =>
    s.subtree(
      base,
      20,
      (vbs) => {
        for (const vb of vbs) {
          if (snmp.isVarbindError(vb)) continue;
          const rest = vb.oid.slice(base.length + 1);
          const dot = rest.indexOf('.');
          if (dot < 0) continue;
          cell(Number(rest.slice(0, dot)), rest.slice(dot + 1), vb);
          if (++rows > MAX_ROWS * 8) return true; // stop the walk: enough columns × rows
        }
        return false;
      },
      (err) => (err ? reject(err) : resolve()),
    ),
  );
}

async function collect(s: SnmpSession): Promise<SnmpFacts> {
  const keys = Object.keys(SYS) as (keyof typeof SYS)[];
  const vbs = await get(s, keys.map((k) => SYS[k]));
  const sys = Object.fromEntries(keys.map((k, i) => [k, vbs[i] && !snmp.isVarbindError(vbs[i]!) ? text(vbs[i]!.value) : ''])) as Record<
    keyof typeof SYS,
    string
  >;

  const ifs = new Map<string, SnmpInterface>();
  await walk(s, IF_TABLE, (col, idx, vb) => {
    let row = ifs.get(idx);
    if (!row) {
      if (ifs.size >= MAX_ROWS) return;
      row = { index: Number(idx), descr: '', type: 0, speed: 0, mac: '', adminStatus: 0, operStatus: 0 };
      ifs.set(idx, row);
    }
    if (col === 2) row.descr = text(vb.value);
    else if (col === 3) row.type = num(vb.value);
    else if (col === 5) row.speed = num(vb.value);
    else if (col === 6) row.mac = mac(vb.value);
    else if (col === 7) row.adminStatus = num(vb.value);
    else if (col === 8) row.operStatus = num(vb.value);
  });

  // ipNetToMediaTable index: ifIndex.a.b.c.d
  const arp = new Map<string, { ifIndex: number; ip: string; mac: string }>();
  await walk(s, IP_NET_TO_MEDIA, (col, idx, vb) => {
    let row = arp.get(idx);
    if (!row) {
      if (arp.size >= MAX_ROWS) return;
      const parts = idx.split('.');
      row = { ifIndex: Number(parts[0]), ip: parts.slice(1).join('.'), mac: '' };
      arp.set(idx, row);
    }
    if (col === 2) row.mac = mac(vb.value);
    else if (col === 3 && typeof vb.value === 'string') row.ip = vb.value;
  });

  return {
    sysName: sys.sysName,
    sysDescr: sys.sysDescr,
    sysObjectID: sys.sysObjectID,
    sysLocation: sys.sysLocation,
    sysContact: sys.sysContact,
    interfaces: [...ifs.values()].sort((a, b) => a.index - b.index),
    arp: [...arp.values()].filter((r) => r.mac !== ''),
  };
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
  if (cred.version === 'v2c' && !opts.v2cEnabled) {
    throw new AppError('VALIDATION_ERROR', 'SNMPv2c is disabled on this server (set DISCOVERY_SNMPV2C_ENABLED=true to allow it); use an SNMPv3 credential', {
      details: [{ field: 'snmp_credential_id', message: 'SNMPv2c is disabled' }],
    });
  }
  let session: SnmpSession;
  try {
    session = openSession(ip, cred, opts);
  } catch {
    return undefined; // e.g. a key net-snmp refuses (too short for the protocol)
  }
  session.on('error', () => undefined); // socket errors surface as request failures below
  // One request waits timeoutMs × 2 (one retry); walks are many requests, so the whole probe
  // gets a ceiling of its own.
  const ceiling = Math.max(opts.timeoutMs * 10, 5_000);
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      collect(session),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), ceiling);
      }),
    ]);
  } catch {
    return undefined; // timeout, wrong community, unknown user, wrong digest: not an agent we can read
  } finally {
    clearTimeout(timer);
    try {
      session.close();
    } catch {
      // already closed
    }
  }
}
