// Shared helpers of the user and role verbs: row mapping, lookups, effective permissions.
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { roles, userRoles, users } from '../../db/schema/index.ts';
import { notFound } from '../../platform/errors.ts';
import type { CurrentUser, User } from '../../../schemas/users.ts';

export type UserRow = typeof users.$inferSelect;
export type RoleRow = typeof roles.$inferSelect;

export const roleRef = (r: RoleRow) => ({ id: r.id, name: r.name, description: r.description, is_system: r.isSystem });

export function toUser(row: UserRow, roleRows?: RoleRow[]): User {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    full_name: row.fullName,
    is_active: row.isActive,
    is_admin: row.isAdmin,
    last_login_at: row.lastLoginAt,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    ...(roleRows ? { roles: roleRows.map(roleRef) } : {}),
  };
}

export function findUser(db: DbOrTx, id: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export function getUserOrThrow(db: DbOrTx, id: string): UserRow {
  const row = findUser(db, id);
  if (!row) throw notFound('User', id);
  return row;
}

export function findUserByUsername(db: DbOrTx, username: string): UserRow | undefined {
  return db
    .select()
    .from(users)
    .where(sql`lower(${users.username}) = lower(${username})`)
    .get();
}

export function rolesOfUser(db: DbOrTx, userId: string): RoleRow[] {
  return db
    .select({ role: roles })
    .from(userRoles)
    .innerJoin(roles, eq(userRoles.roleId, roles.id))
    .where(eq(userRoles.userId, userId))
    .orderBy(roles.name)
    .all()
    .map((r) => r.role);
}

/** Effective permission names of a user: the union of their roles' grants. */
export function permissionsOfUser(db: DbOrTx, userId: string): string[] {
  const rows = db.all<{ name: string }>(sql`
    SELECT DISTINCT p.name AS name FROM user_roles ur
    JOIN role_permissions rp ON rp.role_id = ur.role_id
    JOIN permissions p ON p.id = rp.permission_id
    WHERE ur.user_id = ${userId} ORDER BY p.name`);
  return rows.map((r) => r.name);
}

export function hasAdminRole(db: DbOrTx, userId: string): boolean {
  return rolesOfUser(db, userId).some((r) => r.isSystem && r.name === 'admin');
}

export function toCurrentUser(db: DbOrTx, row: UserRow): CurrentUser {
  return { ...toUser(row, rolesOfUser(db, row.id)), roles: rolesOfUser(db, row.id).map(roleRef), permissions: permissionsOfUser(db, row.id) };
}
