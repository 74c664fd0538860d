// Publishing events: one row in the `events` outbox, written inside the transaction of the change
// it describes, so an event exists exactly when its change committed and a crash between the
// commit and the delivery loses nothing. The worker (dispatcher.ts) fans the outbox out later.
// Writes reach this from `audit.record` (every service verb), from the few writes that are not
// verbs (OAuth registration and consent), from claimAddress for pool.utilization_high, and from
// network saves for the devices whose addresses they take in (emitSideEffect).
import { AsyncLocalStorage } from 'node:async_hooks';
import { eq, sql } from 'drizzle-orm';
import type { CallerContext } from '../auth/context.ts';
import { userIdOf, usernameOf } from '../auth/context.ts';
import type { DbOrTx } from '../db/client.ts';
import { events, networkPools, poolFreeRanges } from '../db/schema/index.ts';
import { newId } from '../platform/ids.ts';
import { redactSecrets, type AuditChange } from '../services/audit/record.ts';
import type { ServiceEnv } from '../services/env.ts';
import { eventForAction, POOL_UTILIZATION_THRESHOLD } from './event-types.ts';
import { notifyEventsWritten } from './notify.ts';

export interface EventActor {
  user_id: string | null;
  username: string;
  client_id?: string;
  source: string;
}

export interface EventData {
  resource_id?: string;
  before?: unknown;
  after?: unknown;
  /** Extra facts of the change (e.g. the role granted), secrets removed. */
  details?: unknown;
}

export interface EventPayload {
  id: string;
  type: string;
  timestamp: string;
  actor: EventActor;
  data: EventData;
}

export function actorOf(ctx: CallerContext): EventActor {
  const a = ctx.actor;
  return { user_id: userIdOf(ctx) ?? null, username: usernameOf(ctx), ...(a.kind === 'oauth' && { client_id: a.clientId }), source: ctx.source };
}

// The caller of the running service verb, for events raised deep inside a transaction by code
// that is not handed the context (claimAddress). Set by `audited` around the verb's body.
const scope = new AsyncLocalStorage<{ env: ServiceEnv; ctx: CallerContext }>();

export const withEventScope = <T>(env: ServiceEnv, ctx: CallerContext, fn: () => T): T => scope.run({ env, ctx }, fn);

/**
 * Nothing subscribes while no webhook is active, so no row is written then: installations
 * without webhooks pay one tiny query per write. A webhook created later receives the events
 * written from then on, which is also what it would get if rows were kept.
 */
function anyActiveWebhook(tx: DbOrTx): boolean {
  return tx.get<{ n: number } | undefined>(sql`SELECT 1 AS n FROM webhooks WHERE active = 1 LIMIT 1`) !== undefined;
}

/** Inserts an already built payload; `dispatchedAt` set keeps it out of the fan-out (pings). */
export function insertEventRow(tx: DbOrTx, payload: EventPayload, dispatchedAt: string | null = null): void {
  tx.insert(events).values({ id: payload.id, type: payload.type, occurredAt: payload.timestamp, payload: JSON.stringify(payload), dispatchedAt }).run();
}

export function buildPayload(env: ServiceEnv, ctx: CallerContext, type: string, data: EventData): EventPayload {
  const clean: EventData = {};
  if (data.resource_id !== undefined) clean.resource_id = data.resource_id;
  clean.before = data.before === undefined ? null : redactSecrets(data.before);
  clean.after = data.after === undefined ? null : redactSecrets(data.after);
  if (data.details !== undefined) clean.details = redactSecrets(data.details);
  return { id: newId(), type, timestamp: env.clock.now().toISOString(), actor: actorOf(ctx), data: clean };
}

function write(tx: DbOrTx, env: ServiceEnv, ctx: CallerContext, type: string, data: EventData): string {
  const payload = buildPayload(env, ctx, type, data);
  insertEventRow(tx, payload);
  notifyEventsWritten(env.db);
  return payload.id;
}

/** Writes one event into the outbox in the caller's transaction. Returns its id (undefined: nobody listens). */
export function emitEvent(tx: DbOrTx, env: ServiceEnv, ctx: CallerContext, type: string, data: EventData): string | undefined {
  return anyActiveWebhook(tx) ? write(tx, env, ctx, type, data) : undefined;
}

const idOf = (v: unknown): string | undefined => {
  const id = (v as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
};

const same = (a: unknown, b: unknown): boolean => a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** Called by `audit.record`: publishes the event(s) of an audited write, if its action has one. */
export function emitAuditedChange(tx: DbOrTx, env: ServiceEnv, ctx: CallerContext, action: string, change: AuditChange): void {
  const mapping = eventForAction(action);
  if (!mapping || mapping.skip?.(change)) return;
  if (!anyActiveWebhook(tx)) return;
  const details = change.extra;
  if (mapping.each && (Array.isArray(change.before) || Array.isArray(change.after))) {
    const before = Array.isArray(change.before) ? change.before : [];
    const after = Array.isArray(change.after) ? change.after : [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const b = before[i];
      const a = after[i];
      if (same(b, a)) continue;
      write(tx, env, ctx, mapping.type, { resource_id: idOf(a) ?? idOf(b), before: b, after: a });
    }
    return;
  }
  // A call that changed nothing (a role already held, a save of identical values) is no event.
  if (same(change.before, change.after)) return;
  write(tx, env, ctx, mapping.type, { resource_id: change.resourceId, before: change.before, after: change.after, details });
}

/** True while a service verb runs and some webhook is active: side-effect events are worth building. */
export const webhooksListening = (tx: DbOrTx): boolean => scope.getStore() !== undefined && anyActiveWebhook(tx);

/**
 * Publishes an event on behalf of the running service verb's caller, for what a write does to
 * other objects than its own (a new network taking in device addresses). No-op outside a verb.
 */
export function emitSideEffect(tx: DbOrTx, type: string, data: EventData): void {
  const s = scope.getStore();
  if (s && anyActiveWebhook(tx)) write(tx, s.env, s.ctx, type, data);
}

/**
 * pool.utilization_high: called by claimAddress after every new claim. Fires when this claim took
 * the pool from below POOL_UTILIZATION_THRESHOLD percent to at or above it, so once per crossing.
 * Counting the free ranges (few, however many addresses are used) is cheaper than the claims.
 */
export function afterPoolClaim(tx: DbOrTx, poolId: string): void {
  const s = scope.getStore();
  if (!s || !anyActiveWebhook(tx)) return;
  const pool = tx.select().from(networkPools).where(eq(networkPools.id, poolId)).get();
  if (!pool) return;
  const size = BigInt(`0x${pool.endHex}`) - BigInt(`0x${pool.startHex}`) + 1n;
  let free = 0n;
  for (const r of tx.select({ s: poolFreeRanges.startHex, e: poolFreeRanges.endHex }).from(poolFreeRanges).where(eq(poolFreeRanges.poolId, poolId)).all()) {
    free += BigInt(`0x${r.e}`) - BigInt(`0x${r.s}`) + 1n;
  }
  const used = size - free;
  const t = BigInt(POOL_UTILIZATION_THRESHOLD);
  if (!((used - 1n) * 100n < t * size && used * 100n >= t * size)) return;
  const utilization = Number((used * 10_000n) / size) / 100;
  write(tx, s.env, s.ctx, 'pool.utilization_high', {
    resource_id: pool.id,
    after: { pool_id: pool.id, pool_name: pool.name, network_id: pool.networkId, used: Number(used), size: Number(size), utilization, threshold: POOL_UTILIZATION_THRESHOLD },
  });
}
