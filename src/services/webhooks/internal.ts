// Shared by the webhook verbs and the delivery worker: row ↔ wire mapping, the sealed secret,
// event-filter and URL checks.
import { lookup } from 'node:dns/promises';
import { asc, eq, inArray } from 'drizzle-orm';
import type { Delivery, Webhook } from '../../../schemas/webhooks.ts';
import type { DbOrTx } from '../../db/client.ts';
import { webhookAttempts, webhookDeliveries, webhooks } from '../../db/schema/index.ts';
import { assertAddressAllowed, checkTargetUrl, policyFromConfig, type TargetPolicy } from '../../net/url-guard.ts';
import { decryptSecret, encryptSecret } from '../../platform/crypto.ts';
import { notFound, validationError } from '../../platform/errors.ts';
import { ALL_EVENTS, EVENT_TYPE_NAMES } from '../events/catalogue.ts';
import type { ServiceEnv } from '../env.ts';

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type AttemptRow = typeof webhookAttempts.$inferSelect;

export function parseEvents(json: string): string[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export const toWebhook = (r: WebhookRow): Webhook => ({
  id: r.id,
  name: r.name,
  url: r.url,
  events: parseEvents(r.events),
  active: r.active,
  description: r.description,
  has_secret: r.secret !== '',
  created_by: r.createdBy,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

export function getWebhookOrThrow(db: DbOrTx, id: string): WebhookRow {
  const row = db.select().from(webhooks).where(eq(webhooks.id, id)).get();
  if (!row) throw notFound('Webhook', id);
  return row;
}

// The id is bound in as associated data: a sealed secret copied into another row does not open.
export const webhookAad = (webhookId: string): string => `webhook:${webhookId}`;
export const sealSecret = (env: ServiceEnv, webhookId: string, secret: string): string =>
  encryptSecret(env.keys.derive('webhook-secret-encryption'), secret, webhookAad(webhookId));
export const openSecret = (env: ServiceEnv, row: Pick<WebhookRow, 'id' | 'secret'>): string =>
  decryptSecret(env.keys.derive('webhook-secret-encryption'), row.secret, webhookAad(row.id));

/** Validates and normalises an event filter: known types only, duplicates dropped, "*" alone. */
export function normalizeEvents(events: readonly string[]): string[] {
  const out = new Set<string>();
  events.forEach((e, i) => {
    if (e !== ALL_EVENTS && !EVENT_TYPE_NAMES.has(e)) {
      throw validationError(`events.${i}`, `unknown event type "${e}"; GET /api/webhooks/events lists them (or use "*")`);
    }
    out.add(e);
  });
  return out.has(ALL_EVENTS) ? [ALL_EVENTS] : [...out];
}

export const webhookPolicy = (env: ServiceEnv): TargetPolicy => policyFromConfig(env.config, { httpsOnly: false });

const SAVE_DNS_TIMEOUT_MS = 3_000;

/**
 * The check when a URL is saved: the syntax and literal-address rules of the SSRF guard, then —
 * for a host name — every address it resolves to right now. A name that does not resolve (yet)
 * is accepted: the receiver may not exist yet, and every send resolves and checks again anyway,
 * which is the check that counts (the answer may change after saving).
 */
export async function vetWebhookUrl(env: ServiceEnv, url: string): Promise<string> {
  const policy = webhookPolicy(env);
  const target = checkTargetUrl(url, policy);
  if (target.address !== undefined) return url;
  let answers: { address: string }[] = [];
  try {
    answers = await Promise.race([
      lookup(target.hostname, { all: true, verbatim: true }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), SAVE_DNS_TIMEOUT_MS).unref()),
    ]);
  } catch {
    answers = [];
  }
  for (const a of answers) assertAddressAllowed(a.address, policy, target.hostname);
  return url;
}

export const toDelivery = (r: DeliveryRow, attempts: AttemptRow[]): Delivery => ({
  id: r.id,
  webhook_id: r.webhookId,
  event_id: r.eventId,
  event_type: r.eventType,
  status: r.status,
  attempts: r.attempts,
  next_attempt_at: r.nextAttemptAt,
  last_status_code: r.lastStatusCode,
  last_error: r.lastError,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
  completed_at: r.completedAt,
  attempt_log: attempts.map((a) => ({
    id: a.id,
    attempt: a.attempt,
    status_code: a.statusCode,
    duration_ms: a.durationMs,
    error: a.error,
    created_at: a.createdAt,
  })),
});

/** Deliveries with their attempt logs, in one query for all the attempts. */
export function withAttempts(db: DbOrTx, rows: DeliveryRow[]): Delivery[] {
  if (rows.length === 0) return [];
  const attempts = db
    .select()
    .from(webhookAttempts)
    .where(inArray(webhookAttempts.deliveryId, rows.map((r) => r.id)))
    .orderBy(asc(webhookAttempts.createdAt), asc(webhookAttempts.id))
    .all();
  const by = new Map<string, AttemptRow[]>();
  for (const a of attempts) {
    const list = by.get(a.deliveryId) ?? [];
    list.push(a);
    by.set(a.deliveryId, list);
  }
  return rows.map((r) => toDelivery(r, by.get(r.id) ?? []));
}

export function getDeliveryOrThrow(db: DbOrTx, id: string): DeliveryRow {
  const row = db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id)).get();
  if (!row) throw notFound('Webhook delivery', id);
  return row;
}
