import { and, eq } from 'drizzle-orm';
import { RoleGrantInputSchema } from '../../../schemas/users.ts';
import { requireAdmin, requirePermission, type CallerContext } from '../../auth/context.ts';
import { userRoles } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { assertCanHandOut, getRoleOrThrow, permissionsOfRole } from '../roles/internal.ts';
import { getUserOrThrow, rolesOfUser, syncAdminFlag } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export interface GrantResult {
  /** False when the user already held the role: granting is idempotent (REST: 200 instead of 201). */
  created: boolean;
}

/**
 * Grants a role to a user. System roles only by administrators; a non-admin may only grant a
 * custom role whose permissions they hold themselves, or role:update would be a path to any permission.
 */
export async function grantRole(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<GrantResult> {
  return audited(env, ctx, { action: 'role.grant', resource: 'user' }, (audit) => {
    requirePermission(ctx, 'role:update');
    const input = RoleGrantInputSchema.parse(raw);
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        const user = getUserOrThrow(tx, input.user_id);
        const role = getRoleOrThrow(tx, input.role_id);
        if (role.isSystem) requireAdmin(ctx, 'grant system roles');
        assertCanHandOut(
          ctx,
          permissionsOfRole(tx, role.id).map((p) => p.name),
          'grant a role',
        );
        const before = rolesOfUser(tx, user.id).map((r) => r.name);
        const held = tx
          .select()
          .from(userRoles)
          .where(and(eq(userRoles.userId, user.id), eq(userRoles.roleId, role.id)))
          .get();
        if (!held) tx.insert(userRoles).values({ userId: user.id, roleId: role.id, createdAt: now }).run();
        syncAdminFlag(tx, user.id);
        audit.record(tx, {
          resourceId: user.id,
          before: { roles: before },
          after: { roles: rolesOfUser(tx, user.id).map((r) => r.name) },
          extra: { role_id: role.id, role_name: role.name, already_granted: !!held },
        });
        return { created: !held };
      });
  });
}
