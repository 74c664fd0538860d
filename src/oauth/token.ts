// POST /mcp-oauth/token: form-encoded, client authentication (Basic, post or none), then one of
// the three grants. Responses are never cached; errors are RFC 6749 §5.2 bodies. Audit: every
// issue and refresh, every refusal, and the revocations that replay detection causes.
import type { Context } from 'hono';
import type { AppEnv } from '../http/types.ts';
import { oauthEvent } from './audit.ts';
import { authenticateClient } from './client-auth.ts';
import { noStore, OAuthError, oauthErrorResponse } from './errors.ts';
import { readForm } from './form.ts';
import { exchangeCode } from './grants/authorization-code.ts';
import { clientCredentialsGrant } from './grants/client-credentials.ts';
import { refreshGrant } from './grants/refresh-token.ts';
import type { OAuthServer } from './server.ts';
import { signIssuance, type Issuance } from './tokens.ts';

const GRANTS = new Set(['authorization_code', 'refresh_token', 'client_credentials']);

export async function tokenEndpoint(server: OAuthServer, c: Context<AppEnv>): Promise<Response> {
  const { env } = server;
  const base = c.get('caller');
  noStore(c);
  let clientId: string | undefined;
  let grantType: string | undefined;
  try {
    const form = await readForm(c);
    grantType = form.get('grant_type');
    if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required');
    if (!GRANTS.has(grantType)) throw new OAuthError('unsupported_grant_type', `Unsupported grant_type ${grantType}`);
    const { client } = authenticateClient(server.store, c.req.header('authorization'), form);
    clientId = client.clientId;
    await server.store.write((w) => w.touchClient(client.id, env.clock.now().toISOString()));
    let issuance: Issuance;
    if (grantType === 'client_credentials') {
      issuance = await clientCredentialsGrant(server, client, form);
    } else {
      const outcome = await (grantType === 'authorization_code' ? exchangeCode(server, client, form) : refreshGrant(server, client, form));
      if (!outcome.ok) {
        const revoked = 'replayedGrant' in outcome ? outcome.replayedGrant : 'reusedGrant' in outcome ? outcome.reusedGrant : undefined;
        if (revoked && outcome.userId) {
          await oauthEvent(
            server,
            base,
            { userId: outcome.userId, clientId: client.clientId, grantId: revoked },
            { action: 'oauth_token.revoke', resource: 'oauth_grant', resourceId: revoked },
            'success',
            { extra: { reason: grantType === 'authorization_code' ? 'code_replay' : 'refresh_reuse', client_id: client.clientId } },
          );
        }
        throw outcome.error;
      }
      issuance = outcome.issuance;
    }
    const body = await signIssuance(server, issuance);
    await oauthEvent(
      server,
      base,
      { userId: issuance.userId, clientId: client.clientId, grantId: issuance.grantId, scope: issuance.scope },
      { action: grantType === 'refresh_token' ? 'oauth_token.refresh' : 'oauth_token.issue', resource: 'oauth_grant', resourceId: issuance.grantId },
      'success',
      { extra: { client_id: client.clientId, grant_type: grantType, scope: issuance.scope, jti: issuance.jti } },
    );
    return c.json(body, 200);
  } catch (err) {
    if (!(err instanceof OAuthError)) throw err;
    await oauthEvent(
      server,
      base,
      undefined,
      { action: grantType === 'refresh_token' ? 'oauth_token.refresh' : 'oauth_token.issue', resource: 'oauth_grant' },
      'failure',
      { extra: { client_id: clientId ?? '', grant_type: grantType ?? '' } },
      { code: err.code, message: err.description },
    );
    return oauthErrorResponse(c, err);
  }
}
