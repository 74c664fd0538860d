import { IdInputSchema } from '../../../schemas/common.ts';
import { eq } from 'drizzle-orm';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { networkPools } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getPoolOrThrow, tagsOf, toPool } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/**
 * Deletes a pool: its claims, free ranges, tags, reservations and allocation records go with it
 * (foreign keys cascade); device addresses in it stay on their devices with pool_id cleared.
 */
export async function deletePool(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'pool.delete', resource: 'pool', resourceId: rawString(raw) }, (audit) => {
    requirePermission(ctx, 'pool:delete');
    const { id } = IdInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        const before = getPoolOrThrow(tx, id);
        const tags = tagsOf(tx, [id]).get(id)!;
        tx.delete(networkPools).where(eq(networkPools.id, id)).run();
        audit.record(tx, { resourceId: id, before: toPool(before, tags) });
        return { status: 'deleted' as const, id };
      });
  });
}
