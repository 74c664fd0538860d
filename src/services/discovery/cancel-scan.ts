// Cancelling stops the probes at once (the scan's AbortController closes every socket in flight),
// then the runner writes the last counts and status cancelled before this returns. A pending or
// running scan this process does not run (its runner died with a previous process) is marked
// cancelled directly.
import { IdInputSchema } from '../../../schemas/common.ts';
import type { DiscoveryScan } from '../../../schemas/discovery.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { scanManager } from '../../discovery/runner.ts';
import { AppError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getScanOrThrow, toScan } from './internal.ts';
import { finishScan } from './persist.ts';

export async function cancelScan(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<DiscoveryScan> {
  return audited(env, ctx, { action: 'discovery_scan.cancel', resource: 'discovery_scan', resourceId: rawString(raw) }, async () => {
    requirePermission(ctx, 'discovery:delete');
    const { id } = IdInputSchema.parse(raw);
    const scan = getScanOrThrow(env.db, id);
    if (scan.status !== 'pending' && scan.status !== 'running') {
      throw new AppError('VALIDATION_ERROR', `status: the scan is ${scan.status}; only pending or running scans can be cancelled`, {
        details: [{ field: 'status', message: `is ${scan.status}` }],
      });
    }
    if (!(await scanManager(env).cancel(id))) await finishScan(env, ctx, id, 'cancelled', 'scan cancelled', undefined);
    return toScan(getScanOrThrow(env.db, id));
  });
}
