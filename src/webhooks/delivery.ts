// One delivery attempt: the worker has leased the delivery row (status 'delivering'); this reads
// the webhook and the event, signs the stored payload, POSTs it through the SSRF-safe client —
// outside any transaction — and records the attempt and the delivery's next state in one short
// IMMEDIATE transaction. The URL is checked again here (safeFetch checks it and every address the
// name resolves to), so a target that became refused since it was saved gets no connection.
import { and, eq } from 'drizzle-orm';
import { events, webhookAttempts, webhookDeliveries, webhooks } from '../db/schema/index.ts';
import { safeFetch } from '../net/safe-fetch.ts';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import type { ServiceEnv } from '../services/env.ts';
import { openSecret, webhookPolicy } from '../services/webhooks/internal.ts';
import type { AttemptOptions, AttemptOutcome, Leased, WebhookSender } from '../services/webhooks/sender.ts';
import { WEBHOOK_USER_AGENT, webhookHeaders } from './signing.ts';
import { syncWrite } from '../db/sync-write.ts';

/** A receiver's answer beyond this is cut off and the attempt counts as failed. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

export type { Leased, AttemptOutcome };

/**
 * Full-jitter exponential backoff: a uniformly random delay in [0, min(cap, base × 2^(attempt−1))].
 * The jitter spreads the retries of many deliveries that failed together (a receiver outage).
 */
export function backoffMs(attempt: number, cfg: Pick<Config['webhooks'], 'retryBaseMs' | 'retryCapMs'>, random = Math.random): number {
  const ceiling = Math.min(cfg.retryCapMs, cfg.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

type Send = { statusCode: number | null; error: string; durationMs: number; aborted: boolean };

async function send(env: ServiceEnv, url: string, headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<Send> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  try {
    const res = await safeFetch(url, {
      policy: webhookPolicy(env),
      method: 'POST',
      headers,
      body,
      timeoutMs: env.config.webhooks.timeoutMs,
      maxBytes: MAX_RESPONSE_BYTES,
      userAgent: WEBHOOK_USER_AGENT,
      signal,
    });
    const code = res.status;
    if (code >= 200 && code < 300) return { statusCode: code, error: '', durationMs: took(), aborted: false };
    const error = code >= 300 && code < 400 ? `receiver answered HTTP ${code}: redirects are not followed` : `receiver answered HTTP ${code}`;
    return { statusCode: code, error, durationMs: took(), aborted: false };
  } catch (err) {
    if (signal?.aborted) return { statusCode: null, error: 'aborted', durationMs: took(), aborted: true };
    if (err instanceof AppError) return { statusCode: null, error: err.message, durationMs: took(), aborted: false };
    env.logger.error('webhook delivery failed unexpectedly', { err: err as Error });
    return { statusCode: null, error: 'internal error while sending', durationMs: took(), aborted: false };
  }
}

/**
 * Makes the attempt a lease stands for. `retry: false` (ping) makes a failure final at once;
 * `force` sends even to an inactive webhook (ping). An abort (shutdown) hands the lease back
 * uncounted so the next start retries at once.
 */
export async function attemptDelivery(env: ServiceEnv, lease: Leased, opts: AttemptOptions): Promise<AttemptOutcome> {
  const row = env.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, lease.id)).get();
  const hook = row && env.db.select().from(webhooks).where(eq(webhooks.id, row.webhookId)).get();
  if (!row || !hook) return { status: 'abandoned', statusCode: null, error: 'webhook deleted', durationMs: 0 };
  if (!hook.active && !opts.force) return finish(env, lease, row.webhookId, 'abandoned', null, 'webhook is inactive', 0, false);
  const event = env.db.select().from(events).where(eq(events.id, row.eventId)).get();
  if (!event) return finish(env, lease, row.webhookId, 'failed', null, 'the event is no longer stored', 0, true);
  let secret: string;
  try {
    secret = openSecret(env, hook);
  } catch {
    return finish(env, lease, row.webhookId, opts.retry ? 'next' : 'failed', null, 'the webhook secret cannot be decrypted (was the master key changed?)', 0, true);
  }
  const body = event.payload;
  const result = await send(env, hook.url, webhookHeaders(secret, event.id, body, env.clock.now()), body, opts.signal);
  if (result.aborted) return release(env, lease);
  const ok = result.error === '';
  return finish(env, lease, row.webhookId, ok ? 'success' : opts.retry ? 'next' : 'failed', result.statusCode, result.error, result.durationMs, true);
}

async function finish(
  env: ServiceEnv,
  lease: Leased,
  webhookId: string,
  outcome: 'success' | 'failed' | 'abandoned' | 'next',
  statusCode: number | null,
  error: string,
  durationMs: number,
  logAttempt: boolean,
): Promise<AttemptOutcome> {
  const nowDate = env.clock.now();
  const now = nowDate.toISOString();
  const { maxAttempts } = env.config.webhooks;
  const status = outcome === 'next' ? (lease.attempt >= maxAttempts ? 'failed' : 'retrying') : outcome;
  const next = status === 'retrying' ? new Date(nowDate.getTime() + backoffMs(lease.attempt, env.config.webhooks)).toISOString() : null;
  const done = status === 'success' || status === 'failed' || status === 'abandoned';
  try {
    await syncWrite(env, (tx) => {
        // Only while the lease is still ours: a worker that overran its lease must not overwrite
        // the state another worker has moved on since. The attempt itself is logged either way.
        const mine = tx
          .update(webhookDeliveries)
          .set({
            status,
            nextAttemptAt: next,
            leaseUntil: null,
            updatedAt: now,
            completedAt: done ? now : null,
            ...(logAttempt && { lastStatusCode: statusCode, lastError: error }),
          })
          .where(and(eq(webhookDeliveries.id, lease.id), eq(webhookDeliveries.status, 'delivering'), eq(webhookDeliveries.leaseUntil, lease.leaseUntil)))
          .run().changes;
        if (logAttempt && (mine > 0 || tx.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.id, lease.id)).get())) {
          tx.insert(webhookAttempts).values({ id: newId(), deliveryId: lease.id, webhookId, attempt: lease.attempt, statusCode, durationMs, error, createdAt: now }).run();
        }
      });
  } catch (err) {
    env.logger.error('could not record a webhook attempt', { delivery: lease.id, err: err as Error });
  }
  return { status, statusCode, error, durationMs };
}

/** Gives an interrupted lease back: the attempt did not happen as far as the count goes. */
async function release(env: ServiceEnv, lease: Leased): Promise<AttemptOutcome> {
  const now = env.clock.now().toISOString();
  try {
    await syncWrite(env, (tx) =>
      tx
        .update(webhookDeliveries)
        .set({ status: lease.attempt > 1 ? 'retrying' : 'pending', attempts: lease.attempt - 1, nextAttemptAt: now, leaseUntil: null, updatedAt: now })
        .where(and(eq(webhookDeliveries.id, lease.id), eq(webhookDeliveries.leaseUntil, lease.leaseUntil)))
        .run(),
    );
  } catch (err) {
    env.logger.warn('could not release a webhook lease', { delivery: lease.id, err: err as Error });
  }
  return { status: 'released', statusCode: null, error: 'aborted', durationMs: 0 };
}

/** What runtime.ts puts into ServiceEnv for webhook_ping. */
export const webhookSender: WebhookSender = { attempt: attemptDelivery };
