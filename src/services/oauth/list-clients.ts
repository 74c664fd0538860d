// GET /api/oauth/clients: every client for holders of user:list, otherwise the caller's own
// (the ones they registered through the API).
import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import { ListOAuthClientsInputSchema, type OAuthClient } from '../../../schemas/oauth.ts';
import { hasPermission, requirePermission, userIdOf, type CallerContext } from '../../auth/context.ts';
import { oauthClients } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { toOAuthClient } from './internal.ts';

export async function listOAuthClients(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ items: OAuthClient[]; total: number }> {
  return audited(env, { ...ctx, source: 'oauth' }, { action: 'oauth_client.list', resource: 'oauth_client', read: true }, () => {
    const all = hasPermission(ctx, 'user:list');
    if (!all) requirePermission(ctx, 'apikey:list');
    const input = ListOAuthClientsInputSchema.parse(raw);
    const where: SQL[] = [];
    if (!all) where.push(eq(oauthClients.ownerUserId, userIdOf(ctx) ?? ''));
    if (input.kind) where.push(eq(oauthClients.kind, input.kind));
    const cond = where.length ? and(...where) : undefined;
    const rows = env.db.select().from(oauthClients).where(cond).orderBy(desc(oauthClients.createdAt)).limit(input.limit).offset(input.offset).all();
    const total = env.db.select({ n: count() }).from(oauthClients).where(cond).get()!.n;
    return { items: rows.map(toOAuthClient), total };
  });
}
