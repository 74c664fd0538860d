import { IdInputSchema } from '../../../schemas/common.ts';
import { eq } from 'drizzle-orm';
import { requirePermission, userIdOf, type CallerContext } from '../../auth/context.ts';
import { users } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { assertNotLastAdmin, requireAdminForTarget } from './guards.ts';
import { getUserOrThrow, rolesOfUser, toUser } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/**
 * Deletes a user. Role grants, SQLite sessions and API keys cascade by foreign key; sessions in
 * a Valkey store are not rows, so they are deleted explicitly after the commit.
 */
export async function deleteUser(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'user.delete', resource: 'user', resourceId: rawString(raw) }, async (audit) => {
    requirePermission(ctx, 'user:delete');
    const { id } = IdInputSchema.parse(raw);
    if (id === userIdOf(ctx)) throw new AppError('CANNOT_DELETE_SELF', 'You cannot delete your own account');
    await syncWrite(env, (tx) => {
        const row = getUserOrThrow(tx, id);
        requireAdminForTarget(tx, ctx, row, 'delete administrator accounts');
        assertNotLastAdmin(tx, row);
        const before = toUser(row, rolesOfUser(tx, id));
        tx.delete(users).where(eq(users.id, id)).run();
        audit.record(tx, { resourceId: id, before });
      });
    await env.sessions.deleteForUser(id);
    return { status: 'deleted' as const, id };
  });
}
