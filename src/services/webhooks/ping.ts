// webhook_ping: sends a `webhook.ping` event to one webhook right now (even an inactive one) and
// answers with the attempt's result. The ping is recorded like any delivery — an outbox event
// that is never fanned out, one delivery and its attempt — so it shows in the delivery log and
// can be redelivered; a failed ping is not retried.
import { WebhookIdInputSchema } from '../../../schemas/webhooks.ts';
import type { z } from 'zod';
import type { PingResultSchema } from '../../../schemas/webhooks.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { webhookDeliveries } from '../../db/schema/index.ts';
import { newId } from '../../platform/ids.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { PING_EVENT } from '../events/catalogue.ts';
import { buildEvent } from '../events/outbox.ts';
import { getDeliveryOrThrow, getWebhookOrThrow, withAttempts } from './internal.ts';
import type { Leased } from './sender.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** Long enough that no worker takes the ping's delivery over while it is being sent. */
const PING_LEASE_MARGIN_MS = 30_000;

export async function pingWebhook(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<z.infer<typeof PingResultSchema>> {
  return audited(env, ctx, { action: 'webhook.ping', resource: 'webhook', resourceId: rawString(raw) }, async (audit) => {
    requirePermission(ctx, 'webhooks:update');
    const { id } = WebhookIdInputSchema.parse(raw);
    const nowDate = env.clock.now();
    const now = nowDate.toISOString();
    const lease: Leased = await syncWrite(env, (tx) => {
        const hook = getWebhookOrThrow(tx, id);
        const payload = buildEvent(env, ctx, PING_EVENT, {
          resource_id: hook.id,
          details: { message: 'Test webhook delivery from rackd', webhook_name: hook.name },
        });
        // Recorded as already dispatched: the ping goes to this webhook only, sent below.
        env.outbox.write(tx, payload, { dispatchedAt: now });
        const deliveryId = newId();
        const leaseUntil = new Date(nowDate.getTime() + env.config.webhooks.timeoutMs + PING_LEASE_MARGIN_MS).toISOString();
        tx.insert(webhookDeliveries)
          .values({ id: deliveryId, webhookId: hook.id, eventId: payload.id, eventType: PING_EVENT, status: 'delivering', attempts: 1, leaseUntil, createdAt: now, updatedAt: now })
          .run();
        audit.record(tx, { resourceId: hook.id, extra: { event_id: payload.id, delivery_id: deliveryId } });
        return { id: deliveryId, attempt: 1, leaseUntil };
      });
    const outcome = await env.webhookSender.attempt(env, lease, { retry: false, force: true });
    const [delivery] = withAttempts(env.db, [getDeliveryOrThrow(env.db, lease.id)]);
    const message = outcome.status === 'success' ? 'Webhook ping sent successfully' : `Webhook ping failed: ${outcome.error}`;
    return { message, delivery: delivery! };
  });
}
