import { eq } from 'drizzle-orm';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { apiKeys } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getOwnedKeyOrThrow, toApiKey } from './internal.ts';

export async function deleteApiKey(env: ServiceEnv, ctx: CallerContext, id: string): Promise<void> {
  return audited(env, ctx, { action: 'apikey.delete', resource: 'apikey', resourceId: id }, (audit) => {
    requirePermission(ctx, 'apikey:delete');
    env.db.transaction(
      (tx) => {
        const row = getOwnedKeyOrThrow(tx, ctx, id);
        tx.delete(apiKeys).where(eq(apiKeys.id, id)).run();
        audit.record(tx, { resourceId: id, before: toApiKey(row) });
      },
      { behavior: 'immediate' },
    );
  });
}
