// Offline password recovery (`rackd user reset-password`): sets a user's password by username and
// ends every session of that user. Same rules and audit action as the REST reset, plus one more:
// a password typed or piped with stray surrounding spaces would be unusable at the login form.
import { z } from 'zod';
import { ResetPasswordInputSchema } from '../../../schemas/users.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { notFound, validationError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { requireAdminForTarget } from './guards.ts';
import { findUserByUsername } from './internal.ts';
import { assertPasswordPolicy } from './password-policy.ts';
import { storeNewPassword } from './set-password.ts';

const OfflineResetInputSchema = ResetPasswordInputSchema.omit({ id: true }).extend({
  username: z.string().trim().min(1, 'is required').max(64).describe('The user whose password is reset'),
}).strict();

/** Returns the user's id. */
export async function resetPasswordOffline(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<string> {
  return audited(env, ctx, { action: 'user.password_reset', resource: 'user' }, async (audit) => {
    requirePermission(ctx, 'user:update');
    const input = OfflineResetInputSchema.parse(raw);
    const user = findUserByUsername(env.db, input.username);
    if (!user) throw notFound('User', input.username);
    requireAdminForTarget(env.db, ctx, user, "reset administrators' passwords");
    if (input.new_password !== input.new_password.trim()) {
      throw validationError('new_password', 'must not start or end with whitespace');
    }
    assertPasswordPolicy(input.new_password, 'new_password');
    const hash = await env.passwords.hash(input.new_password);
    // Stores the hash, audits inside its transaction, then deletes every session of the user.
    await storeNewPassword(env, audit, user.id, hash);
    return user.id;
  });
}
