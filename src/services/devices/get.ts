import { IdInputSchema } from '../../../schemas/common.ts';
import type { Device } from '../../../schemas/devices.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { readDevice } from './internal.ts';

/** One device with its addresses, tags and domains. */
export async function getDevice(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Device> {
  return audited(env, ctx, { action: 'device.read', resource: 'device', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'device:read');
    const { id } = IdInputSchema.parse(raw);
    return readDevice(env.db, id);
  });
}
