// Events and webhooks: the outbox (events written in the same transaction as the change), the
// subscriptions (secret sealed with AES-256-GCM), and one delivery row per (event, webhook) that
// the worker drives through its attempts.
import { boolean, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';

export const events = pgTable(
  'events',
  {
    /** Monotonic sequence: the dispatcher reads the outbox in this order. */
    seq: integer('seq').primaryKey().generatedByDefaultAsIdentity(),
    id: text('id').notNull().unique(),
    type: text('type').notNull(),
    occurredAt: text('occurred_at').notNull(),
    /** JSON: {id, type, timestamp, actor, data: {before, after}} with secrets removed. */
    payload: text('payload').notNull(),
    /** Set once the event has been fanned out into deliveries. */
    dispatchedAt: text('dispatched_at'),
  },
  (t) => [index('events_undispatched').on(t.dispatchedAt, t.seq), index('events_type').on(t.type)],
);

export const webhooks = pgTable('webhooks', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  /** Sealed secret ('' when none). */
  secret: text('secret').notNull().default(''),
  /** JSON array of event types (or ["*"]). */
  events: text('events').notNull(),
  active: boolean('active').notNull().default(true),
  description: text('description').notNull().default(''),
  createdBy: text('created_by').notNull().default(''),
  createdAt: text('created_at').notNull(),
  updatedAt: text('updated_at').notNull(),
});

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    webhookId: text('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    eventId: text('event_id').notNull(),
    eventType: text('event_type').notNull(),
    status: text('status', { enum: ['pending', 'delivering', 'retrying', 'success', 'failed', 'abandoned'] }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: text('next_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error').notNull().default(''),
    /** Lease: a worker owns a 'delivering' row until then (crash → the row is retried). */
    leaseUntil: text('lease_until'),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
    completedAt: text('completed_at'),
  },
  (t) => [
    // One delivery per event and webhook: fan-out is idempotent, so a crash mid-dispatch never doubles.
    uniqueIndex('webhook_deliveries_event_webhook').on(t.eventId, t.webhookId),
    index('webhook_deliveries_due').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_webhook').on(t.webhookId, t.createdAt),
  ],
);

export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: text('id').primaryKey(),
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    webhookId: text('webhook_id').notNull(),
    attempt: integer('attempt').notNull(),
    statusCode: integer('status_code'),
    durationMs: integer('duration_ms').notNull(),
    error: text('error').notNull().default(''),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('webhook_attempts_delivery').on(t.deliveryId), index('webhook_attempts_webhook').on(t.webhookId, t.createdAt)],
);
