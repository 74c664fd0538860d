// grant_type=client_credentials: only for confidential clients a user registered through the API
// (POST /api/oauth/clients). The token acts as that user, limited like every other token: the
// user's current permissions ∩ the requested scope, which must lie within the registered scope.
// No refresh token (RFC 6749 §4.4.3).
import { newId } from '../../platform/ids.ts';
import type { ClientRow } from '../../services/oauth/internal.ts';
import { OAuthError } from '../errors.ts';
import type { Params } from '../form.ts';
import { limitScopes, parseScope, SCOPE_READ } from '../../auth/scopes.ts';
import type { OAuthServer } from '../server.ts';
import { accessExpiryMs, type Issuance } from '../tokens.ts';
import { isCanonicalResource } from '../urls.ts';

export async function clientCredentialsGrant(server: OAuthServer, client: ClientRow, form: Params): Promise<Issuance> {
  const { env } = server;
  if (!client.secretHash || !client.ownerUserId || !client.grantTypes.includes('client_credentials')) {
    throw new OAuthError('unauthorized_client', 'client_credentials is only for confidential clients registered by a user through /api/oauth/clients');
  }
  const resource = form.get('resource');
  const urls = server.urls();
  if (resource !== undefined && !isCanonicalResource(resource, urls.resource)) {
    throw new OAuthError('invalid_target', `resource must be ${urls.resource}`);
  }
  const registered = (client.scope ?? SCOPE_READ).split(' ');
  const scopes = form.has('scope') ? limitScopes(parseScope(form.get('scope')).known, registered) : registered;
  if (scopes.length === 0) throw new OAuthError('invalid_scope', `No requested scope is within the client's registered scope (${registered.join(' ')})`);
  const user = server.store.user(client.ownerUserId);
  if (!user || !user.isActive) throw new OAuthError('invalid_grant', 'The user this client acts as is no longer active');
  const nowMs = env.clock.now().getTime();
  const grantId = newId();
  await server.store.write((w) =>
    w.insertGrant({
      id: grantId,
      clientRowId: client.id,
      userId: user.id,
      grantType: 'client_credentials',
      scope: scopes.join(' '),
      resource: urls.resource,
      nowMs,
      expiresAtMs: accessExpiryMs(server, nowMs),
    }),
  );
  return { grantId, userId: user.id, client, scope: scopes.join(' '), jti: newId(), issuedAtMs: nowMs };
}
