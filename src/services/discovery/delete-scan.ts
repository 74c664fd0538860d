// Deleting a running scan cancels it first, so no runner writes into a row that is gone.
import { IdInputSchema } from '../../../schemas/common.ts';
import { eq } from 'drizzle-orm';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { discoveryScans } from '../../db/schema/index.ts';
import { scanManager } from '../../discovery/runner.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getScanOrThrow, toScan } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function deleteScan(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'discovery_scan.delete', resource: 'discovery_scan', resourceId: rawString(raw) }, async (audit) => {
    requirePermission(ctx, 'discovery:delete');
    const { id } = IdInputSchema.parse(raw);
    getScanOrThrow(env.db, id);
    await scanManager(env).cancel(id);
    return syncWrite(env, (tx) => {
        const before = getScanOrThrow(tx, id);
        tx.delete(discoveryScans).where(eq(discoveryScans.id, id)).run();
        audit.record(tx, { resourceId: id, before: toScan(before) });
        return { status: 'deleted' as const, id };
      });
  });
}
