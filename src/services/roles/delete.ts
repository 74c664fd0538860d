import { IdInputSchema } from '../../../schemas/common.ts';
import { eq } from 'drizzle-orm';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { roles } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getRoleOrThrow, permissionsOfRole, toRole } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** Deletes a custom role; its grants to users and its permission links cascade (FK). */
export async function deleteRole(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'role.delete', resource: 'role', resourceId: rawString(raw) }, (audit) => {
    requirePermission(ctx, 'role:delete');
    const { id } = IdInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        const row = getRoleOrThrow(tx, id);
        if (row.isSystem) throw new AppError('SYSTEM_ROLE', `${row.name} is a built-in system role and cannot be deleted`);
        const perms = permissionsOfRole(tx, id).map((p) => p.name);
        tx.delete(roles).where(eq(roles.id, id)).run();
        audit.record(tx, { resourceId: id, before: { ...toRole(row), permissions: perms } });
        return { status: 'deleted' as const, id };
      });
  });
}
