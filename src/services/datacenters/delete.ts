import { IdInputSchema } from '../../../schemas/common.ts';
import { count, eq } from 'drizzle-orm';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { datacenters, networks } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { unindexDocument } from '../search/index-doc.ts';
import { getDatacenterOrThrow, toDatacenter } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** Devices in the datacenter are unlinked; networks still in it make the delete a 409. */
export async function deleteDatacenter(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'datacenter.delete', resource: 'datacenter', resourceId: rawString(raw) }, (audit) => {
    requirePermission(ctx, 'datacenter:delete');
    const { id } = IdInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        const before = getDatacenterOrThrow(tx, id);
        const inUse = tx.select({ n: count() }).from(networks).where(eq(networks.datacenterId, id)).get()!.n;
        if (inUse > 0) {
          throw new AppError('IN_USE', `Datacenter ${before.name} still has ${inUse} network(s); move or delete them first`, {
            details: [{ field: 'networks', message: String(inUse) }],
          });
        }
        tx.delete(datacenters).where(eq(datacenters.id, id)).run();
        unindexDocument(tx, 'datacenter', id);
        audit.record(tx, { resourceId: id, before: toDatacenter(before) });
        return { status: 'deleted' as const, id };
      });
  });
}
