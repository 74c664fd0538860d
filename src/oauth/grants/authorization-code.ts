// grant_type=authorization_code. The code is looked up by hash and must belong to the
// authenticated client before anything else happens (so nobody can burn or replay-revoke another
// client's code). A used code presented again revokes the grant its first exchange created. The
// code is marked used before PKCE and redirect_uri are checked: a failed check burns it.
import { eq } from 'drizzle-orm';
import { oauthCodes } from '../../db/schema/index.ts';
import { newId, sha256Hex } from '../../platform/ids.ts';
import { revokeGrant, type ClientRow } from '../../services/oauth/internal.ts';
import { findUser } from '../../services/users/internal.ts';
import { OAuthError } from '../errors.ts';
import type { Params } from '../form.ts';
import { verifyPkce } from '../pkce.ts';
import type { OAuthServer } from '../server.ts';
import { accessExpiryMs, insertGrant, insertRefreshToken, type Issuance } from '../tokens.ts';
import { isCanonicalResource } from '../urls.ts';

export type CodeOutcome = { ok: true; issuance: Issuance } | { ok: false; error: OAuthError; replayedGrant?: string; userId?: string };

export function exchangeCode(server: OAuthServer, client: ClientRow, form: Params): CodeOutcome {
  const { env } = server;
  const code = form.get('code');
  if (!code) return { ok: false, error: new OAuthError('invalid_request', 'code is required') };
  if (!client.grantTypes.includes('authorization_code')) {
    return { ok: false, error: new OAuthError('unauthorized_client', 'This client may not use the authorization_code grant') };
  }
  const nowMs = env.clock.now().getTime();
  const now = new Date(nowMs).toISOString();
  const invalid = (why: string) => new OAuthError('invalid_grant', why);
  return env.db.transaction(
    (tx): CodeOutcome => {
      const row = tx.select().from(oauthCodes).where(eq(oauthCodes.codeHash, sha256Hex(code))).get();
      if (!row || row.clientId !== client.id) return { ok: false, error: invalid('The authorization code is invalid') };
      if (row.usedAt) {
        // Replay: whoever holds the code is not the only one; kill what the first exchange got.
        revokeGrant(tx, row.grantId, 'code_replay', now);
        return { ok: false, error: invalid('The authorization code was already used; the tokens issued with it are revoked'), replayedGrant: row.grantId, userId: row.userId };
      }
      tx.update(oauthCodes).set({ usedAt: now }).where(eq(oauthCodes.codeHash, row.codeHash)).run();
      if (!(Date.parse(row.expiresAt) > nowMs)) return { ok: false, error: invalid('The authorization code has expired') };
      if (form.get('redirect_uri') !== row.redirectUri) {
        return { ok: false, error: invalid('redirect_uri must be the one used in the authorization request') };
      }
      if (!verifyPkce(form.get('code_verifier'), row.codeChallenge)) {
        return { ok: false, error: invalid('PKCE verification failed: code_verifier does not match code_challenge') };
      }
      const resource = form.get('resource');
      if (resource !== undefined && !isCanonicalResource(resource, row.resource)) {
        return { ok: false, error: new OAuthError('invalid_target', `resource must be ${row.resource}`) };
      }
      const user = findUser(tx, row.userId);
      if (!user || !user.isActive) return { ok: false, error: invalid('The user is no longer active') };
      const refresh = client.grantTypes.includes('refresh_token');
      const refreshTtl = env.config.oauth.refreshTokenTtlMs;
      const accessExp = accessExpiryMs(server, nowMs);
      insertGrant(tx, {
        id: row.grantId,
        clientRowId: client.id,
        userId: row.userId,
        grantType: 'authorization_code',
        scope: row.scope,
        resource: row.resource,
        nowMs,
        expiresAtMs: refresh ? Math.max(accessExp, nowMs + refreshTtl) : accessExp,
      });
      const refreshToken = refresh ? insertRefreshToken(tx, row.grantId, nowMs, refreshTtl) : undefined;
      return {
        ok: true,
        issuance: { grantId: row.grantId, userId: row.userId, client, scope: row.scope, jti: newId(), issuedAtMs: nowMs, refreshToken },
      };
    },
    { behavior: 'immediate' },
  );
}
