import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import { ListScansInputSchema } from '../../../schemas/discovery.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { discoveryScans } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow } from '../paging.ts';
import { toScan } from './internal.ts';

/** Newest first. */
export async function listScans(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'discovery_scan.list', resource: 'discovery_scan', read: true }, () => {
    requirePermission(ctx, 'discovery:list');
    const input = ListScansInputSchema.parse(raw);
    const window = pageWindow(input);
    const filters: SQL[] = [];
    if (input.network_id) filters.push(eq(discoveryScans.networkId, input.network_id));
    if (input.status) filters.push(eq(discoveryScans.status, input.status));
    const where = filters.length ? and(...filters) : undefined;
    const rows = env.db
      .select()
      .from(discoveryScans)
      .where(where)
      .orderBy(desc(discoveryScans.createdAt), desc(discoveryScans.id))
      .limit(window.limit)
      .offset(window.offset)
      .all();
    const total = env.db.select({ n: count() }).from(discoveryScans).where(where).get()!.n;
    return page(rows.map(toScan), total, window);
  });
}
