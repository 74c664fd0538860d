import { EmptyInputSchema } from '../../schemas/common.ts';
import {
  DeliveryGetInputSchema,
  EventTypeListSchema,
  DeliveryPageSchema,
  DeliverySchema,
  ListDeliveriesInputSchema,
  ListWebhooksInputSchema,
  PingResultSchema,
  RedeliverInputSchema,
  SavedWebhookSchema,
  SaveWebhookInputSchema,
  WebhookDeletedSchema,
  WebhookIdInputSchema,
  WebhookPageSchema,
  WebhookSchema,
} from '../../schemas/webhooks.ts';
import { deleteWebhook } from '../services/webhooks/delete.ts';
import { getWebhookDelivery, listWebhookDeliveries } from '../services/webhooks/deliveries.ts';
import { listEventTypes } from '../services/webhooks/events.ts';
import { getWebhook } from '../services/webhooks/get.ts';
import { listWebhooks } from '../services/webhooks/list.ts';
import { pingWebhook } from '../services/webhooks/ping.ts';
import { redeliverWebhookDelivery } from '../services/webhooks/redeliver.ts';
import { saveWebhook } from '../services/webhooks/save.ts';
import { crud } from './crud.ts';
import { defineOperation } from './types.ts';

const RW = { readOnly: false, destructive: false, idempotent: false };
const RO = { readOnly: true, destructive: false, idempotent: true };

const c = crud({ entity: 'webhook', permission: 'webhooks', path: '/api/webhooks', toolset: 'webhooks' });

export const webhookOperations = [
  defineOperation({
    name: 'webhook_event_types',
    title: 'Webhook event types',
    description: 'Every event type a webhook can subscribe to, with label and description ("*" in events subscribes to all). Any authenticated caller.',
    permission: 'authenticated',
    annotations: RO,
    input: EmptyInputSchema,
    output: EventTypeListSchema,
    run: listEventTypes,
    http: { method: 'GET', path: '/api/webhooks/events', response: 'items' },
    toolset: 'webhooks',
  }),
  c.list({
    title: 'List webhooks',
    description: 'List webhook subscriptions sorted by name, optionally only active or inactive ones. Secrets are never returned (has_secret only).',
    input: ListWebhooksInputSchema,
    output: WebhookPageSchema,
    run: listWebhooks,
  }),
  c.get({
    title: 'Get a webhook',
    description: 'Get one webhook subscription by id (never its secret).',
    input: WebhookIdInputSchema,
    output: WebhookSchema,
    run: getWebhook,
  }),
  c.save({
    title: 'Create or update a webhook',
    description:
      'Create a webhook (omit id; name, url and events required) or update one (give id; only the fields you send change). ' +
      'Every matching event is POSTed as JSON to url, signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). ' +
      'Omit secret on create to get a generated one in the answer, shown only that once. URLs pointing at loopback, link-local, private, multicast or unspecified addresses are refused.',
    input: SaveWebhookInputSchema,
    output: SavedWebhookSchema,
    run: saveWebhook,
  }),
  c.remove({
    title: 'Delete a webhook',
    description: 'Delete a webhook subscription with its delivery log; queued deliveries are dropped.',
    input: WebhookIdInputSchema,
    output: WebhookDeletedSchema,
    run: deleteWebhook,
  }),
  defineOperation({
    name: 'webhook_ping',
    title: 'Ping a webhook',
    description:
      'Send a signed webhook.ping event to the webhook now (also when inactive) and return the result: message plus the recorded delivery with its attempt (status code, duration, error). Not retried.',
    permission: 'webhooks:update',
    annotations: RW,
    input: WebhookIdInputSchema,
    output: PingResultSchema,
    run: pingWebhook,
    http: { method: 'POST', path: '/api/webhooks/:id/ping' },
    toolset: 'webhooks',
  }),
  defineOperation({
    name: 'webhook_deliveries',
    title: 'List deliveries of a webhook',
    description:
      'The delivery log of one webhook, newest first: each event sent to it with its status (pending, delivering, retrying, success, failed, abandoned) and every attempt (status code, duration, error). Filter by status or event_type.',
    permission: 'webhooks:read',
    annotations: RO,
    input: ListDeliveriesInputSchema,
    output: DeliveryPageSchema,
    run: listWebhookDeliveries,
    http: { method: 'GET', path: '/api/webhooks/:id/deliveries', response: 'items' },
    toolset: 'webhooks',
  }),
  defineOperation({
    name: 'webhook_delivery_get',
    title: 'Get a webhook delivery',
    description: 'One delivery of a webhook by id, with its attempts.',
    permission: 'webhooks:read',
    annotations: RO,
    input: DeliveryGetInputSchema,
    output: DeliverySchema,
    run: getWebhookDelivery,
    http: { method: 'GET', path: '/api/webhooks/:id/deliveries/:delivery_id' },
    toolset: 'webhooks',
  }),
  defineOperation({
    name: 'webhook_redeliver',
    title: 'Redeliver a webhook delivery',
    description:
      'Queue a delivery (typically failed or abandoned) again with a fresh attempt count; the worker sends it within a second and retries as usual. The same event id is sent. Its earlier attempts stay in the log.',
    permission: 'webhooks:update',
    annotations: RW,
    input: RedeliverInputSchema,
    output: DeliverySchema,
    run: redeliverWebhookDelivery,
    http: { method: 'POST', path: '/api/webhooks/deliveries/:id/redeliver' },
    toolset: 'webhooks',
  }),
];
