import type { ScheduledScan } from '../../../schemas/schedules.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getScheduledScanOrThrow, toScheduledScan } from './internal.ts';

export async function getScheduledScan(env: ServiceEnv, ctx: CallerContext, id: string): Promise<ScheduledScan> {
  return audited(env, ctx, { action: 'scheduled_scan.read', resource: 'scheduled_scan', resourceId: id, read: true }, () => {
    requirePermission(ctx, 'scheduled-scan:read');
    return toScheduledScan(getScheduledScanOrThrow(env.db, id));
  });
}
