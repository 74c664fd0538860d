// grant_type=refresh_token with rotation on every use. A refresh token that was already rotated
// and is presented again means two parties hold the chain: the whole grant is revoked, including
// the newest refresh token and every access token of the family (RFC 9700 §4.14.2). Scope may only
// narrow; the refresh token keeps the consented scope, the new access token carries the narrowed one.
import { newId } from '../../platform/ids.ts';
import type { ClientRow } from '../../services/oauth/internal.ts';
import { OAuthError } from '../errors.ts';
import type { Params } from '../form.ts';
import { parseScope, scopesCover } from '../../auth/scopes.ts';
import type { OAuthServer } from '../server.ts';
import { accessExpiryMs, type Issuance } from '../tokens.ts';
import { isCanonicalResource } from '../urls.ts';

export type RefreshOutcome = { ok: true; issuance: Issuance } | { ok: false; error: OAuthError; reusedGrant?: string; userId?: string };

export async function refreshGrant(server: OAuthServer, client: ClientRow, form: Params): Promise<RefreshOutcome> {
  const { env } = server;
  const token = form.get('refresh_token');
  if (!token) return { ok: false, error: new OAuthError('invalid_request', 'refresh_token is required') };
  if (!client.grantTypes.includes('refresh_token')) {
    return { ok: false, error: new OAuthError('unauthorized_client', 'This client may not use the refresh_token grant') };
  }
  const nowMs = env.clock.now().getTime();
  const now = new Date(nowMs).toISOString();
  const invalid = (why: string) => new OAuthError('invalid_grant', why);
  return server.store.write((w): RefreshOutcome => {
    const row = w.refreshToken(token);
    const grant = row ? w.grant(row.grantId) : undefined;
    // Bound to its client: another client presenting it learns nothing and revokes nothing.
    if (!row || !grant || grant.clientId !== client.id) return { ok: false, error: invalid('The refresh token is invalid') };
    if (grant.revokedAt) return { ok: false, error: invalid('The refresh token has been revoked') };
    if (row.rotatedAt) {
      w.revokeGrant(grant.id, 'refresh_reuse', now);
      return {
        ok: false,
        error: invalid('The refresh token was already used; the whole token family is revoked'),
        reusedGrant: grant.id,
        userId: grant.userId,
      };
    }
    if (!(Date.parse(row.expiresAt) > nowMs)) return { ok: false, error: invalid('The refresh token has expired') };
    const resource = form.get('resource');
    if (resource !== undefined && !isCanonicalResource(resource, grant.resource)) {
      return { ok: false, error: new OAuthError('invalid_target', `resource must be ${grant.resource}`) };
    }
    const user = w.user(grant.userId);
    if (!user || !user.isActive) return { ok: false, error: invalid('The user is no longer active') };
    if (user.passwordChangedAt && grant.createdAt < user.passwordChangedAt) {
      w.revokeGrant(grant.id, 'password_changed', now);
      return { ok: false, error: invalid('The password changed after this authorization; sign in again') };
    }
    const granted = grant.scope.split(' ');
    let scope = grant.scope;
    if (form.has('scope')) {
      const { known } = parseScope(form.get('scope'));
      if (known.length === 0) return { ok: false, error: new OAuthError('invalid_scope', 'No known scope requested') };
      if (!scopesCover(granted, known)) return { ok: false, error: new OAuthError('invalid_scope', 'A refresh may only narrow the granted scope') };
      scope = known.join(' ');
    }
    w.rotateRefreshToken(row.id, now);
    const refreshTtl = env.config.oauth.refreshTokenTtlMs;
    const refreshToken = w.issueRefreshToken(grant.id, nowMs, refreshTtl);
    w.extendGrant(grant.id, nowMs, Math.max(accessExpiryMs(server, nowMs), nowMs + refreshTtl, Date.parse(grant.expiresAt)));
    return { ok: true, issuance: { grantId: grant.id, userId: grant.userId, client, scope, jti: newId(), issuedAtMs: nowMs, refreshToken } };
  });
}
