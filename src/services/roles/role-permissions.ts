import { IdInputSchema } from '../../../schemas/common.ts';
import type { RolePermissions } from '../../../schemas/roles.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getRoleOrThrow, permissionsOfRole, toPermission, toRole } from './internal.ts';

/** Rackd's `{role, permissions}` shape for GET /api/roles/{id}/permissions. */
export async function getRolePermissions(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<RolePermissions> {
  return audited(env, ctx, { action: 'role.read', resource: 'role', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'role:read');
    const { id } = IdInputSchema.parse(raw);
    const row = getRoleOrThrow(env.db, id);
    return { role: toRole(row), permissions: permissionsOfRole(env.db, id).map(toPermission) };
  });
}
