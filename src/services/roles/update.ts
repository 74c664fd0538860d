import { eq } from 'drizzle-orm';
import { UpdateRoleInputSchema, type Role } from '../../../schemas/roles.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { rolePermissions, roles } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { assertCanHandOut, getRoleOrThrow, permissionsOfRole, resolvePermissionRefs, toRole } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Updates a custom role's description and, when `permissions` is given, replaces its whole
 * permission set in one transaction. System roles are defined by code (and re-synced at start-up),
 * so any actual change to one is refused; re-sending its current values is a no-op.
 */
export async function updateRole(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Role> {
  return audited(env, ctx, { action: 'role.update', resource: 'role', resourceId: rawString(raw) }, (audit) => {
    requirePermission(ctx, 'role:update');
    const { id, ...input } = UpdateRoleInputSchema.parse(raw);
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        const row = getRoleOrThrow(tx, id);
        const before = permissionsOfRole(tx, id);
        const next = input.permissions ? resolvePermissionRefs(tx, input.permissions) : before;
        const beforeNames = before.map((p) => p.name);
        const nextNames = next.map((p) => p.name);
        const permsChange = !sameSet(beforeNames, nextNames);
        const descChange = input.description !== undefined && input.description !== row.description;
        if (row.isSystem && (permsChange || descChange)) {
          throw new AppError('SYSTEM_ROLE', `${row.name} is a built-in system role; its permissions and description cannot be changed`);
        }
        // Only what is added can escalate; removing grants the caller lacks is allowed.
        assertCanHandOut(
          ctx,
          nextNames.filter((n) => !beforeNames.includes(n)),
          'add permissions to a role',
        );
        if (permsChange) {
          tx.delete(rolePermissions).where(eq(rolePermissions.roleId, id)).run();
          for (const p of next) tx.insert(rolePermissions).values({ roleId: id, permissionId: p.id }).run();
        }
        const after = { ...row, description: input.description ?? row.description, updatedAt: permsChange || descChange ? now : row.updatedAt };
        tx.update(roles).set({ description: after.description, updatedAt: after.updatedAt }).where(eq(roles.id, id)).run();
        audit.record(tx, {
          resourceId: id,
          before: { ...toRole(row), permissions: beforeNames },
          after: { ...toRole(after), permissions: nextNames },
        });
        return toRole(after, next);
      });
  });
}
