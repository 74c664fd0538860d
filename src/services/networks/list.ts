import { and, asc, count, eq } from 'drizzle-orm';
import { ListNetworksInputSchema } from '../../../schemas/networks.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { networks } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow } from '../paging.ts';
import { containsText } from '../sql.ts';
import { toNetwork } from './internal.ts';

export async function listNetworks(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'network.list', resource: 'network', read: true }, () => {
    requirePermission(ctx, 'network:list');
    const input = ListNetworksInputSchema.parse(raw);
    const window = pageWindow(input);
    const where = and(
      input.name ? containsText(networks.name, input.name) : undefined,
      input.datacenter_id !== undefined ? eq(networks.datacenterId, input.datacenter_id) : undefined,
      input.vlan_id !== undefined ? eq(networks.vlanId, input.vlan_id) : undefined,
    );
    const rows = env.db.select().from(networks).where(where).orderBy(asc(networks.name), asc(networks.id)).limit(window.limit).offset(window.offset).all();
    const total = env.db.select({ n: count() }).from(networks).where(where).get()!.n;
    return page(rows.map(toNetwork), total, window);
  });
}
