// A user's own list of the clients they authorized (live grants, grouped by client), and revoking
// one: every grant of that client for the user is revoked at once, so its refresh and access
// tokens stop working on the next request. Only the user's own grants are ever visible here.
import { and, eq, gt, isNull } from 'drizzle-orm';
import { EmptyInputSchema, IdInputSchema } from '../../../schemas/common.ts';
import type { OAuthAuthorization } from '../../../schemas/oauth.ts';
import { requireAuthenticated, userIdOf, type CallerContext } from '../../auth/context.ts';
import { oauthClients, oauthGrants } from '../../db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { revokeGrantsWhere } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

function ownerOf(ctx: CallerContext): string {
  requireAuthenticated(ctx);
  const userId = userIdOf(ctx);
  if (!userId) throw new AppError('FORBIDDEN', 'Authorizations belong to a user; this caller is not one');
  return userId;
}

export async function listOAuthAuthorizations(env: ServiceEnv, ctx: CallerContext, raw: unknown = {}): Promise<{ items: OAuthAuthorization[]; total: number }> {
  return audited(env, { ...ctx, source: 'oauth' }, { action: 'oauth_authorization.list', resource: 'oauth_client', read: true }, () => {
    const userId = ownerOf(ctx);
    EmptyInputSchema.parse(raw);
    const now = env.clock.now().toISOString();
    const rows = env.db
      .select({ grant: oauthGrants, client: oauthClients })
      .from(oauthGrants)
      .innerJoin(oauthClients, eq(oauthClients.id, oauthGrants.clientId))
      .where(and(eq(oauthGrants.userId, userId), isNull(oauthGrants.revokedAt), gt(oauthGrants.expiresAt, now)))
      .orderBy(oauthGrants.createdAt)
      .all();
    const byClient = new Map<string, OAuthAuthorization>();
    for (const { grant, client } of rows) {
      let a = byClient.get(client.id);
      if (!a) {
        a = {
          client: { id: client.id, client_id: client.clientId, kind: client.kind, client_name: client.name, client_uri: client.clientUri },
          scopes: [],
          grants: 0,
          first_authorized_at: grant.createdAt,
          last_used_at: grant.lastUsedAt,
        };
        byClient.set(client.id, a);
      }
      a.grants++;
      for (const s of grant.scope.split(' ')) if (s && !a.scopes.includes(s)) a.scopes.push(s);
      if (grant.lastUsedAt > a.last_used_at) a.last_used_at = grant.lastUsedAt;
    }
    const items = [...byClient.values()].sort((x, y) => (x.last_used_at < y.last_used_at ? 1 : -1));
    return { items, total: items.length };
  });
}

/** Revokes every live grant the caller gave the client whose surrogate id is `id`. */
export async function revokeOAuthAuthorization(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<void> {
  return audited(env, { ...ctx, source: 'oauth' }, { action: 'oauth_authorization.revoke', resource: 'oauth_client', resourceId: rawString(raw) }, async (audit) => {
    const userId = ownerOf(ctx);
    const { id: clientRowId } = IdInputSchema.parse(raw);
    const now = env.clock.now().toISOString();
    await syncWrite(env, (tx) => {
        const n = revokeGrantsWhere(tx, and(eq(oauthGrants.userId, userId), eq(oauthGrants.clientId, clientRowId)), 'user_revoked', now);
        if (n === 0) throw notFound('Authorization of client', clientRowId);
        audit.record(tx, { resourceId: clientRowId, extra: { revoked_grants: n } });
      });
  });
}
