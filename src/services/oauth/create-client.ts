// POST /api/oauth/clients: a user registers a confidential client bound to themself — an agent
// that signs in with client_credentials (and, with redirect URIs, the code flow). Creating one is
// creating a credential that acts as you, so it takes the same permission as an API key.
import { CreateOAuthClientInputSchema, type OAuthClient } from '../../../schemas/oauth.ts';
import { requirePermission, userIdOf, type CallerContext } from '../../auth/context.ts';
import { oauthClients } from '../../db/schema/index.ts';
import { AppError, validationError } from '../../platform/errors.ts';
import { newId, randomToken, sha256Hex } from '../../platform/ids.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { assertWithinCaller } from '../auth/reach.ts';
import { ClientMetadataError, validateClientMetadata, type ClientMetadata } from './client-metadata.ts';
import { CLIENT_SECRET_PREFIX, toOAuthClient } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

function agentMetadata(env: ServiceEnv, input: unknown): ClientMetadata {
  try {
    return validateClientMetadata(input, 'api', { allowedSchemes: env.config.oauth.allowedRedirectSchemes });
  } catch (err) {
    if (!(err instanceof ClientMetadataError)) throw err;
    // The validator's messages start with the field name; the envelope names it in details too.
    const message = err.message.startsWith(`${err.field} `) ? err.message.slice(err.field.length + 1) : err.message;
    throw validationError(err.field, message);
  }
}

export async function createOAuthClient(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<OAuthClient & { client_secret: string }> {
  const actx: CallerContext = { ...ctx, source: 'oauth' };
  return audited(env, actx, { action: 'oauth_client.create', resource: 'oauth_client' }, (audit) => {
    requirePermission(ctx, 'apikey:create');
    const input = CreateOAuthClientInputSchema.parse(raw);
    const owner = userIdOf(ctx);
    if (!owner) throw new AppError('FORBIDDEN', 'OAuth clients act as a user; this caller is not one');
    const meta = agentMetadata(env, input);
    // Its tokens act as the owner within its scope: no broader than the caller (a scoped key, a token).
    assertWithinCaller(env, ctx, owner, meta.scope!.split(' '), 'scope');
    const secret = CLIENT_SECRET_PREFIX + randomToken(32);
    const now = env.clock.now().toISOString();
    const id = newId();
    const row = {
      id,
      clientId: id,
      kind: 'api' as const,
      name: meta.name,
      redirectUris: meta.redirectUris,
      grantTypes: meta.grantTypes,
      responseTypes: meta.responseTypes,
      tokenEndpointAuthMethod: meta.method,
      scope: meta.scope,
      clientUri: null,
      logoUri: null,
      applicationType: null,
      secretHash: sha256Hex(secret),
      ownerUserId: owner,
      createdAt: now,
      updatedAt: now,
      lastUsedAt: null,
    };
    return syncWrite(env, (tx) => {
        tx.insert(oauthClients).values(row).run();
        const out = toOAuthClient(row);
        audit.record(tx, { resourceId: id, after: out });
        return { ...out, client_secret: secret };
      });
  });
}
