import { ResetPasswordInputSchema } from '../../../schemas/users.ts';
import { requirePermission, userIdOf, type CallerContext } from '../../auth/context.ts';
import { forbidden } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { requireAdminForTarget } from './guards.ts';
import { getUserOrThrow } from './internal.ts';
import { assertPasswordPolicy } from './password-policy.ts';
import { storeNewPassword } from './set-password.ts';

/**
 * POST /api/users/{id}/reset-password: sets another user's password without knowing the old one,
 * then ends all their sessions. Resetting your own is refused: it would let anyone holding
 * user:update skip the current-password check of POST /api/users/{id}/password.
 */
export async function resetPassword(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<void> {
  return audited(env, ctx, { action: 'user.password_reset', resource: 'user', resourceId: rawString(raw) }, async (audit) => {
    requirePermission(ctx, 'user:update');
    const { id, ...input } = ResetPasswordInputSchema.parse(raw);
    if (id === userIdOf(ctx)) {
      throw forbidden('Forbidden: change your own password with POST /api/users/{id}/password and your current password');
    }
    const row = getUserOrThrow(env.db, id);
    requireAdminForTarget(env.db, ctx, row, "reset administrators' passwords");
    assertPasswordPolicy(input.new_password, 'new_password');
    const hash = await env.passwords.hash(input.new_password);
    await storeNewPassword(env, audit, id, hash);
  });
}
