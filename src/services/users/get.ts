import { IdInputSchema } from '../../../schemas/common.ts';
import type { User } from '../../../schemas/users.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getUserOrThrow, rolesOfUser, toUser } from './internal.ts';

/** One user with their roles; the caller's own account is also at GET /api/auth/me. */
export async function getUser(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<User> {
  return audited(env, ctx, { action: 'user.read', resource: 'user', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'user:read');
    const { id } = IdInputSchema.parse(raw);
    return toUser(getUserOrThrow(env.db, id), rolesOfUser(env.db, id));
  });
}
