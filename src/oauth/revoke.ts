// POST /mcp-oauth/revoke (RFC 7009). The client authenticates as at the token endpoint and may
// only revoke its own tokens. Revoking either an access token or a refresh token revokes the
// whole grant (RFC 7009 §2.1 allows it), so the pair dies together. Unknown, expired or foreign-
// looking garbage answers 200: the caller learns nothing about other tokens.
import type { Context } from 'hono';
import type { AppEnv } from '../http/types.ts';
import { oauthEvent } from './audit.ts';
import { authenticateClient } from './client-auth.ts';
import { noStore, OAuthError, oauthErrorResponse } from './errors.ts';
import { readForm } from './form.ts';
import type { OAuthServer } from './server.ts';
import { looksLikeJwt } from './resource-server.ts';

export async function revokeEndpoint(server: OAuthServer, c: Context<AppEnv>): Promise<Response> {
  const { env } = server;
  noStore(c);
  try {
    const form = await readForm(c);
    const token = form.get('token');
    if (!token) throw new OAuthError('invalid_request', 'token is required');
    const { client } = authenticateClient(server.store, c.req.header('authorization'), form);
    let grantId: string | undefined;
    if (looksLikeJwt(token)) {
      const urls = server.urls();
      const claims = await (await server.signer()).verify(token, { issuer: urls.issuer, audience: urls.resource, now: env.clock.now() }).catch(() => undefined);
      if (claims) {
        if (claims.client_id !== client.clientId) throw new OAuthError('invalid_request', 'The token was not issued to this client');
        grantId = claims.fid;
      }
    } else {
      const row = server.store.refreshToken(token);
      const grant = row ? server.store.grant(row.grantId) : undefined;
      if (grant) {
        if (grant.clientId !== client.id) throw new OAuthError('invalid_request', 'The token was not issued to this client');
        grantId = grant.id;
      }
    }
    if (grantId) {
      const grant = server.store.grant(grantId);
      const now = env.clock.now().toISOString();
      const changed = await server.store.write((w) => w.revokeGrant(grantId, 'client_revoked', now));
      if (changed && grant) {
        await oauthEvent(
          server,
          c.get('caller'),
          { userId: grant.userId, clientId: client.clientId, grantId },
          { action: 'oauth_token.revoke', resource: 'oauth_grant', resourceId: grantId },
          'success',
          { extra: { reason: 'client_revoked', client_id: client.clientId } },
        );
      }
    }
    return c.body(null, 200);
  } catch (err) {
    if (err instanceof OAuthError) return oauthErrorResponse(c, err);
    throw err;
  }
}
