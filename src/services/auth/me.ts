import { EmptyInputSchema } from '../../../schemas/common.ts';
import type { CurrentUser } from '../../../schemas/users.ts';
import { requireAuthenticated, userIdOf, type CallerContext } from '../../auth/context.ts';
import { AppError } from '../../platform/errors.ts';
import type { ServiceEnv } from '../env.ts';
import { getUserOrThrow, rolesOfUser, roleRef, toUser } from '../users/internal.ts';

/** The caller's own account, roles and effective permissions (scopes applied for OAuth), already sorted. */
export async function getCurrentUser(env: ServiceEnv, ctx: CallerContext, raw: unknown = {}): Promise<CurrentUser> {
  requireAuthenticated(ctx);
  EmptyInputSchema.parse(raw);
  const id = userIdOf(ctx);
  if (!id) throw new AppError('UNAUTHORIZED', 'This caller is not a user');
  const row = getUserOrThrow(env.db, id);
  const roleRows = rolesOfUser(env.db, id);
  return { ...toUser(row, roleRows), roles: roleRows.map(roleRef), permissions: [...ctx.permissions] };
}
