// The delivery worker. The queue is the database, so it survives restarts and is shared safely by
// several rackd processes on one file:
//  1. fan-out: undispatched outbox events become one webhook_deliveries row per matching active
//     webhook (the unique (event_id, webhook_id) index makes a repeated fan-out harmless) and the
//     events are marked dispatched, in the same IMMEDIATE transaction;
//  2. claim: due deliveries (and deliveries whose lease ran out because a worker died) are leased
//     — status 'delivering', lease_until, attempts + 1 — in one short IMMEDIATE transaction;
//  3. send: outside any transaction, at most WEBHOOK_CONCURRENCY at once (delivery.ts).
// A write that publishes an event pokes the worker (notify.ts); it also polls every second and
// sets a timer for the earliest retry due before then.
import { and, asc, eq, inArray, isNull, lt, lte, min } from 'drizzle-orm';
import { events, webhookDeliveries, webhooks } from '../db/schema/index.ts';
import { newId } from '../platform/ids.ts';
import type { ServiceEnv } from '../services/env.ts';
import { parseEvents } from '../services/webhooks/internal.ts';
import { attemptDelivery, type Leased } from './delivery.ts';
import { ALL_EVENTS } from '../services/events/catalogue.ts';
import { onEventsWritten } from './notify.ts';
import { syncWrite } from '../db/sync-write.ts';

export const POLL_INTERVAL_MS = 1_000;
const FAN_OUT_BATCH = 200;
/** A lease outlives the request timeout by this much before another worker may take the row over. */
const LEASE_MARGIN_MS = 30_000;

export interface Dispatcher {
  /** Runs fan-out and claims now (also what a poke does). */
  kick(): void;
  /** Stops polling, aborts requests in flight (their leases are handed back) and waits for them. */
  stop(): Promise<void>;
}

/** Fans undispatched events out into deliveries; returns how many events it handled. */
export async function fanOut(env: ServiceEnv): Promise<number> {
  let handled = 0;
  // A plain read first: an idle worker must not take the write lock every second.
  if (!env.db.select({ seq: events.seq }).from(events).where(isNull(events.dispatchedAt)).limit(1).get()) return 0;
  for (;;) {
    const n = await syncWrite(env, (tx) => {
        const batch = tx.select({ seq: events.seq, id: events.id, type: events.type }).from(events).where(isNull(events.dispatchedAt)).orderBy(asc(events.seq)).limit(FAN_OUT_BATCH).all();
        if (batch.length === 0) return 0;
        const hooks = tx.select({ id: webhooks.id, events: webhooks.events }).from(webhooks).where(eq(webhooks.active, true)).all().map((h) => ({ id: h.id, types: new Set(parseEvents(h.events)) }));
        const now = env.clock.now().toISOString();
        for (const ev of batch) {
          for (const h of hooks) {
            if (!h.types.has(ALL_EVENTS) && !h.types.has(ev.type)) continue;
            tx.insert(webhookDeliveries)
              .values({ id: newId(), webhookId: h.id, eventId: ev.id, eventType: ev.type, status: 'pending', attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now })
              .onConflictDoNothing()
              .run();
          }
        }
        tx.update(events).set({ dispatchedAt: now }).where(inArray(events.seq, batch.map((e) => e.seq))).run();
        return batch.length;
      });
    handled += n;
    if (n < FAN_OUT_BATCH) return handled;
  }
}

const DUE = ['pending', 'retrying'] as const;

/** Leases up to `limit` due deliveries. */
export async function claimDue(env: ServiceEnv, limit: number): Promise<Leased[]> {
  if (limit <= 0) return [];
  const probeNow = env.clock.now().toISOString();
  const anyDue =
    env.db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(and(inArray(webhookDeliveries.status, [...DUE]), lte(webhookDeliveries.nextAttemptAt, probeNow))).limit(1).get() ??
    env.db.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(and(eq(webhookDeliveries.status, 'delivering'), lt(webhookDeliveries.leaseUntil, probeNow))).limit(1).get();
  if (!anyDue) return [];
  return syncWrite(env, (tx) => {
      const nowMs = env.clock.now().getTime();
      const now = new Date(nowMs).toISOString();
      const due = tx
        .select({ id: webhookDeliveries.id, attempts: webhookDeliveries.attempts })
        .from(webhookDeliveries)
        .where(and(inArray(webhookDeliveries.status, [...DUE]), lte(webhookDeliveries.nextAttemptAt, now)))
        .orderBy(asc(webhookDeliveries.nextAttemptAt))
        .limit(limit)
        .all();
      const stale =
        due.length < limit
          ? tx
              .select({ id: webhookDeliveries.id, attempts: webhookDeliveries.attempts })
              .from(webhookDeliveries)
              .where(and(eq(webhookDeliveries.status, 'delivering'), lt(webhookDeliveries.leaseUntil, now)))
              .limit(limit - due.length)
              .all()
          : [];
      const leaseUntil = new Date(nowMs + env.config.webhooks.timeoutMs + LEASE_MARGIN_MS).toISOString();
      return [...due, ...stale].map((d) => {
        tx.update(webhookDeliveries)
          .set({ status: 'delivering', attempts: d.attempts + 1, leaseUntil, updatedAt: now })
          .where(eq(webhookDeliveries.id, d.id))
          .run();
        return { id: d.id, attempt: d.attempts + 1, leaseUntil };
      });
    });
}

/** Milliseconds until the earliest waiting delivery is due (undefined: none waiting). */
function nextDueInMs(env: ServiceEnv): number | undefined {
  const row = env.db
    .select({ at: min(webhookDeliveries.nextAttemptAt) })
    .from(webhookDeliveries)
    .where(inArray(webhookDeliveries.status, [...DUE]))
    .get();
  return row?.at ? Math.max(0, Date.parse(row.at) - env.clock.now().getTime()) : undefined;
}

export function startDispatcher(env: ServiceEnv): Dispatcher {
  const { concurrency } = env.config.webhooks;
  const inFlight = new Set<Promise<unknown>>();
  const abort = new AbortController();
  let stopped = false;
  let running = false;
  let again = false;
  let wakeTimer: NodeJS.Timeout | undefined;

  const schedule = () => {
    clearTimeout(wakeTimer);
    wakeTimer = undefined;
    const ms = nextDueInMs(env);
    if (ms !== undefined && ms < POLL_INTERVAL_MS) {
      wakeTimer = setTimeout(kick, ms + 5);
      wakeTimer.unref();
    }
  };

  const cycle = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        await fanOut(env);
        for (const lease of await claimDue(env, concurrency - inFlight.size)) {
          const p = attemptDelivery(env, lease, { retry: true, signal: abort.signal })
            .catch((err: unknown) => env.logger.error('webhook delivery crashed', { delivery: lease.id, err: err as Error }))
            .finally(() => {
              inFlight.delete(p);
              kick();
            });
          inFlight.add(p);
        }
      } while (again && !stopped);
      if (!stopped) schedule();
    } catch (err) {
      // SQLITE_BUSY from another process and the like: the next poll tries again.
      env.logger.warn('webhook dispatcher cycle failed', { err: err as Error });
    } finally {
      running = false;
    }
  };

  function kick(): void {
    if (!stopped) setImmediate(() => void cycle());
  }

  const unsubscribe = onEventsWritten(env.db, kick);
  const poll = setInterval(kick, POLL_INTERVAL_MS);
  poll.unref();
  kick();

  return {
    kick,
    async stop() {
      stopped = true;
      unsubscribe();
      clearInterval(poll);
      clearTimeout(wakeTimer);
      abort.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}
