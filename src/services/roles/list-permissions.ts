import { and, asc, count, eq, type SQL } from 'drizzle-orm';
import { ListPermissionsInputSchema, type Permission } from '../../../schemas/roles.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { permissions } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { toPermission } from './internal.ts';

/** The permission catalogue, filtered by exact resource and/or action. */
export async function listPermissions(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ items: Permission[]; total: number }> {
  return audited(env, ctx, { action: 'permission.list', resource: 'permission', read: true }, () => {
    requirePermission(ctx, 'role:list');
    const input = ListPermissionsInputSchema.parse(raw);
    const where: SQL[] = [];
    if (input.resource) where.push(eq(permissions.resource, input.resource));
    if (input.action) where.push(eq(permissions.action, input.action));
    const cond = where.length ? and(...where) : undefined;
    const rows = env.db.select().from(permissions).where(cond).orderBy(asc(permissions.name)).limit(input.limit).offset(input.offset).all();
    const total = env.db.select({ n: count() }).from(permissions).where(cond).get()!.n;
    return { items: rows.map(toPermission), total };
  });
}
