// POST /mcp-oauth/register — RFC 7591 dynamic client registration, open to anyone (rate-limited
// by the sensitive-route limiter). The metadata follows the one client-metadata validator
// (services/oauth/client-metadata.ts, profile `dcr`); unknown metadata is ignored as RFC 7591 §2
// requires; client_credentials is not offered here because a self-registered client has no user
// to act as. Unused registrations expire after 90 days (oauth-cleanup job).
import type { Context } from 'hono';
import { newId, randomToken, sha256Hex } from '../platform/ids.ts';
import { ClientMetadataError, validateClientMetadata, type ClientMetadata } from '../services/oauth/client-metadata.ts';
import { CLIENT_SECRET_PREFIX } from '../services/oauth/internal.ts';
import { oauthContext, oauthEvent } from './audit.ts';
import { noStore, OAuthError, oauthErrorResponse } from './errors.ts';
import type { OAuthServer } from './server.ts';
import type { AppEnv } from '../http/types.ts';

const meta = (why: string) => new OAuthError('invalid_client_metadata', why);

/** RFC 7591 errors: a bad redirect URI is invalid_redirect_uri, anything else invalid_client_metadata. */
export function parseRegistration(raw: unknown, allowedSchemes: readonly string[]): ClientMetadata {
  try {
    return validateClientMetadata(raw, 'dcr', { allowedSchemes });
  } catch (err) {
    if (err instanceof ClientMetadataError) throw new OAuthError(err.reason === 'invalid_redirect_uri' ? 'invalid_redirect_uri' : 'invalid_client_metadata', err.message);
    throw err;
  }
}

export async function registerEndpoint(server: OAuthServer, c: Context<AppEnv>): Promise<Response> {
  const { env } = server;
  noStore(c);
  let raw: unknown;
  try {
    if (!/^application\/([a-z.+-]*\+)?json\b/i.test(c.req.header('content-type') ?? '')) throw meta('The body must be application/json');
    const text = await c.req.text(); // a body over the cap fails here with 413, not as bad JSON
    try {
      raw = JSON.parse(text);
    } catch {
      throw meta('The body is not valid JSON');
    }
    const reg = parseRegistration(raw, env.config.oauth.allowedRedirectSchemes);
    const now = env.clock.now();
    const secret = reg.method === 'none' ? undefined : CLIENT_SECRET_PREFIX + randomToken(32);
    const id = newId();
    const row = {
      id,
      clientId: id,
      kind: 'dcr' as const,
      name: reg.name,
      redirectUris: reg.redirectUris,
      grantTypes: reg.grantTypes,
      responseTypes: ['code'],
      tokenEndpointAuthMethod: reg.method,
      scope: reg.scope,
      clientUri: reg.clientUri ?? null,
      logoUri: reg.logoUri ?? null,
      applicationType: reg.applicationType ?? null,
      secretHash: secret ? sha256Hex(secret) : null,
      ownerUserId: null,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    const out = {
      client_id: id,
      client_id_issued_at: Math.floor(now.getTime() / 1000),
      ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
      client_name: reg.name,
      redirect_uris: reg.redirectUris,
      grant_types: reg.grantTypes,
      response_types: ['code'],
      token_endpoint_auth_method: reg.method,
      ...(reg.scope ? { scope: reg.scope } : {}),
      ...(reg.clientUri ? { client_uri: reg.clientUri } : {}),
      ...(reg.logoUri ? { logo_uri: reg.logoUri } : {}),
      ...(reg.applicationType ? { application_type: reg.applicationType } : {}),
    };
    const { client_secret: _secret, ...withoutSecret } = out as typeof out & { client_secret?: string };
    // The client row and its event commit together (the outbox), so a subscriber hears of every
    // registered client and of none that failed to register.
    await server.store.write((w) => {
      w.insertClient(row);
      w.publish(oauthContext(server, c.get('caller')), 'oauth_client.created', { resource_id: id, after: withoutSecret });
    });
    await oauthEvent(server, c.get('caller'), undefined, { action: 'oauth_client.register', resource: 'oauth_client', resourceId: id }, 'success', { after: withoutSecret });
    return c.json(out, 201);
  } catch (err) {
    if (err instanceof OAuthError) {
      await oauthEvent(server, c.get('caller'), undefined, { action: 'oauth_client.register', resource: 'oauth_client' }, 'failure', {}, { code: err.code, message: err.description });
      return oauthErrorResponse(c, err);
    }
    throw err;
  }
}
