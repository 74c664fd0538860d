import { eq } from 'drizzle-orm';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { discoveryRules } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getDiscoveryRuleOrThrow, toDiscoveryRule } from './internal.ts';

export async function deleteDiscoveryRule(env: ServiceEnv, ctx: CallerContext, id: string): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'discovery_rule.delete', resource: 'discovery_rule', resourceId: id }, (audit) => {
    requirePermission(ctx, 'discovery:delete');
    return env.db.transaction(
      (tx) => {
        const before = getDiscoveryRuleOrThrow(tx, id);
        tx.delete(discoveryRules).where(eq(discoveryRules.id, id)).run();
        audit.record(tx, { resourceId: id, before: toDiscoveryRule(before) });
        return { status: 'deleted' as const, id };
      },
      { behavior: 'immediate' },
    );
  });
}
