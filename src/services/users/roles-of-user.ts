import { IdInputSchema } from '../../../schemas/common.ts';
import type { Role } from '../../../schemas/roles.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { toRole } from '../roles/internal.ts';
import { getUserOrThrow, rolesOfUser } from './internal.ts';

/** GET /api/users/{id}/roles: the roles granted to a user (without their permissions). */
export async function listRolesOfUser(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ items: Role[]; total: number }> {
  return audited(env, ctx, { action: 'user.roles', resource: 'user', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'role:list');
    requirePermission(ctx, 'user:read');
    const { id } = IdInputSchema.parse(raw);
    getUserOrThrow(env.db, id);
    const items = rolesOfUser(env.db, id).map((r) => toRole(r));
    return { items, total: items.length };
  });
}
