// Webhooks: subscriptions, their deliveries and attempts, and the event catalogue (wire contracts).
import { z } from 'zod';
import { displayText, IdSchema, plainText, TimestampSchema } from './common.ts';
import { PageInputShape, pageOutput } from './paging.ts';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

const EventsField = z
  .array(z.string().trim().min(1).max(100))
  .min(1, 'must name at least one event type')
  .max(100)
  .describe(
    'Event types to deliver, e.g. ["device.created"], or ["*"] for every type (also later ones); webhook_event_types (GET /api/webhooks/events) lists them',
  );

export const WebhookSchema = z
  .object({
    id: IdSchema,
    name: z.string().describe('Display name'),
    url: z.string().describe('Receiver URL (http or https); every event is POSTed here'),
    events: z.array(z.string()).describe('Subscribed event types, or ["*"]'),
    active: z.boolean().describe('Inactive webhooks receive nothing; their queued deliveries are abandoned'),
    description: z.string().describe('Free text'),
    has_secret: z.boolean().describe('Always true: every webhook has a signing secret, which is never returned after creation'),
    created_by: z.string().describe('Id of the user who created it (empty for system or CLI callers)'),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .describe('A webhook subscription');
export type Webhook = z.infer<typeof WebhookSchema>;

export const SavedWebhookSchema = WebhookSchema.extend({
  secret: z
    .string()
    .optional()
    .describe('Only in the answer to a create that did not send a secret: the generated signing secret (whsec_…). Store it now; it is never shown again.'),
});

export const SaveWebhookInputSchema = z
  .object({
    id: IdSchema.optional().describe('Give to update; omit to create'),
    name: displayText().trim().min(1, 'is required').max(255).optional().describe('Display name (required on create)'),
    url: z
      .string()
      .max(4096)
      .optional()
      .describe('Receiver URL, http(s), required on create; no user:password, no loopback/private/multicast targets'),
    secret: z
      .string()
      .max(200)
      .optional()
      .describe('Signing secret "whsec_" + base64 of 24–64 bytes; omit on create for a generated one (returned once), give on update to rotate'),
    events: EventsField.optional(),
    active: z.boolean().optional().describe('Deliver events (default true)'),
    description: plainText().max(4096).optional().describe('Free text'),
  })
  .strict();
export type SaveWebhookInput = z.infer<typeof SaveWebhookInputSchema>;

export const ListWebhooksInputSchema = z
  .object({ active: z.boolean().optional().describe('true: only active webhooks; false: only inactive ones'), ...PageInputShape })
  .strict();
export const WebhookPageSchema = pageOutput(WebhookSchema);

export const WebhookIdInputSchema = z.object({ id: IdSchema.describe('Webhook id') }).strict();
export const WebhookDeletedSchema = z.object({ status: z.literal('deleted'), id: IdSchema });

export const DELIVERY_STATUSES = ['pending', 'delivering', 'retrying', 'success', 'failed', 'abandoned'] as const;

export const AttemptSchema = z
  .object({
    id: IdSchema,
    attempt: z.number().int().describe('1 for the first try of a delivery cycle, then 2, 3, … (a manual redelivery starts again at 1)'),
    status_code: z.number().int().nullable().describe('HTTP status the receiver answered; null when no answer came (refused target, DNS, connection, timeout)'),
    duration_ms: z.number().int().describe('Time from sending to the end of the answer'),
    error: z.string().describe('Why the attempt failed; empty on success'),
    created_at: TimestampSchema,
  })
  .describe('One HTTP attempt of a delivery');

export const DeliverySchema = z
  .object({
    id: IdSchema,
    webhook_id: IdSchema,
    event_id: z.string().describe('The event id, also sent as the webhook-id header (stable across retries)'),
    event_type: z.string().describe('The event type'),
    status: z.enum(DELIVERY_STATUSES).describe('pending/retrying: waiting for its next attempt; delivering: being sent; success; failed: out of attempts; abandoned: the webhook was deactivated'),
    attempts: z.number().int().describe('Attempts made in the current cycle'),
    next_attempt_at: TimestampSchema.nullable().describe('When the next attempt is due (pending/retrying)'),
    last_status_code: z.number().int().nullable().describe('HTTP status of the last attempt'),
    last_error: z.string().describe('Error of the last attempt; empty after a success'),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
    completed_at: TimestampSchema.nullable().describe('When it reached success, failed or abandoned'),
    attempt_log: z.array(AttemptSchema).describe('Every attempt, oldest first'),
  })
  .describe('The delivery of one event to one webhook');
export type Delivery = z.infer<typeof DeliverySchema>;

export const ListDeliveriesInputSchema = z
  .object({
    id: IdSchema.describe('Webhook id'),
    status: z.enum(DELIVERY_STATUSES).optional().describe('Only deliveries in this state'),
    event_type: z.string().max(100).optional().describe('Only deliveries of this event type'),
    ...PageInputShape,
  })
  .strict();
export const DeliveryPageSchema = pageOutput(DeliverySchema);

export const DeliveryGetInputSchema = z
  .object({ id: IdSchema.describe('Webhook id'), delivery_id: IdSchema.describe('The delivery id') })
  .strict();

export const RedeliverInputSchema = z.object({ id: IdSchema.describe('The delivery id') }).strict();

export const PingResultSchema = z.object({
  message: z.string().describe('"Webhook ping sent successfully" when the receiver answered 2xx, otherwise what went wrong'),
  delivery: DeliverySchema,
});

export const EventTypeSchema = z
  .object({
    type: z.string().describe('The event type, e.g. device.created'),
    value: z.string().describe('The same as type (Rackd\'s name for it)'),
    label: z.string().describe('Human-readable name'),
    description: z.string().describe('When it fires and what data holds'),
  })
  .describe('A subscribable event type');
export type EventType = z.infer<typeof EventTypeSchema>;
export const EventTypeListSchema = z.object({ items: z.array(EventTypeSchema).describe('Every subscribable event type'), total: z.number().int().describe('How many') });
