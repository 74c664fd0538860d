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
/** Posts to the webhook's receiver: reaches outside rackd. */
const SENDS = { ...RW, openWorld: true };

const c = crud({ entity: 'webhook', permission: 'webhooks', path: '/api/webhooks', toolset: 'webhooks' });

export const webhookOperations = [
  defineOperation({
    name: 'webhook_event_types',
    title: 'Webhook event types',
    description: 'Every event type a webhook can subscribe to ("*" subscribes to all).',
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
    description: 'Webhook subscriptions by name, optionally only active or inactive ones (never secrets).',
    input: ListWebhooksInputSchema,
    output: WebhookPageSchema,
    run: listWebhooks,
  }),
  c.get({
    title: 'Get a webhook',
    description: 'One webhook (never its secret).',
    input: WebhookIdInputSchema,
    output: WebhookSchema,
    run: getWebhook,
  }),
  c.save({
    title: 'Create or update a webhook',
    description: 'Create (name, url, events required) or update a webhook. Matching events are POSTed as JSON to url, signed per Standard Webhooks. Without secret on create one is generated and shown once. Loopback, link-local, private and multicast targets are refused.',
    input: SaveWebhookInputSchema,
    output: SavedWebhookSchema,
    run: saveWebhook,
  }),
  c.remove({
    title: 'Delete a webhook',
    description: 'Delete a webhook with its delivery log.',
    input: WebhookIdInputSchema,
    output: WebhookDeletedSchema,
    run: deleteWebhook,
  }),
  defineOperation({
    name: 'webhook_ping',
    title: 'Ping a webhook',
    description: 'Send a signed webhook.ping now (also when inactive), not retried; returns the message and the recorded delivery.',
    permission: 'webhooks:update',
    annotations: SENDS,
    input: WebhookIdInputSchema,
    output: PingResultSchema,
    run: pingWebhook,
    http: { method: 'POST', path: '/api/webhooks/:id/ping' },
    toolset: 'webhooks',
  }),
  defineOperation({
    name: 'webhook_deliveries',
    title: 'List deliveries of a webhook',
    description: 'Deliveries of a webhook, newest first, with status and every attempt; filter by status or event_type.',
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
    description: 'One delivery with its attempts.',
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
    description: 'Queue a delivery again (same event id, fresh attempt count); earlier attempts stay in the log.',
    permission: 'webhooks:update',
    annotations: SENDS,
    input: RedeliverInputSchema,
    output: DeliverySchema,
    run: redeliverWebhookDelivery,
    http: { method: 'POST', path: '/api/webhooks/deliveries/:id/redeliver' },
    toolset: 'webhooks',
  }),
];
