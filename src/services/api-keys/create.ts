// Creating an API key: for the caller, or — by an administrator — for another user (a service
// account for a script or an agent). A key may be narrowed to scopes (the OAuth vocabulary:
// rackd:read makes a read-only key); it then acts with its owner's current permissions ∩ those
// scopes. Nobody can make a key that may do more than they may themselves, so a scoped key (or
// an OAuth token) holding apikey:create cannot mint a broader one. The plaintext is returned
// here once and never stored.
import { CreateApiKeyInputSchema, type ApiKey } from '../../../schemas/api-keys.ts';
import { requireAdmin, requirePermission, userIdOf, usernameOf, type CallerContext } from '../../auth/context.ts';
import { parseScope } from '../../auth/scopes.ts';
import { apiKeys } from '../../db/schema/index.ts';
import { AppError, validationError } from '../../platform/errors.ts';
import { newId, randomToken, sha256Hex } from '../../platform/ids.ts';
import { audited } from '../audit/record.ts';
import { API_KEY_PREFIX } from '../auth/authenticate.ts';
import type { ServiceEnv } from '../env.ts';
import { assertWithinCaller } from '../auth/reach.ts';
import { getUserOrThrow } from '../users/internal.ts';
import { toApiKey } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

function checkScopes(scopes: readonly string[] | undefined): string[] | undefined {
  if (scopes === undefined) return undefined;
  const { known, unknown } = parseScope(scopes.join(' '));
  if (unknown.length) throw validationError('scopes', `unknown scope(s): ${unknown.join(', ')} (use rackd:read, rackd:write, rackd:admin or permission names)`);
  return known;
}

export async function createApiKey(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<ApiKey & { key: string }> {
  return audited(env, ctx, { action: 'apikey.create', resource: 'apikey' }, (audit) => {
    requirePermission(ctx, 'apikey:create');
    const input = CreateApiKeyInputSchema.parse(raw);
    const caller = userIdOf(ctx);
    const owner = input.user_id ?? caller;
    if (!owner) throw new AppError('FORBIDDEN', 'API keys belong to a user; this caller is not one');
    if (owner !== caller) requireAdmin(ctx, 'create API keys for other users');
    const ownerRow = getUserOrThrow(env.db, owner);
    if (!ownerRow.isActive) throw validationError('user_id', 'the user is deactivated');
    const scopes = checkScopes(input.scopes);
    const now = env.clock.now();
    if (input.expires_at && Date.parse(input.expires_at) <= now.getTime()) {
      throw validationError('expires_at', 'must be in the future');
    }
    assertWithinCaller(env, ctx, owner, scopes);
    // Recognisable prefix for secret scanners + 32 random bytes (256 bits).
    const key = API_KEY_PREFIX + randomToken(32);
    const row = {
      id: newId(),
      name: input.name,
      description: input.description ?? '',
      keyHash: sha256Hex(key),
      start: key.slice(0, API_KEY_PREFIX.length + 6),
      userId: owner,
      createdAt: now.toISOString(),
      lastUsedAt: null,
      expiresAt: input.expires_at ? new Date(input.expires_at).toISOString() : null,
      scopes: scopes ? scopes.join(' ') : null,
      createdBy: owner === caller ? null : (caller ?? null),
    };
    return syncWrite(env, (tx) => {
        tx.insert(apiKeys).values(row).run();
        const out = toApiKey(row);
        // Both names in the entry: who created the key (the entry's user) and whom it acts as.
        audit.record(tx, { resourceId: row.id, after: out, extra: { owner_id: owner, owner_username: ownerRow.username, created_by_username: usernameOf(ctx) } });
        return { ...out, key };
      });
  });
}
