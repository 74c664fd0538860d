import { IdInputSchema } from '../../../schemas/common.ts';
import { eq } from 'drizzle-orm';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { discoveryRules } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getDiscoveryRuleOrThrow, toDiscoveryRule } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function deleteDiscoveryRule(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'discovery_rule.delete', resource: 'discovery_rule', resourceId: rawString(raw) }, (audit) => {
    requirePermission(ctx, 'discovery:delete');
    const { id } = IdInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        const before = getDiscoveryRuleOrThrow(tx, id);
        tx.delete(discoveryRules).where(eq(discoveryRules.id, id)).run();
        audit.record(tx, { resourceId: id, before: toDiscoveryRule(before) });
        return { status: 'deleted' as const, id };
      });
  });
}
