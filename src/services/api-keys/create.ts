import { CreateApiKeyInputSchema, type ApiKey } from '../../../schemas/api-keys.ts';
import { requirePermission, userIdOf, type CallerContext } from '../../auth/context.ts';
import { apiKeys } from '../../db/schema/index.ts';
import { AppError, validationError } from '../../platform/errors.ts';
import { newId, randomToken, sha256Hex } from '../../platform/ids.ts';
import { audited } from '../audit/record.ts';
import { API_KEY_PREFIX } from '../auth/authenticate.ts';
import type { ServiceEnv } from '../env.ts';
import { toApiKey } from './internal.ts';

/** Creates a key owned by the caller; the plaintext is returned here once and never stored. */
export async function createApiKey(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<ApiKey & { key: string }> {
  return audited(env, ctx, { action: 'apikey.create', resource: 'apikey' }, (audit) => {
    requirePermission(ctx, 'apikey:create');
    const input = CreateApiKeyInputSchema.parse(raw);
    const owner = userIdOf(ctx);
    if (!owner) throw new AppError('FORBIDDEN', 'API keys belong to a user; this caller is not one');
    const now = env.clock.now();
    if (input.expires_at && Date.parse(input.expires_at) <= now.getTime()) {
      throw validationError('expires_at', 'must be in the future');
    }
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
    };
    return env.db.transaction(
      (tx) => {
        tx.insert(apiKeys).values(row).run();
        const out = toApiKey(row);
        audit.record(tx, { resourceId: row.id, after: out });
        return { ...out, key };
      },
      { behavior: 'immediate' },
    );
  });
}
