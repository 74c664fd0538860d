import { count, desc, eq } from 'drizzle-orm';
import { ListDiscoveryRulesInputSchema } from '../../../schemas/schedules.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { discoveryRules } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow } from '../paging.ts';
import { toDiscoveryRule } from './internal.ts';

/** Newest first, as in Rackd. */
export async function listDiscoveryRules(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'discovery_rule.list', resource: 'discovery_rule', read: true }, () => {
    requirePermission(ctx, 'discovery:list');
    const input = ListDiscoveryRulesInputSchema.parse(raw);
    const window = pageWindow(input);
    const where = input.network_id ? eq(discoveryRules.networkId, input.network_id) : undefined;
    const rows = env.db.select().from(discoveryRules).where(where).orderBy(desc(discoveryRules.createdAt), desc(discoveryRules.id)).limit(window.limit).offset(window.offset).all();
    const total = env.db.select({ n: count() }).from(discoveryRules).where(where).get()!.n;
    return page(rows.map(toDiscoveryRule), total, window);
  });
}
