import { asc, count, eq } from 'drizzle-orm';
import { ListPoolsInputSchema } from '../../../schemas/pools.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { networkPools } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getNetworkOrThrow } from '../networks/internal.ts';
import { page, pageWindow } from '../paging.ts';
import { tagsOf, toPool } from './internal.ts';

/** Pools sorted by name; with network_id, only that network's (404 when the network does not exist). */
export async function listPools(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'pool.list', resource: 'pool', read: true }, () => {
    requirePermission(ctx, 'pool:list');
    const input = ListPoolsInputSchema.parse(raw);
    const window = pageWindow(input);
    if (input.network_id !== undefined) getNetworkOrThrow(env.db, input.network_id);
    const where = input.network_id !== undefined ? eq(networkPools.networkId, input.network_id) : undefined;
    const rows = env.db
      .select()
      .from(networkPools)
      .where(where)
      .orderBy(asc(networkPools.name), asc(networkPools.id))
      .limit(window.limit)
      .offset(window.offset)
      .all();
    const total = env.db.select({ n: count() }).from(networkPools).where(where).get()!.n;
    const tags = tagsOf(env.db, rows.map((r) => r.id));
    return page(rows.map((r) => toPool(r, tags.get(r.id)!)), total, window);
  });
}
