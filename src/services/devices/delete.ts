import { IdInputSchema } from '../../../schemas/common.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { deleteDeviceTx } from './write.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** Deletes a device; its addresses leave their pools (claims released) and relationships cascade. */
export async function deleteDevice(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'device.delete', resource: 'device', resourceId: rawString(raw) }, (audit) => {
    requirePermission(ctx, 'device:delete');
    const { id } = IdInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        const before = deleteDeviceTx(tx, id);
        audit.record(tx, { resourceId: id, before });
        return { status: 'deleted' as const, id };
      });
  });
}
