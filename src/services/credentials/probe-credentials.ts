// What the scanner needs from a scan profile: the profile row, the decrypted credentials of the
// probes it enables and the ports those probes use. Not a service verb (no caller): the scan that calls it was already
// authorized when it started. The plaintext lives only in the returned object.
import { eq } from 'drizzle-orm';
import { scanProfiles } from '../../db/schema/index.ts';
import type { ProbeCredentials } from '../../discovery/types.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { ServiceEnv } from '../env.ts';
import { getCredentialOrThrow, parseOptions, unsealCredentialSecrets } from './internal.ts';

type ScanProfileRow = typeof scanProfiles.$inferSelect;

export interface ProfileCredentials {
  profile: ScanProfileRow;
  credentials: ProbeCredentials;
  /** Where the probes go: SNMP's UDP port (default 161); SSH's TCP port, undefined = found by banner, else 22. */
  ports: { snmp: number; ssh?: number };
}

export async function loadProfileCredentials(env: ServiceEnv, profileId: string): Promise<ProfileCredentials> {
  const profile = env.db.select().from(scanProfiles).where(eq(scanProfiles.id, profileId)).get();
  if (!profile) throw notFound('Scan profile', profileId);
  const out: ProbeCredentials = {};
  if (profile.enableSnmp && profile.snmpCredentialId) {
    const row = getCredentialOrThrow(env.db, profile.snmpCredentialId);
    const s = unsealCredentialSecrets(env.keys, row);
    if (row.type === 'snmp_v2c') out.snmp = { version: 'v2c', community: s.community ?? '' };
    else if (row.type === 'snmp_v3') {
      const o = parseOptions(row);
      out.snmp = {
        version: 'v3',
        user: s.user ?? '',
        authKey: s.auth_key ?? '',
        privKey: s.priv_key ?? '',
        authProtocol: o.auth_protocol ?? 'sha',
        privProtocol: o.priv_protocol ?? 'aes',
      };
    } else throw wrongType(profile.name, 'snmp_credential_id', row.type);
  }
  if (profile.enableSsh && profile.sshCredentialId) {
    const row = getCredentialOrThrow(env.db, profile.sshCredentialId);
    const s = unsealCredentialSecrets(env.keys, row);
    if (row.type === 'ssh_password') out.ssh = { username: row.sshUsername, password: s.password ?? '' };
    else if (row.type === 'ssh_key') out.ssh = { username: row.sshUsername, privateKey: s.private_key ?? '' };
    else throw wrongType(profile.name, 'ssh_credential_id', row.type);
  }
  return { profile, credentials: out, ports: { snmp: profile.snmpPort, ssh: profile.sshPort ?? undefined } };
}

// Saves refuse mismatched types; this guards rows written some other way.
const wrongType = (profile: string, field: string, type: string) =>
  new AppError('VALIDATION_ERROR', `Scan profile ${profile}: ${field} names a ${type} credential`, { details: [{ field, message: `wrong credential type ${type}` }] });
