import { IdInputSchema } from '../../../schemas/common.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { removeNetwork } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** Deletes a network; what goes with it and what is unlinked: removeNetwork in ./internal.ts. */
export async function deleteNetwork(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'network.delete', resource: 'network', resourceId: rawString(raw) }, (audit) => {
    requirePermission(ctx, 'network:delete');
    const { id } = IdInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        audit.record(tx, { resourceId: id, before: removeNetwork(tx, id) });
        return { status: 'deleted' as const, id };
      });
  });
}
