import { IdInputSchema } from '../../../schemas/common.ts';
import type { DiscoveryScan } from '../../../schemas/discovery.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getScanOrThrow, toScan } from './internal.ts';

export async function getScan(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<DiscoveryScan> {
  return audited(env, ctx, { action: 'discovery_scan.read', resource: 'discovery_scan', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'discovery:read');
    const { id } = IdInputSchema.parse(raw);
    return toScan(getScanOrThrow(env.db, id));
  });
}
