import { IdInputSchema } from '../../../schemas/common.ts';
import type { Role } from '../../../schemas/roles.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getRoleOrThrow, permissionsOfRole, toRole } from './internal.ts';

/** One role with its permissions (Rackd omits them here; including them costs one query). */
export async function getRole(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Role> {
  return audited(env, ctx, { action: 'role.read', resource: 'role', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'role:read');
    const { id } = IdInputSchema.parse(raw);
    const row = getRoleOrThrow(env.db, id);
    return toRole(row, permissionsOfRole(env.db, id));
  });
}
