// Role lookup for `rackd user create --role`: operators name roles ("operator"), not ids.
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { notFound } from '../../platform/errors.ts';
import type { ServiceEnv } from '../env.ts';
import { findRole, findRoleByName } from '../roles/internal.ts';
import { roleRef } from './internal.ts';

/** Finds a role by id, else by name (names are unique case-insensitively). */
export function resolveRole(env: ServiceEnv, ctx: CallerContext, nameOrId: string): ReturnType<typeof roleRef> {
  requirePermission(ctx, 'role:read');
  const row = findRole(env.db, nameOrId) ?? findRoleByName(env.db, nameOrId);
  if (!row) throw notFound('Role', nameOrId);
  return roleRef(row);
}
