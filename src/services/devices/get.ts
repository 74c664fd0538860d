import type { Device } from '../../../schemas/devices.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { loadDevice } from './internal.ts';

/** One device with its addresses, tags and domains. */
export async function getDevice(env: ServiceEnv, ctx: CallerContext, id: string): Promise<Device> {
  return audited(env, ctx, { action: 'device.read', resource: 'device', resourceId: id, read: true }, () => {
    requirePermission(ctx, 'device:read');
    return loadDevice(env.db, id);
  });
}
