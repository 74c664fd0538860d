// The special rules on top of permissions for user management (Rackd §4.1): administrators are
// protected from non-admins, and the server never ends up without an active administrator.
import { and, count, eq } from 'drizzle-orm';
import { requireAdmin, type CallerContext } from '../../auth/context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { roles, userRoles, users } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { hasAdminRole, type UserRow } from './internal.ts';

/** Either the informational is_admin flag or the built-in admin role makes an account protected. */
export const isAdministrator = (db: DbOrTx, row: UserRow): boolean => row.isAdmin || hasAdminRole(db, row.id);

/** Only administrators may modify, reset or delete another administrator's account. */
export function requireAdminForTarget(db: DbOrTx, ctx: CallerContext, row: UserRow, what: string): void {
  if (isAdministrator(db, row)) requireAdmin(ctx, what);
}

function activeAdminCount(db: DbOrTx): number {
  return db
    .select({ n: count() })
    .from(userRoles)
    .innerJoin(roles, eq(userRoles.roleId, roles.id))
    .innerJoin(users, eq(userRoles.userId, users.id))
    .where(and(eq(roles.name, 'admin'), eq(roles.isSystem, true), eq(users.isActive, true)))
    .get()!.n;
}

/**
 * Refuses a change that would leave no active holder of the admin role (call inside the write
 * transaction, before the change). Only the offline CLI or a system job could otherwise do it,
 * or an admin revoking their own role; either way nobody could administer the server afterwards.
 */
export function assertNotLastAdmin(db: DbOrTx, row: UserRow): void {
  if (!row.isActive || !hasAdminRole(db, row.id)) return;
  if (activeAdminCount(db) <= 1) {
    throw new AppError('CONFLICT', `${row.username} is the last active administrator; grant the admin role to another user first`);
  }
}
