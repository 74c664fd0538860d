import { and, asc, count, type SQL } from 'drizzle-orm';
import { ListUsersInputSchema, type User } from '../../../schemas/users.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { users } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { containsText } from '../sql.ts';
import { toUser } from './internal.ts';

/** Users by username; `username` and `email` are case-insensitive substrings. Roles are not embedded. */
export async function listUsers(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ items: User[]; total: number }> {
  return audited(env, ctx, { action: 'user.list', resource: 'user', read: true }, () => {
    requirePermission(ctx, 'user:list');
    const input = ListUsersInputSchema.parse(raw);
    const where: SQL[] = [];
    if (input.username) where.push(containsText(users.username, input.username));
    if (input.email) where.push(containsText(users.email, input.email));
    const cond = where.length ? and(...where) : undefined;
    const rows = env.db.select().from(users).where(cond).orderBy(asc(users.username)).limit(input.limit).offset(input.offset).all();
    const total = env.db.select({ n: count() }).from(users).where(cond).get()!.n;
    return { items: rows.map((r) => toUser(r)), total };
  });
}
