// The shared tail of password change and admin reset: store the new hash, audit the change
// (never the hash), then end every session of the user (Rackd §5.1, seed: "Password changes
// invalidate all active sessions for the user").
import { and, eq } from 'drizzle-orm';
import { users } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import type { AuditRecorder } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getUserOrThrow, toUser } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function storeNewPassword(
  env: ServiceEnv,
  audit: AuditRecorder,
  userId: string,
  passwordHash: string,
  /** The hash the old password was verified against; a concurrent change makes this one fail. */
  expectedHash?: string,
): Promise<void> {
  const now = env.clock.now().toISOString();
  await syncWrite(env, (tx) => {
      const before = getUserOrThrow(tx, userId);
      const where = expectedHash ? and(eq(users.id, userId), eq(users.passwordHash, expectedHash)) : eq(users.id, userId);
      const changed = tx.update(users).set({ passwordHash, passwordChangedAt: now, updatedAt: now }).where(where).run().changes;
      if (changed === 0) throw new AppError('CONFLICT', 'The password was changed by another request; try again');
      audit.record(tx, { resourceId: userId, before: toUser(before), after: toUser(getUserOrThrow(tx, userId)) });
    });
  // After the commit, so a login with the old password can no longer create a session that survives.
  await env.sessions.deleteForUser(userId);
}
