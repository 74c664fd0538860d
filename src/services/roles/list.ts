import { asc, count } from 'drizzle-orm';
import { ListRolesInputSchema, type Role } from '../../../schemas/roles.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { roles } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { containsText } from '../sql.ts';
import { permissionsOfRoles, toRole } from './internal.ts';

/** Roles by name, each with the permissions it grants. */
export async function listRoles(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ items: Role[]; total: number }> {
  return audited(env, ctx, { action: 'role.list', resource: 'role', read: true }, () => {
    requirePermission(ctx, 'role:list');
    const input = ListRolesInputSchema.parse(raw);
    const cond = input.name ? containsText(roles.name, input.name) : undefined;
    const rows = env.db.select().from(roles).where(cond).orderBy(asc(roles.name)).limit(input.limit).offset(input.offset).all();
    const total = env.db.select({ n: count() }).from(roles).where(cond).get()!.n;
    const perms = permissionsOfRoles(
      env.db,
      rows.map((r) => r.id),
    );
    return { items: rows.map((r) => toRole(r, perms.get(r.id))), total };
  });
}
