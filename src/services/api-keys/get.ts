import type { ApiKey } from '../../../schemas/api-keys.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getOwnedKeyOrThrow, toApiKey } from './internal.ts';

export async function getApiKey(env: ServiceEnv, ctx: CallerContext, id: string): Promise<ApiKey> {
  return audited(env, ctx, { action: 'apikey.read', resource: 'apikey', resourceId: id, read: true }, () => {
    requirePermission(ctx, 'apikey:read');
    return toApiKey(getOwnedKeyOrThrow(env.db, ctx, id));
  });
}
