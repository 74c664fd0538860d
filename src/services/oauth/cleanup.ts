// The oauth-cleanup job: deletes what can no longer be used — codes past their life (kept a little
// longer so a late replay still revokes), expired refresh tokens, grants whose last token expired
// (access tokens of a deleted grant are refused anyway), and self-registered (DCR) and
// metadata-document clients nobody used for 90 days. API-registered clients never expire.
import { and, inArray, lt, sql } from 'drizzle-orm';
import { oauthClients, oauthCodes, oauthGrants, oauthRefreshTokens } from '../../db/schema/index.ts';
import type { ServiceEnv } from '../env.ts';
import { syncWrite } from '../../db/sync-write.ts';

export const OAUTH_CLEANUP_JOB = 'oauth-cleanup';
export const UNUSED_CLIENT_TTL_MS = 90 * 24 * 3600_000;
const USED_CODE_GRACE_MS = 10 * 60_000;

export interface OAuthCleanupResult {
  codes: number;
  refreshTokens: number;
  grants: number;
  clients: number;
}

export function cleanupOAuth(env: ServiceEnv): Promise<OAuthCleanupResult> {
  const nowMs = env.clock.now().getTime();
  const now = new Date(nowMs).toISOString();
  const iso = (ms: number) => new Date(ms).toISOString();
  return syncWrite(env, (tx) => {
      const codes = tx.delete(oauthCodes).where(lt(oauthCodes.expiresAt, iso(nowMs - USED_CODE_GRACE_MS))).run().changes;
      const refreshTokens = tx.delete(oauthRefreshTokens).where(lt(oauthRefreshTokens.expiresAt, now)).run().changes;
      const grants = tx.delete(oauthGrants).where(lt(oauthGrants.expiresAt, now)).run().changes;
      const clients = tx
        .delete(oauthClients)
        .where(
          and(
            inArray(oauthClients.kind, ['dcr', 'cimd']),
            lt(sql`coalesce(${oauthClients.lastUsedAt}, ${oauthClients.createdAt})`, iso(nowMs - UNUSED_CLIENT_TTL_MS)),
            // A refresh-token lifetime configured beyond 90 days must not orphan a live grant.
            sql`not exists (select 1 from ${oauthGrants} where ${oauthGrants.clientId} = ${oauthClients.id} and ${oauthGrants.revokedAt} is null and ${oauthGrants.expiresAt} >= ${now})`,
          ),
        )
        .run().changes;
      return { codes, refreshTokens, grants, clients };
    });
}
