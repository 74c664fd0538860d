// Shared by the scan-profile verbs: row mapping and the credential-type check.
import { eq } from 'drizzle-orm';
import type { ScanProfile } from '../../../schemas/scan-profiles.ts';
import type { DbOrTx } from '../../db/client.ts';
import { credentials, scanProfiles } from '../../db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';

export type ScanProfileRow = typeof scanProfiles.$inferSelect;

function ports(text: string): number[] {
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.filter((p): p is number => Number.isInteger(p)) : [];
  } catch {
    return [];
  }
}

export const toScanProfile = (r: ScanProfileRow): ScanProfile => ({
  id: r.id,
  name: r.name,
  scan_type: r.scanType,
  ports: ports(r.ports),
  enable_snmp: r.enableSnmp,
  enable_ssh: r.enableSsh,
  snmp_credential_id: r.snmpCredentialId ?? null,
  ssh_credential_id: r.sshCredentialId ?? null,
  snmp_port: r.snmpPort,
  ssh_port: r.sshPort ?? null,
  timeout_sec: r.timeoutSec,
  max_workers: r.maxWorkers,
  description: r.description,
  is_builtin: r.isBuiltin,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

export function getScanProfileOrThrow(db: DbOrTx, id: string): ScanProfileRow {
  const row = db.select().from(scanProfiles).where(eq(scanProfiles.id, id)).get();
  if (!row) throw notFound('Scan profile', id);
  return row;
}

/** A profile id given by another entity (schedule, rule) must name an existing profile. */
export function assertScanProfileExists(db: DbOrTx, id: string): void {
  if (!db.select({ id: scanProfiles.id }).from(scanProfiles).where(eq(scanProfiles.id, id)).get()) {
    throw new AppError('NOT_FOUND', `Scan profile not found: ${id}`, { details: [{ field: 'profile_id', message: 'no such scan profile' }] });
  }
}

/** snmp_credential_id must name an SNMP credential, ssh_credential_id an SSH one. */
export function assertCredentialKind(db: DbOrTx, field: 'snmp_credential_id' | 'ssh_credential_id', id: string): void {
  const row = db.select({ type: credentials.type }).from(credentials).where(eq(credentials.id, id)).get();
  if (!row) throw new AppError('NOT_FOUND', `Credential not found: ${id}`, { details: [{ field, message: 'no such credential' }] });
  const want = field === 'snmp_credential_id' ? ['snmp_v2c', 'snmp_v3'] : ['ssh_password', 'ssh_key'];
  if (!want.includes(row.type)) {
    throw new AppError('VALIDATION_ERROR', `${field}: names a ${row.type} credential; expected ${want.join(' or ')}`, {
      details: [{ field, message: `expected ${want.join(' or ')}, got ${row.type}` }],
    });
  }
}
