// device_save: creates a device (no id) or updates one partially (id given: every field the
// caller did not send keeps its value — Rackd's MCP device_save wiped them; this one does not).
import { SaveDeviceInputSchema, type Device } from '../../../schemas/devices.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { createDeviceTx, updateDeviceTx } from './write.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function saveDevice(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Device> {
  const id = (raw as { id?: unknown })?.id;
  const update = typeof id === 'string';
  return audited(env, ctx, { action: update ? 'device.update' : 'device.create', resource: 'device', resourceId: update ? id : undefined }, (audit) => {
    requirePermission(ctx, update ? 'device:update' : 'device:create');
    const { id: deviceId, ...fields } = SaveDeviceInputSchema.parse(raw);
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        if (deviceId === undefined) {
          const after = createDeviceTx(tx, ctx, now, fields, audit);
          audit.record(tx, { resourceId: after.id, after });
          return after;
        }
        const { before, after } = updateDeviceTx(tx, ctx, now, deviceId, fields, audit);
        audit.record(tx, { resourceId: deviceId, before, after });
        return after;
      });
  });
}
