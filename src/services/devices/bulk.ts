// Bulk device create, update and delete (REST only). One transaction for the whole request:
// either every item is applied or, when any item fails, nothing is (400 naming devices[i].field).
import { BulkCreateDevicesInputSchema, BulkIdsInputSchema, BulkUpdateDevicesInputSchema, type BulkResult } from '../../../schemas/devices.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { bulkResult, parseBulk, runItems } from './bulk-run.ts';
import { createDeviceTx, deleteDeviceTx, updateDeviceTx } from './write.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function bulkCreateDevices(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<BulkResult> {
  return audited(env, ctx, { action: 'device.bulk_create', resource: 'device' }, (audit) => {
    requirePermission(ctx, 'device:create');
    const input = parseBulk(BulkCreateDevicesInputSchema, raw);
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        const created = runItems(tx, 'devices', input.devices, (sp, item) => createDeviceTx(sp, ctx, now, item, audit));
        audit.record(tx, { after: created, extra: { ids: created.map((d) => d.id) } });
        return bulkResult(created.map((d) => d.id));
      });
  });
}

/** Partial updates, as device_save: fields an item does not send keep their values. */
export async function bulkUpdateDevices(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<BulkResult> {
  return audited(env, ctx, { action: 'device.bulk_update', resource: 'device' }, (audit) => {
    requirePermission(ctx, 'device:update');
    const input = parseBulk(BulkUpdateDevicesInputSchema, raw);
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        const changes = runItems(tx, 'devices', input.devices, (sp, { id, ...fields }) => updateDeviceTx(sp, ctx, now, id, fields, audit));
        const ids = input.devices.map((d) => d.id);
        audit.record(tx, { before: changes.map((c) => c.before), after: changes.map((c) => c.after), extra: { ids } });
        return bulkResult(ids);
      });
  });
}

/** Every id must exist; an unknown one fails the whole request (nothing is deleted). */
export async function bulkDeleteDevices(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<BulkResult> {
  return audited(env, ctx, { action: 'device.bulk_delete', resource: 'device' }, (audit) => {
    requirePermission(ctx, 'device:delete');
    const input = parseBulk(BulkIdsInputSchema, raw);
    return syncWrite(env, (tx) => {
        const ids = [...new Set(input.ids)];
        const deleted = runItems(tx, 'ids', ids, (sp, id) => deleteDeviceTx(sp, id));
        audit.record(tx, { before: deleted, extra: { ids } });
        return bulkResult(ids);
      });
  });
}
