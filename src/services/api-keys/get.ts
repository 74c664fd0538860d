import { IdInputSchema } from '../../../schemas/common.ts';
import type { ApiKey } from '../../../schemas/api-keys.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getOwnedKeyOrThrow, toApiKey } from './internal.ts';

export async function getApiKey(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<ApiKey> {
  return audited(env, ctx, { action: 'apikey.read', resource: 'apikey', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'apikey:read');
    const { id } = IdInputSchema.parse(raw);
    return toApiKey(getOwnedKeyOrThrow(env.db, ctx, id));
  });
}
