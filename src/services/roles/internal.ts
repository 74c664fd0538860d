// Shared helpers of the role verbs: row mapping, lookups, permission references, and the rule
// that keeps role management from being a privilege-escalation path for non-admins.
import { asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Permission, Role } from '../../../schemas/roles.ts';
import { isPrivileged, type CallerContext } from '../../auth/context.ts';
import { SYSTEM_ROLE_NAMES } from '../../auth/permissions.ts';
import type { DbOrTx } from '../../db/client.ts';
import { permissions, rolePermissions, roles } from '../../db/schema/index.ts';
import { AppError, notFound, type ErrorDetail } from '../../platform/errors.ts';

export type RoleRow = typeof roles.$inferSelect;
export type PermissionRow = typeof permissions.$inferSelect;

export const toPermission = (p: PermissionRow): Permission => ({
  id: p.id,
  name: p.name,
  resource: p.resource,
  action: p.action,
  description: p.description,
});

export function toRole(row: RoleRow, perms?: PermissionRow[]): Role {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    is_system: row.isSystem,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
    ...(perms ? { permissions: perms.map(toPermission) } : {}),
  };
}

export const isSystemRoleName = (name: string): boolean => SYSTEM_ROLE_NAMES.has(name.trim().toLowerCase());

export function findRole(db: DbOrTx, id: string): RoleRow | undefined {
  return db.select().from(roles).where(eq(roles.id, id)).get();
}

export function getRoleOrThrow(db: DbOrTx, id: string): RoleRow {
  const row = findRole(db, id);
  if (!row) throw notFound('Role', id);
  return row;
}

export function findRoleByName(db: DbOrTx, name: string): RoleRow | undefined {
  return db
    .select()
    .from(roles)
    .where(sql`lower(${roles.name}) = lower(${name})`)
    .get();
}

export function permissionsOfRole(db: DbOrTx, roleId: string): PermissionRow[] {
  return db
    .select({ p: permissions })
    .from(rolePermissions)
    .innerJoin(permissions, eq(rolePermissions.permissionId, permissions.id))
    .where(eq(rolePermissions.roleId, roleId))
    .orderBy(asc(permissions.name))
    .all()
    .map((r) => r.p);
}

/** Permissions of several roles in one query, keyed by role id (every id present). */
export function permissionsOfRoles(db: DbOrTx, roleIds: string[]): Map<string, PermissionRow[]> {
  const out = new Map(roleIds.map((id) => [id, [] as PermissionRow[]]));
  if (roleIds.length === 0) return out;
  const rows = db
    .select({ roleId: rolePermissions.roleId, p: permissions })
    .from(rolePermissions)
    .innerJoin(permissions, eq(rolePermissions.permissionId, permissions.id))
    .where(inArray(rolePermissions.roleId, roleIds))
    .orderBy(asc(permissions.name))
    .all();
  for (const r of rows) out.get(r.roleId)?.push(r.p);
  return out;
}

/**
 * Resolves permission references given by id or by name, de-duplicated. Every unknown one is
 * named in the error, so a typo never silently produces a smaller role.
 */
export function resolvePermissionRefs(db: DbOrTx, refs: readonly string[], field = 'permissions'): PermissionRow[] {
  if (refs.length === 0) return [];
  const unique = [...new Set(refs)];
  const rows = db
    .select()
    .from(permissions)
    .where(or(inArray(permissions.id, unique), inArray(permissions.name, unique)))
    .all();
  const known = new Set(rows.flatMap((r) => [r.id, r.name]));
  const details: ErrorDetail[] = [];
  refs.forEach((ref, i) => {
    if (!known.has(ref)) details.push({ field: `${field}.${i}`, message: `unknown permission: ${ref}` });
  });
  if (details.length) {
    throw new AppError('VALIDATION_ERROR', details.map((d) => `${d.field}: ${d.message}`).join('; '), { details });
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Non-admins holding role:create or role:update could otherwise build a role with
 * every permission and give it to themselves. They may only hand out permissions they hold.
 */
export function assertCanHandOut(ctx: CallerContext, names: readonly string[], what: string): void {
  if (isPrivileged(ctx) || ctx.isAdmin) return;
  const missing = names.filter((n) => !ctx.permissions.has(n));
  if (missing.length === 0) return;
  throw new AppError('FORBIDDEN', `Forbidden: only administrators may ${what} with permissions they do not hold themselves (${missing.join(', ')})`, {
    details: missing.map((m) => ({ field: 'permission', message: m })),
  });
}
