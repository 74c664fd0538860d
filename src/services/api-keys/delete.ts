import { IdInputSchema } from '../../../schemas/common.ts';
import { eq } from 'drizzle-orm';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { apiKeys } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getOwnedKeyOrThrow, toApiKey } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function deleteApiKey(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'apikey.delete', resource: 'apikey', resourceId: rawString(raw) }, (audit) => {
    requirePermission(ctx, 'apikey:delete');
    const { id } = IdInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        const row = getOwnedKeyOrThrow(tx, ctx, id);
        tx.delete(apiKeys).where(eq(apiKeys.id, id)).run();
        audit.record(tx, { resourceId: id, before: toApiKey(row) });
        return { status: 'deleted' as const, id };
      });
  });
}
