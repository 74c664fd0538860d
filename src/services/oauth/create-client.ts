// POST /api/oauth/clients: a user registers a confidential client bound to themself — an agent
// that signs in with client_credentials (and, with redirect URIs, the code flow). Creating one is
// creating a credential that acts as you, so it takes the same permission as an API key.
import { CreateOAuthClientInputSchema, type OAuthClient } from '../../../schemas/oauth.ts';
import { requirePermission, userIdOf, type CallerContext } from '../../auth/context.ts';
import { oauthClients } from '../../db/schema/index.ts';
import { AppError, validationError } from '../../platform/errors.ts';
import { newId, randomToken, sha256Hex } from '../../platform/ids.ts';
import { validateRedirectUri } from '../../oauth/redirect-uri.ts';
import { parseScope, SCOPE_READ } from '../../auth/scopes.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { CLIENT_SECRET_PREFIX, toOAuthClient } from './internal.ts';

export async function createOAuthClient(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<OAuthClient & { client_secret: string }> {
  const actx: CallerContext = { ...ctx, source: 'oauth' };
  return audited(env, actx, { action: 'oauth_client.create', resource: 'oauth_client' }, (audit) => {
    requirePermission(ctx, 'apikey:create');
    const input = CreateOAuthClientInputSchema.parse(raw);
    const owner = userIdOf(ctx);
    if (!owner) throw new AppError('FORBIDDEN', 'OAuth clients act as a user; this caller is not one');
    const { known, unknown } = parseScope(input.scope ?? SCOPE_READ);
    if (unknown.length) throw validationError('scope', `unknown scope(s): ${unknown.join(', ')}`);
    if (known.length === 0) throw validationError('scope', 'must name at least one scope');
    const redirectUris = (input.redirect_uris ?? []).map((u, i) =>
      validateRedirectUri(u, { allowedSchemes: env.config.oauth.allowedRedirectSchemes }, `redirect_uris.${i}`),
    );
    const secret = CLIENT_SECRET_PREFIX + randomToken(32);
    const now = env.clock.now().toISOString();
    const id = newId();
    const row = {
      id,
      clientId: id,
      kind: 'api' as const,
      name: input.client_name,
      redirectUris: [...new Set(redirectUris)],
      grantTypes: redirectUris.length ? ['client_credentials', 'authorization_code', 'refresh_token'] : ['client_credentials'],
      responseTypes: redirectUris.length ? ['code'] : [],
      tokenEndpointAuthMethod: 'client_secret_basic' as const,
      scope: known.join(' '),
      clientUri: null,
      logoUri: null,
      applicationType: null,
      secretHash: sha256Hex(secret),
      ownerUserId: owner,
      createdAt: now,
      updatedAt: now,
      lastUsedAt: null,
    };
    return env.db.transaction(
      (tx) => {
        tx.insert(oauthClients).values(row).run();
        const out = toOAuthClient(row);
        audit.record(tx, { resourceId: id, after: out });
        return { ...out, client_secret: secret };
      },
      { behavior: 'immediate' },
    );
  });
}
