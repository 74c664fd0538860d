import { IdInputSchema } from '../../../schemas/common.ts';
import type { ScanProfile } from '../../../schemas/scan-profiles.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getScanProfileOrThrow, toScanProfile } from './internal.ts';

export async function getScanProfile(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<ScanProfile> {
  return audited(env, ctx, { action: 'scan_profile.read', resource: 'scan_profile', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'scan-profile:read');
    const { id } = IdInputSchema.parse(raw);
    return toScanProfile(getScanProfileOrThrow(env.db, id));
  });
}
