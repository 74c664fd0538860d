// Creates or updates a discovery rule. One rule per network: a create for a network that has a
// rule updates that rule (Rackd's upsert). Fields not sent keep their values. next_run_at moves
// to now + interval_hours when the rule is created, (re-)enabled or its interval changes.
import { eq } from 'drizzle-orm';
import { SaveDiscoveryRuleInputSchema, type DiscoveryRule } from '../../../schemas/schedules.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { discoveryRules } from '../../db/schema/index.ts';
import { validationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { assertScanProfileExists } from '../scan-profiles/internal.ts';
import { getNetworkOrThrow } from '../networks/internal.ts';
import { assertNetworkExists } from '../scheduled-scans/internal.ts';
import { getDiscoveryRuleOrThrow, nextRuleRun, normalizeExcludes, toDiscoveryRule } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function saveDiscoveryRule(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<DiscoveryRule> {
  const rawId = (raw as { id?: unknown })?.id;
  const isUpdate = typeof rawId === 'string';
  return audited(env, ctx, { action: isUpdate ? 'discovery_rule.update' : 'discovery_rule.create', resource: 'discovery_rule', resourceId: isUpdate ? rawId : undefined }, (audit) => {
    // Creating (even when it lands on the network's existing rule) needs create; updating by id, update.
    requirePermission(ctx, isUpdate ? 'discovery:update' : 'discovery:create');
    const input = SaveDiscoveryRuleInputSchema.parse(raw);
    const now = env.clock.now();
    return syncWrite(env, (tx) => {
        let before = input.id === undefined ? undefined : getDiscoveryRuleOrThrow(tx, input.id);
        if (!before) {
          if (!input.network_id) throw validationError('network_id', 'is required');
          assertNetworkExists(tx, input.network_id);
          before = tx.select().from(discoveryRules).where(eq(discoveryRules.networkId, input.network_id)).get();
        } else if (input.network_id !== undefined && input.network_id !== before.networkId) {
          throw validationError('network_id', 'a rule cannot move to another network; create a rule for that network');
        }
        if (input.profile_id) assertScanProfileExists(tx, input.profile_id);
        const excludes = input.exclude_ips === undefined ? undefined : normalizeExcludes(input.exclude_ips, getNetworkOrThrow(tx, before?.networkId ?? input.network_id!));
        const enabled = input.enabled ?? before?.enabled ?? true;
        const intervalHours = input.interval_hours ?? before?.intervalHours ?? 24;
        const reschedule = !before || enabled !== before.enabled || intervalHours !== before.intervalHours;
        const row = {
          id: before?.id ?? newId(),
          networkId: before?.networkId ?? input.network_id!,
          enabled,
          scanType: input.scan_type ?? before?.scanType ?? 'quick',
          profileId: input.profile_id === undefined ? (before?.profileId ?? null) : input.profile_id,
          intervalHours,
          excludeIps: excludes === undefined ? (before?.excludeIps ?? '[]') : JSON.stringify(excludes),
          lastRunAt: before?.lastRunAt ?? null,
          nextRunAt: !enabled ? null : reschedule ? nextRuleRun(now, intervalHours) : (before?.nextRunAt ?? nextRuleRun(now, intervalHours)),
          createdAt: before?.createdAt ?? now.toISOString(),
          updatedAt: now.toISOString(),
        };
        if (before) tx.update(discoveryRules).set(row).where(eq(discoveryRules.id, row.id)).run();
        else tx.insert(discoveryRules).values(row).run();
        const out = toDiscoveryRule(row);
        audit.record(tx, { resourceId: row.id, before: before ? toDiscoveryRule(before) : undefined, after: out });
        return out;
      });
  });
}
