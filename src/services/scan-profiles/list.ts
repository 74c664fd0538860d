import { asc, count, eq } from 'drizzle-orm';
import { ListScanProfilesInputSchema } from '../../../schemas/scan-profiles.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { scanProfiles } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow } from '../paging.ts';
import { toScanProfile } from './internal.ts';

export async function listScanProfiles(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'scan_profile.list', resource: 'scan_profile', read: true }, () => {
    requirePermission(ctx, 'scan-profile:list');
    const input = ListScanProfilesInputSchema.parse(raw);
    const window = pageWindow(input);
    const where = input.scan_type ? eq(scanProfiles.scanType, input.scan_type) : undefined;
    const rows = env.db.select().from(scanProfiles).where(where).orderBy(asc(scanProfiles.name), asc(scanProfiles.id)).limit(window.limit).offset(window.offset).all();
    const total = env.db.select({ n: count() }).from(scanProfiles).where(where).get()!.n;
    return page(rows.map(toScanProfile), total, window);
  });
}
