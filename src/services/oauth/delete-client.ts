// DELETE /api/oauth/clients/{id}: removes a client and with it every code, grant and refresh token
// (foreign keys cascade). Its access tokens die with their grants: the resource server finds no
// grant for them on the next request. Your own API-registered client needs apikey:delete; any
// other client needs user:delete, and one you may not even list is simply not found.
import { IdInputSchema } from '../../../schemas/common.ts';
import { eq } from 'drizzle-orm';
import { hasPermission, requireAnyPermission, requirePermission, userIdOf, type CallerContext } from '../../auth/context.ts';
import { oauthClients } from '../../db/schema/index.ts';
import { notFound } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { findClientById, revokeGrantsWhere, toOAuthClient } from './internal.ts';
import { oauthGrants } from '../../db/schema/index.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function deleteOAuthClient(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<void> {
  return audited(env, { ...ctx, source: 'oauth' }, { action: 'oauth_client.delete', resource: 'oauth_client', resourceId: rawString(raw) }, async (audit) => {
    requireAnyPermission(ctx, ['apikey:delete', 'user:delete']);
    // Which of the two applies depends on the client: a client the caller may not see (another
    // user's, without user:list) is simply not found.
    const { id } = IdInputSchema.parse(raw);
    const row = findClientById(env.db, id);
    const own = row !== undefined && row.ownerUserId !== null && row.ownerUserId === userIdOf(ctx);
    if (!row || (!own && !hasPermission(ctx, 'user:list'))) throw notFound('OAuth client', id);
    requirePermission(ctx, own ? 'apikey:delete' : 'user:delete');
    const now = env.clock.now().toISOString();
    await syncWrite(env, (tx) => {
        const revoked = revokeGrantsWhere(tx, eq(oauthGrants.clientId, id), 'client_deleted', now);
        tx.delete(oauthClients).where(eq(oauthClients.id, id)).run();
        audit.record(tx, { resourceId: id, before: toOAuthClient(row), extra: { revoked_grants: revoked } });
      });
  });
}
