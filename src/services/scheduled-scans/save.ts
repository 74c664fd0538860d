// Creates a scheduled scan (no id) or updates one partially. The cron expression is checked
// (5 fields, fires at all, not more often than every 5 minutes) and next_run_at is recomputed
// whenever the expression or the enabled flag changes; otherwise a pending run is kept.
import { eq } from 'drizzle-orm';
import { SaveScheduledScanInputSchema, type ScheduledScan } from '../../../schemas/schedules.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { scheduledScans } from '../../db/schema/index.ts';
import { validateCron } from '../../discovery/cron.ts';
import { validationError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { assertScanProfileExists } from '../scan-profiles/internal.ts';
import { assertNetworkExists, getScheduledScanOrThrow, toScheduledScan } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function saveScheduledScan(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<ScheduledScan> {
  const rawId = (raw as { id?: unknown })?.id;
  const action = typeof rawId === 'string' ? 'scheduled_scan.update' : 'scheduled_scan.create';
  return audited(env, ctx, { action, resource: 'scheduled_scan', resourceId: typeof rawId === 'string' ? rawId : undefined }, (audit) => {
    requirePermission(ctx, action === 'scheduled_scan.update' ? 'scheduled-scan:update' : 'scheduled-scan:create');
    const input = SaveScheduledScanInputSchema.parse(raw);
    const now = env.clock.now();
    const checked = input.cron_expression === undefined ? undefined : validateCron(input.cron_expression, now);
    return syncWrite(env, (tx) => {
        const before = input.id === undefined ? undefined : getScheduledScanOrThrow(tx, input.id);
        const name = input.name ?? before?.name;
        if (!name) throw validationError('name', 'is required');
        const networkId = input.network_id ?? before?.networkId;
        if (!networkId) throw validationError('network_id', 'is required');
        const profileId = input.profile_id ?? before?.profileId;
        if (!profileId) throw validationError('profile_id', 'is required');
        const cronExpression = input.cron_expression ?? before?.cronExpression;
        if (!cronExpression) throw validationError('cron_expression', 'is required');
        if (input.network_id !== undefined) assertNetworkExists(tx, networkId);
        if (input.profile_id !== undefined) assertScanProfileExists(tx, profileId);
        const enabled = input.enabled ?? before?.enabled ?? true;
        const rescheduled = !before || checked !== undefined || enabled !== before.enabled;
        const nextRunAt = !enabled ? null : rescheduled ? (checked?.next ?? validateCron(cronExpression, now).next).toISOString() : (before?.nextRunAt ?? null);
        const row = {
          id: before?.id ?? newId(),
          name,
          networkId,
          profileId,
          cronExpression: cronExpression.trim().split(/\s+/).join(' '),
          enabled,
          description: input.description ?? before?.description ?? '',
          lastRunAt: before?.lastRunAt ?? null,
          lastScanId: before?.lastScanId ?? null,
          nextRunAt,
          createdAt: before?.createdAt ?? now.toISOString(),
          updatedAt: now.toISOString(),
        };
        if (before) tx.update(scheduledScans).set(row).where(eq(scheduledScans.id, row.id)).run();
        else tx.insert(scheduledScans).values(row).run();
        const out = toScheduledScan(row);
        audit.record(tx, { resourceId: row.id, before: before ? toScheduledScan(before) : undefined, after: out });
        return out;
      });
  });
}
