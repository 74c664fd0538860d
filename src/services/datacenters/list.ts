import { asc, count } from 'drizzle-orm';
import { ListDatacentersInputSchema } from '../../../schemas/datacenters.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { datacenters } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow } from '../paging.ts';
import { containsText } from '../sql.ts';
import { toDatacenter } from './internal.ts';

export async function listDatacenters(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'datacenter.list', resource: 'datacenter', read: true }, () => {
    requirePermission(ctx, 'datacenter:list');
    const input = ListDatacentersInputSchema.parse(raw);
    const window = pageWindow(input);
    const where = input.name ? containsText(datacenters.name, input.name) : undefined;
    const rows = env.db.select().from(datacenters).where(where).orderBy(asc(datacenters.name), asc(datacenters.id)).limit(window.limit).offset(window.offset).all();
    const total = env.db.select({ n: count() }).from(datacenters).where(where).get()!.n;
    return page(rows.map(toDatacenter), total, window);
  });
}
