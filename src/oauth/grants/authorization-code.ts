// grant_type=authorization_code. The code is looked up by hash and must belong to the
// authenticated client before anything else happens (so nobody can burn or replay-revoke another
// client's code). A used code presented again revokes the grant its first exchange created. A
// request naming the wrong resource is refused with invalid_target and leaves the code usable
// (RFC 8707 §2: the grant stays valid); from there on the code is marked used before expiry,
// redirect_uri and PKCE are checked, so a failed client check burns it.
import { newId } from '../../platform/ids.ts';
import type { ClientRow } from '../../services/oauth/internal.ts';
import { OAuthError } from '../errors.ts';
import type { Params } from '../form.ts';
import { verifyPkce } from '../pkce.ts';
import type { OAuthServer } from '../server.ts';
import { accessExpiryMs, type Issuance } from '../tokens.ts';
import { isCanonicalResource } from '../urls.ts';

export type CodeOutcome = { ok: true; issuance: Issuance } | { ok: false; error: OAuthError; replayedGrant?: string; userId?: string };

export async function exchangeCode(server: OAuthServer, client: ClientRow, form: Params): Promise<CodeOutcome> {
  const { env } = server;
  const code = form.get('code');
  if (!code) return { ok: false, error: new OAuthError('invalid_request', 'code is required') };
  if (!client.grantTypes.includes('authorization_code')) {
    return { ok: false, error: new OAuthError('unauthorized_client', 'This client may not use the authorization_code grant') };
  }
  const nowMs = env.clock.now().getTime();
  const now = new Date(nowMs).toISOString();
  const invalid = (why: string) => new OAuthError('invalid_grant', why);
  return server.store.write((w): CodeOutcome => {
    const row = w.code(code);
    if (!row || row.clientId !== client.id) return { ok: false, error: invalid('The authorization code is invalid') };
    if (row.usedAt) {
      // Replay: whoever holds the code is not the only one; kill what the first exchange got.
      w.revokeGrant(row.grantId, 'code_replay', now);
      return { ok: false, error: invalid('The authorization code was already used; the tokens issued with it are revoked'), replayedGrant: row.grantId, userId: row.userId };
    }
    const resource = form.get('resource');
    if (resource !== undefined && !isCanonicalResource(resource, row.resource)) {
      return { ok: false, error: new OAuthError('invalid_target', `resource must be ${row.resource}`) };
    }
    w.markCodeUsed(row.codeHash, now);
    if (!(Date.parse(row.expiresAt) > nowMs)) return { ok: false, error: invalid('The authorization code has expired') };
    if (form.get('redirect_uri') !== row.redirectUri) {
      return { ok: false, error: invalid('redirect_uri must be the one used in the authorization request') };
    }
    if (!verifyPkce(form.get('code_verifier'), row.codeChallenge)) {
      return { ok: false, error: invalid('PKCE verification failed: code_verifier does not match code_challenge') };
    }
    const user = w.user(row.userId);
    if (!user || !user.isActive) return { ok: false, error: invalid('The user is no longer active') };
    const refresh = client.grantTypes.includes('refresh_token');
    const refreshTtl = env.config.oauth.refreshTokenTtlMs;
    const accessExp = accessExpiryMs(server, nowMs);
    w.insertGrant({
      id: row.grantId,
      clientRowId: client.id,
      userId: row.userId,
      grantType: 'authorization_code',
      scope: row.scope,
      resource: row.resource,
      nowMs,
      expiresAtMs: refresh ? Math.max(accessExp, nowMs + refreshTtl) : accessExp,
    });
    const refreshToken = refresh ? w.issueRefreshToken(row.grantId, nowMs, refreshTtl) : undefined;
    return {
      ok: true,
      issuance: { grantId: row.grantId, userId: row.userId, client, scope: row.scope, jti: newId(), issuedAtMs: nowMs, refreshToken },
    };
  });
}
