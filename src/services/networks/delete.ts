import { eq } from 'drizzle-orm';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { networks } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { unindexDocument } from '../search/index-doc.ts';
import { getNetworkOrThrow, toNetwork } from './internal.ts';

/**
 * Deletes a network. Its pools go with it (the foreign keys cascade to pool claims, free ranges,
 * tags, reservations and allocation records); device addresses in it are kept but unlinked
 * (network_id and pool_id set to NULL by their foreign keys).
 */
export async function deleteNetwork(env: ServiceEnv, ctx: CallerContext, id: string): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'network.delete', resource: 'network', resourceId: id }, (audit) => {
    requirePermission(ctx, 'network:delete');
    return env.db.transaction(
      (tx) => {
        const before = getNetworkOrThrow(tx, id);
        tx.delete(networks).where(eq(networks.id, id)).run();
        unindexDocument(tx, 'network', id);
        audit.record(tx, { resourceId: id, before: toNetwork(before) });
        return { status: 'deleted' as const, id };
      },
      { behavior: 'immediate' },
    );
  });
}
