import { ChangePasswordInputSchema } from '../../../schemas/users.ts';
import { requireAuthenticated, requirePermission, userIdOf, type CallerContext } from '../../auth/context.ts';
import { validationError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { requireAdminForTarget } from './guards.ts';
import { getUserOrThrow } from './internal.ts';
import { assertPasswordPolicy } from './password-policy.ts';
import { storeNewPassword } from './set-password.ts';

/**
 * POST /api/users/{id}/password. Changing your own password needs no permission but does need
 * the current password, so a stolen session cannot lock the owner out; changing someone else's
 * needs user:update (and admin rights for an administrator's account). Every session of the
 * user ends, the caller's own included.
 */
export async function changePassword(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<void> {
  return audited(env, ctx, { action: 'user.password_change', resource: 'user', resourceId: rawString(raw) }, async (audit) => {
    const self = rawString(raw) === userIdOf(ctx);
    if (self) requireAuthenticated(ctx);
    else requirePermission(ctx, 'user:update');
    const { id, ...input } = ChangePasswordInputSchema.parse(raw);
    const row = getUserOrThrow(env.db, id);
    if (!self) requireAdminForTarget(env.db, ctx, row, "change administrators' passwords");
    assertPasswordPolicy(input.new_password, 'new_password');
    if (self) {
      if (!input.old_password) throw validationError('old_password', 'is required to change your own password');
      if (!(await env.passwords.verify(input.old_password, row.passwordHash))) {
        throw validationError('old_password', 'Current password is incorrect');
      }
    }
    const hash = await env.passwords.hash(input.new_password);
    await storeNewPassword(env, audit, id, hash, self ? row.passwordHash : undefined);
  });
}
