import { eq } from 'drizzle-orm';
import { CreateUserInputSchema, type User } from '../../../schemas/users.ts';
import { requireAdmin, requirePermission, type CallerContext } from '../../auth/context.ts';
import { roles, userRoles, users } from '../../db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { assertCanHandOut, permissionsOfRole } from '../roles/internal.ts';
import { findUserByUsername, rolesOfUser, setAdminRole, syncAdminFlag, toUser } from './internal.ts';
import { assertPasswordPolicy } from './password-policy.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function createUser(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<User> {
  return audited(env, ctx, { action: 'user.create', resource: 'user' }, async (audit) => {
    requirePermission(ctx, 'user:create');
    const input = CreateUserInputSchema.parse(raw);
    assertPasswordPolicy(input.password);
    if (input.is_admin) requireAdmin(ctx, 'create administrators');
    if (input.role_id) {
      const role = env.db.select().from(roles).where(eq(roles.id, input.role_id)).get();
      if (!role) throw notFound('Role', input.role_id);
      // Same rules as granting a role: system roles are admin-only, and nobody hands out
      // permissions they do not hold themselves.
      if (role.isSystem) requireAdmin(ctx, 'grant system roles');
      assertCanHandOut(ctx, permissionsOfRole(env.db, role.id).map((p) => p.name), 'create a user with a role');
    }
    if (findUserByUsername(env.db, input.username)) {
      throw new AppError('ALREADY_EXISTS', `A user named ${input.username} already exists`);
    }
    const passwordHash = await env.passwords.hash(input.password);
    const now = env.clock.now().toISOString();
    const id = newId();
    return syncWrite(env, (tx) => {
        tx.insert(users)
          .values({
            id,
            username: input.username,
            email: input.email,
            fullName: input.full_name ?? '',
            passwordHash,
            isActive: true,
            isAdmin: input.is_admin ?? false,
            passwordChangedAt: now,
            createdAt: now,
            updatedAt: now,
          })
          .run();
        if (input.role_id) tx.insert(userRoles).values({ userId: id, roleId: input.role_id, createdAt: now }).run();
        // is_admin means holding the built-in admin role; the flag follows the role.
        if (input.is_admin) setAdminRole(tx, id, true, now);
        else syncAdminFlag(tx, id);
        const row = tx.select().from(users).where(eq(users.id, id)).get()!;
        const user = toUser(row, rolesOfUser(tx, id));
        audit.record(tx, { resourceId: id, after: user });
        return user;
      });
  });
}
