import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import { ListApiKeysInputSchema, type ApiKey } from '../../../schemas/api-keys.ts';
import { requirePermission, userIdOf, type CallerContext } from '../../auth/context.ts';
import { apiKeys } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { toApiKey } from './internal.ts';
import { containsText } from '../sql.ts';

export async function listApiKeys(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ items: ApiKey[]; total: number }> {
  return audited(env, ctx, { action: 'apikey.list', resource: 'apikey', read: true }, () => {
    requirePermission(ctx, 'apikey:list');
    const input = ListApiKeysInputSchema.parse(raw);
    const where: SQL[] = [];
    if (!ctx.isAdmin) where.push(eq(apiKeys.userId, userIdOf(ctx) ?? ''));
    if (input.name) where.push(containsText(apiKeys.name, input.name));
    const cond = where.length ? and(...where) : undefined;
    const rows = env.db.select().from(apiKeys).where(cond).orderBy(desc(apiKeys.createdAt)).limit(input.limit).offset(input.offset).all();
    const total = env.db.select({ n: count() }).from(apiKeys).where(cond).get()!.n;
    return { items: rows.map(toApiKey), total };
  });
}
