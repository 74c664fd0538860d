import type { DiscoveryScan } from '../../../schemas/discovery.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getScanOrThrow, toScan } from './internal.ts';

export async function getScan(env: ServiceEnv, ctx: CallerContext, id: string): Promise<DiscoveryScan> {
  return audited(env, ctx, { action: 'discovery_scan.read', resource: 'discovery_scan', resourceId: id, read: true }, () => {
    requirePermission(ctx, 'discovery:read');
    return toScan(getScanOrThrow(env.db, id));
  });
}
