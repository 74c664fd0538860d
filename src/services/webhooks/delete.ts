import { WebhookIdInputSchema } from '../../../schemas/webhooks.ts';
import { eq } from 'drizzle-orm';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { webhooks } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { getWebhookOrThrow, toWebhook } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** Deletes the webhook with its deliveries and attempt log (FK cascade); a send in flight finishes unrecorded. */
export async function deleteWebhook(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<{ status: 'deleted'; id: string }> {
  return audited(env, ctx, { action: 'webhook.delete', resource: 'webhook', resourceId: rawString(raw) }, (audit) => {
    requirePermission(ctx, 'webhooks:delete');
    const { id } = WebhookIdInputSchema.parse(raw);
    return syncWrite(env, (tx) => {
        const before = getWebhookOrThrow(tx, id);
        tx.delete(webhooks).where(eq(webhooks.id, id)).run();
        audit.record(tx, { resourceId: id, before: toWebhook(before) });
        return { status: 'deleted' as const, id };
      });
  });
}
