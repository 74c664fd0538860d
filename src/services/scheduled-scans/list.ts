import { and, asc, count, eq } from 'drizzle-orm';
import { ListScheduledScansInputSchema } from '../../../schemas/schedules.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { scheduledScans } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow } from '../paging.ts';
import { toScheduledScan } from './internal.ts';

export async function listScheduledScans(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'scheduled_scan.list', resource: 'scheduled_scan', read: true }, () => {
    requirePermission(ctx, 'scheduled-scan:list');
    const input = ListScheduledScansInputSchema.parse(raw);
    const window = pageWindow(input);
    const where = and(
      input.network_id ? eq(scheduledScans.networkId, input.network_id) : undefined,
      input.enabled === undefined ? undefined : eq(scheduledScans.enabled, input.enabled),
    );
    const rows = env.db.select().from(scheduledScans).where(where).orderBy(asc(scheduledScans.name), asc(scheduledScans.id)).limit(window.limit).offset(window.offset).all();
    const total = env.db.select({ n: count() }).from(scheduledScans).where(where).get()!.n;
    return page(rows.map(toScheduledScan), total, window);
  });
}
