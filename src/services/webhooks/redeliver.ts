// webhook_redeliver: starts a new attempt cycle for a delivery (typically a failed or abandoned
// one): it is queued again with a fresh attempt count; its earlier attempts stay in the log. The
// same event id is sent, so a receiver that already processed it can tell.
import { eq } from 'drizzle-orm';
import { RedeliverInputSchema, type Delivery } from '../../../schemas/webhooks.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { events, webhookDeliveries } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { getDeliveryOrThrow, getWebhookOrThrow, toDelivery, withAttempts } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function redeliverWebhookDelivery(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Delivery> {
  return audited(env, ctx, { action: 'webhook.redeliver', resource: 'webhook' }, async (audit) => {
    requirePermission(ctx, 'webhooks:update');
    const input = RedeliverInputSchema.parse(raw);
    const now = env.clock.now().toISOString();
    const out = await syncWrite(env, (tx) => {
        const before = getDeliveryOrThrow(tx, input.id);
        if (before.status === 'delivering') throw new AppError('CONFLICT', 'The delivery is being sent right now; try again when it has finished');
        const hook = getWebhookOrThrow(tx, before.webhookId);
        if (!hook.active) throw new AppError('CONFLICT', 'The webhook is inactive; activate it before redelivering', { details: [{ field: 'active', message: 'false' }] });
        if (!tx.select({ id: events.id }).from(events).where(eq(events.id, before.eventId)).get()) {
          throw new AppError('CONFLICT', 'The event of this delivery is no longer stored (past retention)');
        }
        tx.update(webhookDeliveries)
          .set({ status: 'pending', attempts: 0, nextAttemptAt: now, leaseUntil: null, lastStatusCode: null, lastError: '', completedAt: null, updatedAt: now })
          .where(eq(webhookDeliveries.id, before.id))
          .run();
        audit.record(tx, { resourceId: before.id, before: toDelivery(before, []), extra: { webhook_id: before.webhookId } });
        return withAttempts(tx, [getDeliveryOrThrow(tx, before.id)])[0]!;
      });
    env.outbox.wake();
    return out;
  });
}
