import type { Role } from '../../../schemas/roles.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { toRole } from '../roles/internal.ts';
import { getUserOrThrow, rolesOfUser } from './internal.ts';

/** GET /api/users/{id}/roles: the roles granted to a user (without their permissions). */
export async function listRolesOfUser(env: ServiceEnv, ctx: CallerContext, id: string): Promise<{ items: Role[]; total: number }> {
  return audited(env, ctx, { action: 'user.roles', resource: 'user', resourceId: id, read: true }, () => {
    requirePermission(ctx, 'role:list');
    requirePermission(ctx, 'user:read');
    getUserOrThrow(env.db, id);
    const items = rolesOfUser(env.db, id).map((r) => toRole(r));
    return { items, total: items.length };
  });
}
