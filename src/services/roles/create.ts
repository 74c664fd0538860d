import { CreateRoleInputSchema, type Role } from '../../../schemas/roles.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { rolePermissions, roles } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { assertCanHandOut, findRoleByName, isSystemRoleName, resolvePermissionRefs, toRole } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** Creates a custom role (never a system one) with permissions given by id or by name. */
export async function createRole(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Role> {
  return audited(env, ctx, { action: 'role.create', resource: 'role' }, (audit) => {
    requirePermission(ctx, 'role:create');
    const input = CreateRoleInputSchema.parse(raw);
    // Checked before uniqueness: "admin" exists, but the answer the caller needs is why it can never be used.
    if (isSystemRoleName(input.name)) {
      throw new AppError('SYSTEM_ROLE', `${input.name} is the name of a built-in system role and cannot be used for a custom role`);
    }
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        if (findRoleByName(tx, input.name)) throw new AppError('ALREADY_EXISTS', `A role named ${input.name} already exists`);
        const perms = resolvePermissionRefs(tx, input.permissions ?? []);
        assertCanHandOut(
          ctx,
          perms.map((p) => p.name),
          'create a role',
        );
        const row = { id: newId(), name: input.name, description: input.description ?? '', isSystem: false, createdAt: now, updatedAt: now };
        tx.insert(roles).values(row).run();
        for (const p of perms) tx.insert(rolePermissions).values({ roleId: row.id, permissionId: p.id }).run();
        const role = toRole(row, perms);
        audit.record(tx, { resourceId: row.id, after: { ...role, permissions: perms.map((p) => p.name) } });
        return role;
      });
  });
}
