import { IdInputSchema } from '../../../schemas/common.ts';
import { eq } from 'drizzle-orm';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { scheduledScans } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getScheduledScanOrThrow, toScheduledScan } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** Scans it already started stay (they belong to the network's history). */
export async function deleteScheduledScan(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'scheduled_scan.delete', resource: 'scheduled_scan', resourceId: rawString(raw) }, (audit) => {
    requirePermission(ctx, 'scheduled-scan:delete');
    const { id } = IdInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        const before = getScheduledScanOrThrow(tx, id);
        tx.delete(scheduledScans).where(eq(scheduledScans.id, id)).run();
        audit.record(tx, { resourceId: id, before: toScheduledScan(before) });
        return { status: 'deleted' as const, id };
      });
  });
}
