import { and, eq } from 'drizzle-orm';
import { RoleGrantInputSchema } from '../../../schemas/users.ts';
import { requireAdmin, requirePermission, type CallerContext } from '../../auth/context.ts';
import { userRoles } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getRoleOrThrow } from '../roles/internal.ts';
import { assertNotLastAdmin } from './guards.ts';
import { getUserOrThrow, rolesOfUser, syncAdminFlag } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/**
 * Revokes a role from a user; revoking a role the user does not hold succeeds (idempotent).
 * System roles only by administrators, and never the admin role of the last active administrator.
 */
export async function revokeRole(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ revoked: boolean }> {
  return audited(env, ctx, { action: 'role.revoke', resource: 'user' }, (audit) => {
    requirePermission(ctx, 'role:update');
    const input = RoleGrantInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        const user = getUserOrThrow(tx, input.user_id);
        const role = getRoleOrThrow(tx, input.role_id);
        if (role.isSystem) requireAdmin(ctx, 'revoke system roles');
        if (role.isSystem && role.name === 'admin') assertNotLastAdmin(tx, user);
        const before = rolesOfUser(tx, user.id).map((r) => r.name);
        const removed = tx
          .delete(userRoles)
          .where(and(eq(userRoles.userId, user.id), eq(userRoles.roleId, role.id)))
          .run().changes;
        syncAdminFlag(tx, user.id);
        audit.record(tx, {
          resourceId: user.id,
          before: { roles: before },
          after: { roles: rolesOfUser(tx, user.id).map((r) => r.name) },
          extra: { role_id: role.id, role_name: role.name, was_granted: removed > 0 },
        });
        return { revoked: removed > 0 };
      });
  });
}
