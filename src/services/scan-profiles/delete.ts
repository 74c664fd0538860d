import { IdInputSchema } from '../../../schemas/common.ts';
import { count, eq } from 'drizzle-orm';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { scanProfiles, scheduledScans } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getScanProfileOrThrow, toScanProfile } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/**
 * Built-ins cannot be deleted (they would come back at the next start anyway); a profile that
 * scheduled scans use is IN_USE. Discovery rules and past scans just lose the reference.
 */
export async function deleteScanProfile(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'scan_profile.delete', resource: 'scan_profile', resourceId: rawString(raw) }, (audit) => {
    requirePermission(ctx, 'scan-profile:delete');
    const { id } = IdInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        const before = getScanProfileOrThrow(tx, id);
        if (before.isBuiltin) {
          throw new AppError('VALIDATION_ERROR', `Scan profile ${before.name} is built in and cannot be deleted`, { details: [{ field: 'id', message: 'built-in profile' }] });
        }
        const used = tx.select({ n: count() }).from(scheduledScans).where(eq(scheduledScans.profileId, id)).get()!.n;
        if (used > 0) {
          throw new AppError('IN_USE', `Scan profile ${before.name} is used by ${used} scheduled scan(s); change or delete them first`, {
            details: [{ field: 'scheduled_scans', message: String(used) }],
          });
        }
        tx.delete(scanProfiles).where(eq(scanProfiles.id, id)).run();
        audit.record(tx, { resourceId: id, before: toScanProfile(before) });
        return { status: 'deleted' as const, id };
      });
  });
}
