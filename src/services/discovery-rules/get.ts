import { IdInputSchema } from '../../../schemas/common.ts';
import type { DiscoveryRule } from '../../../schemas/schedules.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getDiscoveryRuleOrThrow, toDiscoveryRule } from './internal.ts';

export async function getDiscoveryRule(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<DiscoveryRule> {
  return audited(env, ctx, { action: 'discovery_rule.read', resource: 'discovery_rule', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'discovery:read');
    const { id } = IdInputSchema.parse(raw);
    return toDiscoveryRule(getDiscoveryRuleOrThrow(env.db, id));
  });
}
