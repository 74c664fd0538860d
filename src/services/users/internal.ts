// Shared helpers of the user and role verbs: row mapping, lookups, effective permissions.
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { generationCache } from '../../db/generation.ts';
import { perDb } from '../../db/prepared.ts';
import { permissions, rolePermissions, roles, userRoles, users } from '../../db/schema/index.ts';
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

const userById = perDb((db) => db.select().from(users).where(eq(users.id, sql.placeholder('id'))).prepare());

export function findUser(db: DbOrTx, id: string): UserRow | undefined {
  return userById(db).get({ id });
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

const rolesByUser = perDb((db) =>
  db
    .select()
    .from(userRoles)
    .innerJoin(roles, eq(userRoles.roleId, roles.id))
    .where(eq(userRoles.userId, sql.placeholder('userId')))
    .orderBy(roles.name)
    .prepare(),
);

export function rolesOfUser(db: DbOrTx, userId: string): RoleRow[] {
  return rolesByUser(db)
    .all({ userId })
    .map((r) => r.roles);
}

const permissionNamesByUser = perDb((db) =>
  db
    .selectDistinct({ name: permissions.name })
    .from(userRoles)
    .innerJoin(rolePermissions, eq(rolePermissions.roleId, userRoles.roleId))
    .innerJoin(permissions, eq(permissions.id, rolePermissions.permissionId))
    .where(eq(userRoles.userId, sql.placeholder('userId')))
    .orderBy(permissions.name)
    .prepare(),
);

/** Effective permission names of a user: the union of their roles' grants. */
export function permissionsOfUser(db: DbOrTx, userId: string): string[] {
  return permissionNamesByUser(db)
    .all({ userId })
    .map((r) => r.name);
}

const adminRoleOfUser = perDb((db) =>
  db
    .select({ one: sql<number>`1` })
    .from(userRoles)
    .innerJoin(roles, eq(userRoles.roleId, roles.id))
    .where(and(eq(userRoles.userId, sql.placeholder('userId')), eq(roles.isSystem, true), eq(roles.name, 'admin')))
    .limit(1)
    .prepare(),
);

/** Holds the built-in admin role (the system role named exactly `admin`). */
export function hasAdminRole(db: DbOrTx, userId: string): boolean {
  return adminRoleOfUser(db).get({ userId }) !== undefined;
}

export interface UserAccess {
  /** Sorted, distinct permission names granted by the user's roles (frozen: the list is shared). */
  readonly permissions: readonly string[];
  /** The same names as a set, shared by every request of this user (callers only read it). */
  readonly permissionSet: ReadonlySet<string>;
  readonly isAdmin: boolean;
}

const accessCache = generationCache<UserAccess>(10_000);

/** A Set that refuses changes once built, so one can be shared by every request of a user. */
class FrozenSet<T> extends Set<T> {
  constructor(values: Iterable<T>) {
    super();
    for (const v of values) super.add(v);
  }
  override add(): this {
    throw new TypeError('permission sets are read-only');
  }
  override delete(): boolean {
    throw new TypeError('permission sets are read-only');
  }
  override clear(): void {
    throw new TypeError('permission sets are read-only');
  }
}

const loadAccess = (db: DbOrTx, userId: string): UserAccess => {
  const permissions = Object.freeze(permissionsOfUser(db, userId));
  return { permissions, permissionSet: new FrozenSet(permissions), isAdmin: hasAdminRole(db, userId) };
};


/**
 * A user's effective permissions and admin flag, which every authenticated request needs.
 * Joining the grants cost more than the rest of GET /api/auth/me together (bench/auth-me), so
 * the answer is cached per connection and the whole cache is dropped whenever the database may
 * have changed (`dataGeneration`: any write by this connection, any commit by another).
 * Inside a transaction the rows read may be uncommitted, so nothing is cached or served there.
 */
export function accessOfUser(db: DbOrTx, userId: string): UserAccess {
  const cache = accessCache(db);
  if (!cache) return loadAccess(db, userId);
  let access = cache.get(userId);
  if (!access) cache.set(userId, (access = loadAccess(db, userId)));
  return access;
}

export function toCurrentUser(db: DbOrTx, row: UserRow): CurrentUser {
  return { ...toUser(row, rolesOfUser(db, row.id)), roles: rolesOfUser(db, row.id).map(roleRef), permissions: permissionsOfUser(db, row.id) };
}

/**
 * `is_admin` and the built-in admin role mean one thing: the flag mirrors whether the user holds
 * the role. Call after any change of a user's roles, in the same transaction.
 */
export function syncAdminFlag(tx: DbOrTx, userId: string): void {
  tx.update(users).set({ isAdmin: hasAdminRole(tx, userId) }).where(eq(users.id, userId)).run();
}

/** Grants or revokes the built-in admin role so that the user's is_admin becomes `admin`. */
export function setAdminRole(tx: DbOrTx, userId: string, admin: boolean, now: string): void {
  const role = tx.select().from(roles).where(and(eq(roles.name, 'admin'), eq(roles.isSystem, true))).get();
  if (!role) throw new Error('the built-in admin role is missing');
  if (admin) tx.insert(userRoles).values({ userId, roleId: role.id, createdAt: now }).onConflictDoNothing().run();
  else tx.delete(userRoles).where(and(eq(userRoles.userId, userId), eq(userRoles.roleId, role.id))).run();
  syncAdminFlag(tx, userId);
}
