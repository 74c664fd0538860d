// The delivery log of a webhook: webhook_deliveries (newest first, with every attempt) and one
// delivery by id.
import { and, count, desc, eq, type SQL } from 'drizzle-orm';
import { DeliveryGetInputSchema, ListDeliveriesInputSchema, type Delivery } from '../../../schemas/webhooks.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { webhookDeliveries } from '../../db/schema/index.ts';
import { notFound } from '../../platform/errors.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { page, pageWindow } from '../paging.ts';
import { getWebhookOrThrow, withAttempts } from './internal.ts';

export async function listWebhookDeliveries(env: ServiceEnv, ctx: CallerContext, raw: unknown) {
  return audited(env, ctx, { action: 'webhook.deliveries', resource: 'webhook', read: true }, () => {
    requirePermission(ctx, 'webhooks:read');
    const input = ListDeliveriesInputSchema.parse(raw);
    getWebhookOrThrow(env.db, input.id);
    const window = pageWindow(input);
    const conds: SQL[] = [eq(webhookDeliveries.webhookId, input.id)];
    if (input.status) conds.push(eq(webhookDeliveries.status, input.status));
    if (input.event_type) conds.push(eq(webhookDeliveries.eventType, input.event_type));
    const where = and(...conds);
    const rows = env.db.select().from(webhookDeliveries).where(where).orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id)).limit(window.limit).offset(window.offset).all();
    const total = env.db.select({ n: count() }).from(webhookDeliveries).where(where).get()!.n;
    return page(withAttempts(env.db, rows), total, window);
  });
}

export async function getWebhookDelivery(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<Delivery> {
  return audited(env, ctx, { action: 'webhook.delivery_read', resource: 'webhook', read: true }, () => {
    requirePermission(ctx, 'webhooks:read');
    const input = DeliveryGetInputSchema.parse(raw);
    const row = env.db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, input.delivery_id), eq(webhookDeliveries.webhookId, input.id)))
      .get();
    if (!row) throw notFound('Webhook delivery', input.delivery_id);
    return withAttempts(env.db, [row])[0]!;
  });
}
