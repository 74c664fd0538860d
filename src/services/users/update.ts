import { and, eq, ne, sql } from 'drizzle-orm';
import { UpdateUserInputSchema, type User } from '../../../schemas/users.ts';
import { requireAdmin, requireAuthenticated, requirePermission, userIdOf, type CallerContext } from '../../auth/context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { users } from '../../db/schema/index.ts';
import { AppError, forbidden } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { assertNotLastAdmin, requireAdminForTarget } from './guards.ts';
import { getUserOrThrow, rolesOfUser, setAdminRole, toUser } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

const taken = (db: DbOrTx, column: typeof users.username | typeof users.email, value: string, id: string): boolean =>
  db
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${column}) = lower(${value})`, ne(users.id, id)))
    .get() !== undefined;

/**
 * Partial update. Users may edit their own username, email and full name without user:update,
 * but never their own is_active/is_admin: such a change is refused, not ignored, so the caller
 * learns it did not happen. Deactivation ends every session of the user.
 */
export async function updateUser(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<User> {
  return audited(env, ctx, { action: 'user.update', resource: 'user', resourceId: rawString(raw) }, async (audit) => {
    const self = rawString(raw) === userIdOf(ctx);
    if (self) requireAuthenticated(ctx);
    else requirePermission(ctx, 'user:update');
    const { id, ...input } = UpdateUserInputSchema.parse(raw);
    const now = env.clock.now().toISOString();
    const { user, deactivated } = await syncWrite(env, (tx) => {
        const row = getUserOrThrow(tx, id);
        // A value equal to the current one is not a change: a form may send the whole object back.
        const activeChange = input.is_active !== undefined && input.is_active !== row.isActive;
        const adminChange = input.is_admin !== undefined && input.is_admin !== row.isAdmin;
        if (self && activeChange) throw forbidden('Forbidden: you cannot activate or deactivate your own account');
        if (self && adminChange) throw forbidden('Forbidden: you cannot change your own is_admin flag');
        if (!self) requireAdminForTarget(tx, ctx, row, 'modify administrator accounts');
        if (adminChange) requireAdmin(ctx, 'set or unset is_admin');
        if (activeChange && input.is_active === false) assertNotLastAdmin(tx, row);
        if (input.username !== undefined && taken(tx, users.username, input.username, id)) {
          throw new AppError('ALREADY_EXISTS', `A user named ${input.username} already exists`, {
            details: [{ field: 'username', message: 'already exists' }],
          });
        }
        if (input.email !== undefined && taken(tx, users.email, input.email, id)) {
          throw new AppError('ALREADY_EXISTS', `A user with email ${input.email} already exists`, {
            details: [{ field: 'email', message: 'already exists' }],
          });
        }
        const patch = {
          ...(input.username !== undefined && { username: input.username }),
          ...(input.email !== undefined && { email: input.email }),
          ...(input.full_name !== undefined && { fullName: input.full_name }),
          ...(input.is_active !== undefined && { isActive: input.is_active }),
        };
        if (adminChange) {
          if (input.is_admin === false) assertNotLastAdmin(tx, row);
          setAdminRole(tx, id, input.is_admin!, now);
        }
        tx.update(users)
          .set({ ...patch, updatedAt: now })
          .where(eq(users.id, id))
          .run();
        const next = getUserOrThrow(tx, id);
        audit.record(tx, { resourceId: id, before: toUser(row), after: toUser(next) });
        return { user: toUser(next, rolesOfUser(tx, id)), deactivated: row.isActive && !next.isActive };
      });
    // Sessions also fail the per-request is_active check; deleting them frees the store (and Valkey).
    if (deactivated) await env.sessions.deleteForUser(id);
    return user;
  });
}
