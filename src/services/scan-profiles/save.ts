// Creates a scan profile (no id) or updates one partially. Built-ins may be tuned (ports,
// credentials, timing) but keep their name and scan type, so the start-up re-creation by id
// and name stays consistent.
import { and, eq, ne } from 'drizzle-orm';
import { SaveScanProfileInputSchema, type ScanProfile } from '../../../schemas/scan-profiles.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { scanProfiles } from '../../db/schema/index.ts';
import { AppError, validationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { assertCredentialKind, getScanProfileOrThrow, toScanProfile } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function saveScanProfile(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<ScanProfile> {
  const rawId = (raw as { id?: unknown })?.id;
  const action = typeof rawId === 'string' ? 'scan_profile.update' : 'scan_profile.create';
  return audited(env, ctx, { action, resource: 'scan_profile', resourceId: typeof rawId === 'string' ? rawId : undefined }, (audit) => {
    requirePermission(ctx, action === 'scan_profile.update' ? 'scan-profile:update' : 'scan-profile:create');
    const input = SaveScanProfileInputSchema.parse(raw);
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        const before = input.id === undefined ? undefined : getScanProfileOrThrow(tx, input.id);
        if (before?.isBuiltin) {
          if (input.name !== undefined && input.name !== before.name) throw validationError('name', 'a built-in profile keeps its name');
          if (input.scan_type !== undefined && input.scan_type !== before.scanType) throw validationError('scan_type', 'a built-in profile keeps its scan type');
        }
        const name = input.name ?? before?.name;
        if (!name) throw validationError('name', 'is required');
        const scanType = input.scan_type ?? before?.scanType;
        if (!scanType) throw validationError('scan_type', 'is required');
        const ports = input.ports !== undefined ? [...new Set(input.ports)].sort((a, b) => a - b) : (JSON.parse(before?.ports ?? '[]') as number[]);
        if (scanType === 'custom' && ports.length === 0) throw validationError('ports', 'a custom profile needs at least one port');
        if (input.snmp_credential_id) assertCredentialKind(tx, 'snmp_credential_id', input.snmp_credential_id);
        if (input.ssh_credential_id) assertCredentialKind(tx, 'ssh_credential_id', input.ssh_credential_id);
        const id = before?.id ?? newId();
        const clash = tx.select({ id: scanProfiles.id }).from(scanProfiles).where(and(eq(scanProfiles.name, name), ne(scanProfiles.id, id))).get();
        if (clash) throw new AppError('ALREADY_EXISTS', `A scan profile named ${name} already exists`, { details: [{ field: 'name', message: 'already exists' }] });
        const row = {
          id,
          name,
          scanType,
          ports: JSON.stringify(ports),
          enableSnmp: input.enable_snmp ?? before?.enableSnmp ?? false,
          enableSsh: input.enable_ssh ?? before?.enableSsh ?? false,
          snmpCredentialId: input.snmp_credential_id === undefined ? (before?.snmpCredentialId ?? null) : input.snmp_credential_id,
          sshCredentialId: input.ssh_credential_id === undefined ? (before?.sshCredentialId ?? null) : input.ssh_credential_id,
          snmpPort: input.snmp_port ?? before?.snmpPort ?? 161,
          sshPort: input.ssh_port === undefined ? (before?.sshPort ?? null) : input.ssh_port,
          timeoutSec: input.timeout_sec ?? before?.timeoutSec ?? 2,
          maxWorkers: input.max_workers ?? before?.maxWorkers ?? 64,
          description: input.description ?? before?.description ?? '',
          isBuiltin: before?.isBuiltin ?? false,
          createdAt: before?.createdAt ?? now,
          updatedAt: now,
        };
        if (before) tx.update(scanProfiles).set(row).where(eq(scanProfiles.id, id)).run();
        else tx.insert(scanProfiles).values(row).run();
        const out = toScanProfile(row);
        audit.record(tx, { resourceId: id, before: before ? toScanProfile(before) : undefined, after: out });
        return out;
      });
  });
}
