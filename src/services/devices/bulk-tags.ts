// Bulk tag add/remove over up to 100 devices (REST only), all-or-nothing: an unknown device id
// fails the request and no device changes.
import { and, eq, inArray } from 'drizzle-orm';
import { BulkTagsInputSchema, type BulkResult } from '../../../schemas/devices.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { devices, deviceTags } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { bulkResult, parseBulk, runItems } from './bulk-run.ts';
import { indexDevice, loadDevice } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

async function changeTags(env: ServiceEnv, ctx: CallerContext, raw: unknown, mode: 'add' | 'remove'): Promise<BulkResult> {
  return audited(env, ctx, { action: mode === 'add' ? 'device.bulk_add_tags' : 'device.bulk_remove_tags', resource: 'device' }, (audit) => {
    requirePermission(ctx, 'device:update');
    const input = parseBulk(BulkTagsInputSchema, raw);
    const tags = [...new Set(input.tags)];
    const ids = [...new Set(input.device_ids)];
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        const changes = runItems(tx, 'device_ids', ids, (sp, id) => {
          const before = loadDevice(sp, id);
          if (mode === 'add') {
            for (const tag of tags) sp.insert(deviceTags).values({ deviceId: id, tag }).onConflictDoNothing().run();
          } else {
            sp.delete(deviceTags).where(and(eq(deviceTags.deviceId, id), inArray(deviceTags.tag, tags))).run();
          }
          sp.update(devices).set({ updatedAt: now }).where(eq(devices.id, id)).run();
          const after = loadDevice(sp, id);
          indexDevice(sp, after);
          return { before, after };
        });
        // before/after per device: the audit entry shows each change and each device gets its device.updated event.
        audit.record(tx, { before: changes.map((c) => c.before), after: changes.map((c) => c.after), extra: { device_ids: ids, tags } });
        return bulkResult(ids);
      });
  });
}

export async function bulkAddDeviceTags(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<BulkResult> {
  return changeTags(env, ctx, raw, 'add');
}

export async function bulkRemoveDeviceTags(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<BulkResult> {
  return changeTags(env, ctx, raw, 'remove');
}
