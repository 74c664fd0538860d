import { IdInputSchema } from '../../../schemas/common.ts';
import type { ScheduledScan } from '../../../schemas/schedules.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getScheduledScanOrThrow, toScheduledScan } from './internal.ts';

export async function getScheduledScan(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<ScheduledScan> {
  return audited(env, ctx, { action: 'scheduled_scan.read', resource: 'scheduled_scan', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'scheduled-scan:read');
    const { id } = IdInputSchema.parse(raw);
    return toScheduledScan(getScheduledScanOrThrow(env.db, id));
  });
}
