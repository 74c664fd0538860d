import type { DiscoveryRule } from '../../../schemas/schedules.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getDiscoveryRuleOrThrow, toDiscoveryRule } from './internal.ts';

export async function getDiscoveryRule(env: ServiceEnv, ctx: CallerContext, id: string): Promise<DiscoveryRule> {
  return audited(env, ctx, { action: 'discovery_rule.read', resource: 'discovery_rule', resourceId: id, read: true }, () => {
    requirePermission(ctx, 'discovery:read');
    return toDiscoveryRule(getDiscoveryRuleOrThrow(env.db, id));
  });
}
