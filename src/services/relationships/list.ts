// Relationship lists: all of them (relationship_list), those of one device as parent or child
// (device_get_relationships), and the devices on the other end (device_related).
import { and, asc, count, eq, or, sql, type SQL } from 'drizzle-orm';
import { DeviceRelationshipsInputSchema, ListRelationshipsInputSchema, RelatedDevicesInputSchema } from '../../../schemas/relationships.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { deviceRelationships as rel, devices } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import { getDeviceRowOrThrow } from '../devices/internal.ts';
import { pageOfDevices } from '../devices/list.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow, type PageInput } from '../paging.ts';
import { toRelationship } from './internal.ts';

function pageOfRelationships(db: DbOrTx, where: SQL | undefined, input: PageInput) {
  const window = pageWindow(input);
  const rows = db.select().from(rel).where(where).orderBy(asc(rel.createdAt), asc(rel.parentId), asc(rel.childId), asc(rel.type)).limit(window.limit).offset(window.offset).all();
  const total = db.select({ n: count() }).from(rel).where(where).get()!.n;
  return page(rows.map(toRelationship), total, window);
}

const touching = (id: string) => or(eq(rel.parentId, id), eq(rel.childId, id));

export async function listRelationships(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'relationship.list', resource: 'relationship', read: true }, () => {
    requirePermission(ctx, 'relationship:list');
    const input = ListRelationshipsInputSchema.parse(raw);
    const where = and(input.type ? eq(rel.type, input.type) : undefined, input.device_id ? touching(input.device_id) : undefined);
    return pageOfRelationships(env.db, where, input);
  });
}

export async function listDeviceRelationships(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'relationship.read', resource: 'relationship', read: true }, () => {
    requirePermission(ctx, 'relationship:read');
    const input = DeviceRelationshipsInputSchema.parse(raw);
    getDeviceRowOrThrow(env.db, input.id, 'id');
    return pageOfRelationships(env.db, and(touching(input.id), input.type ? eq(rel.type, input.type) : undefined), input);
  });
}

/** The devices at the other end of the device's relationships (either direction), sorted by name. */
export async function listRelatedDevices(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'relationship.read', resource: 'relationship', read: true }, () => {
    requirePermission(ctx, 'relationship:read');
    const input = RelatedDevicesInputSchema.parse(raw);
    getDeviceRowOrThrow(env.db, input.id, 'id');
    const type = input.type ? sql`AND r.type = ${input.type}` : sql``;
    const where = sql`${devices.id} IN (
      SELECT r.child_id FROM device_relationships r WHERE r.parent_id = ${input.id} ${type}
      UNION SELECT r.parent_id FROM device_relationships r WHERE r.child_id = ${input.id} ${type})`;
    return pageOfDevices(env.db, where, input);
  });
}
