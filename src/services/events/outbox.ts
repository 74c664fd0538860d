// How services publish events: a write builds the event and hands it to the outbox on ServiceEnv
// in its own transaction, so an event exists exactly when its change committed. The outbox is an
// interface: webhooks/outbox.ts implements it (a row in the `events` table, fanned out later by
// the delivery worker) and runtime.ts wires it; services never import webhooks/. A verb publishes
// through the EventSink bound to its caller (the audit recorder is one), never through ambient
// state, so whoever raises an event deep inside a transaction was handed the sink explicitly.
import type { CallerContext } from '../../auth/context.ts';
import { userIdOf, usernameOf } from '../../auth/context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { newId } from '../../platform/ids.ts';
import { withoutSecrets } from '../../platform/redact.ts';
import type { AuditChange } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { eventForAction } from './catalogue.ts';

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

/** Where events go. Implemented outside the service layer (webhooks/outbox.ts). */
export interface Outbox {
  /** Whether an event written now reaches any consumer; when none listens, writes skip building events. */
  listening(tx: DbOrTx): boolean;
  /** Stores one event in the caller's transaction. `dispatchedAt` keeps it out of the fan-out (a ping sent directly). */
  write(tx: DbOrTx, event: EventPayload, opts?: { dispatchedAt?: string }): void;
  /** Tells the consumers that work is due (a redelivery queued), once the current transaction has returned. */
  wake(): void;
}

/** An outbox nobody consumes (tools and tests that open a database without the webhook worker). */
export const discardingOutbox: Outbox = { listening: () => false, write: () => undefined, wake: () => undefined };

export function actorOf(ctx: CallerContext): EventActor {
  const a = ctx.actor;
  return { user_id: userIdOf(ctx) ?? null, username: usernameOf(ctx), ...(a.kind === 'oauth' && { client_id: a.clientId }), source: ctx.source };
}

export function buildEvent(env: ServiceEnv, ctx: CallerContext, type: string, data: EventData): EventPayload {
  const clean: EventData = {};
  if (data.resource_id !== undefined) clean.resource_id = data.resource_id;
  clean.before = data.before === undefined ? null : withoutSecrets(data.before);
  clean.after = data.after === undefined ? null : withoutSecrets(data.after);
  if (data.details !== undefined) clean.details = withoutSecrets(data.details);
  return { id: newId(), type, timestamp: env.clock.now().toISOString(), actor: actorOf(ctx), data: clean };
}

/** Publishing for one caller: what a verb hands to the helpers whose writes raise events. */
export interface EventSink {
  /** True when an event would reach a consumer: build costly payloads only then. */
  listening(tx: DbOrTx): boolean;
  /** Publishes `type` in the caller's transaction (nothing when nobody listens). */
  publish(tx: DbOrTx, type: string, data: EventData): void;
}

export function eventSink(env: ServiceEnv, ctx: CallerContext): EventSink {
  return {
    listening: (tx) => env.outbox.listening(tx),
    publish(tx, type, data) {
      if (env.outbox.listening(tx)) env.outbox.write(tx, buildEvent(env, ctx, type, data));
    },
  };
}

const idOf = (v: unknown): string | undefined => {
  const id = (v as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
};

const same = (a: unknown, b: unknown): boolean => a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);

/** Called by `audit.record`: publishes the event(s) of an audited write, if its action has one. */
export function publishAuditedChange(tx: DbOrTx, sink: EventSink, action: string, change: AuditChange): void {
  const mapping = eventForAction(action);
  if (!mapping || mapping.skip?.(change)) return;
  if (!sink.listening(tx)) return;
  if (mapping.each && (Array.isArray(change.before) || Array.isArray(change.after))) {
    const before = Array.isArray(change.before) ? change.before : [];
    const after = Array.isArray(change.after) ? change.after : [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      const b = before[i];
      const a = after[i];
      if (same(b, a)) continue;
      sink.publish(tx, mapping.type, { resource_id: idOf(a) ?? idOf(b), before: b, after: a });
    }
    return;
  }
  // A call that changed nothing (a role already held, a save of identical values) is no event.
  if (same(change.before, change.after)) return;
  sink.publish(tx, mapping.type, { resource_id: change.resourceId, before: change.before, after: change.after, details: change.extra });
}

/** A sink that publishes nothing (unit tests of storage helpers). */
export const noEvents: EventSink = { listening: () => false, publish: () => undefined };
