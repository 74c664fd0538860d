import { IdInputSchema } from '../../../schemas/common.ts';
import { asc, eq } from 'drizzle-orm';
import type { Permission } from '../../../schemas/roles.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { permissions, rolePermissions, userRoles } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { toPermission } from '../roles/internal.ts';
import { getUserOrThrow } from './internal.ts';

/** GET /api/users/{id}/permissions: the union of the permissions of the user's roles. */
export async function listPermissionsOfUser(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ items: Permission[]; total: number }> {
  return audited(env, ctx, { action: 'user.permissions', resource: 'user', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'role:list');
    requirePermission(ctx, 'user:read');
    const { id } = IdInputSchema.parse(raw);
    getUserOrThrow(env.db, id);
    const rows = env.db
      .selectDistinct({ p: permissions })
      .from(userRoles)
      .innerJoin(rolePermissions, eq(rolePermissions.roleId, userRoles.roleId))
      .innerJoin(permissions, eq(permissions.id, rolePermissions.permissionId))
      .where(eq(userRoles.userId, id))
      .orderBy(asc(permissions.name))
      .all();
    const items = rows.map((r) => toPermission(r.p));
    return { items, total: items.length };
  });
}
