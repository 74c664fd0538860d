import { IdInputSchema } from '../../../schemas/common.ts';
import { eq, or } from 'drizzle-orm';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { credentials, scanProfiles } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getCredentialOrThrow, toCredential } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** A credential a scan profile still names is IN_USE: deleting it would silently turn off that profile's SNMP/SSH. */
export async function deleteCredential(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'credential.delete', resource: 'credential', resourceId: rawString(raw) }, (audit) => {
    requirePermission(ctx, 'credential:delete');
    const { id } = IdInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        const before = getCredentialOrThrow(tx, id);
        const users = tx
          .select({ name: scanProfiles.name })
          .from(scanProfiles)
          .where(or(eq(scanProfiles.snmpCredentialId, id), eq(scanProfiles.sshCredentialId, id)))
          .all();
        if (users.length > 0) {
          const names = users.map((u) => u.name).join(', ');
          throw new AppError('IN_USE', `Credential ${before.name} is used by scan profile(s) ${names}; change them first`, {
            details: [{ field: 'scan_profiles', message: names }],
          });
        }
        tx.delete(credentials).where(eq(credentials.id, id)).run();
        audit.record(tx, { resourceId: id, before: toCredential(before) });
        return { status: 'deleted' as const, id };
      });
  });
}
