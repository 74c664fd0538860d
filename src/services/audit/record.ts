// Audit recording. A successful write records its entry inside the same transaction as the change
// (fail closed); a failed operation records a failure entry afterwards. Secrets never reach the log.
import type { CallerContext } from '../../auth/context.ts';
import { userIdOf, usernameOf } from '../../auth/context.ts';
import type { DbOrTx } from '../../db/client.ts';
import { auditLogs } from '../../db/schema/index.ts';
import { toAppError } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { withoutSecrets } from '../../platform/redact.ts';
import type { ServiceEnv } from '../env.ts';
import { eventSink, publishAuditedChange, type EventSink } from '../events/outbox.ts';
import { syncWrite } from '../../db/sync-write.ts';

export interface AuditMeta {
  /** `entity.verb`, e.g. `user.create`. */
  action: string;
  /** The entity type, e.g. `user`. */
  resource: string;
  resourceId?: string;
  /** Reads are recorded only when AUDIT_READS=true (and always when they fail). */
  read?: boolean;
}

export interface AuditChange {
  resourceId?: string;
  before?: unknown;
  after?: unknown;
  extra?: Record<string, unknown>;
}

function insertEntry(
  db: DbOrTx,
  env: ServiceEnv,
  ctx: CallerContext,
  meta: AuditMeta,
  status: 'success' | 'failure',
  change: AuditChange,
  error?: { code: string; message: string },
): void {
  const changes =
    change.before !== undefined || change.after !== undefined || change.extra !== undefined
      ? JSON.stringify(withoutSecrets({ before: change.before, after: change.after, ...change.extra }))
      : '';
  db.insert(auditLogs)
    .values({
      id: newId(),
      timestamp: env.clock.now().toISOString(),
      action: meta.action,
      resource: meta.resource,
      resourceId: change.resourceId ?? meta.resourceId ?? '',
      userId: userIdOf(ctx) ?? '',
      username: usernameOf(ctx),
      ipAddress: ctx.ip,
      source: ctx.source,
      status,
      error: error?.message ?? '',
      errorCode: error?.code ?? '',
      changes,
      requestId: ctx.requestId,
    })
    .run();
}

/**
 * What a verb's body gets: the audit entry of its change, and the event sink of its caller for
 * events its writes raise on other objects (pass it to helpers such as claimAddress).
 */
export interface AuditRecorder extends EventSink {
  /**
   * Records the successful change; call inside the write transaction. Besides the audit entry
   * (when AUDIT_ENABLED) it publishes the change's event into the outbox, whatever AUDIT_ENABLED
   * says (services/events/catalogue.ts; actions without an event type publish nothing).
   */
  record(tx: DbOrTx, change?: AuditChange): void;
}

/**
 * Runs a service operation with auditing: the body records its success inside its transaction
 * through `audit.record`; if the body throws, a failure entry is written and the error rethrown.
 * Reads that succeed are recorded when AUDIT_READS=true.
 */
export async function audited<T>(
  env: ServiceEnv,
  ctx: CallerContext,
  meta: AuditMeta,
  body: (audit: AuditRecorder) => Promise<T> | T,
): Promise<T> {
  const enabled = env.config.audit.enabled;
  let recorded = false;
  const sink = eventSink(env, ctx);
  const recorder: AuditRecorder = {
    ...sink,
    record(tx, change = {}) {
      recorded = true;
      if (enabled) insertEntry(tx, env, ctx, meta, 'success', change);
      publishAuditedChange(tx, sink, meta.action, change);
    },
  };
  try {
    const result = await body(recorder);
    if (enabled && !recorded && (!meta.read || env.config.audit.reads)) {
      await syncWrite(env, (tx) => insertEntry(tx, env, ctx, meta, 'success', {}));
    }
    return result;
  } catch (err) {
    if (enabled) {
      const app = toAppError(err);
      try {
        await syncWrite(env, (tx) => insertEntry(tx, env, ctx, meta, 'failure', {}, { code: app.code, message: app.message }));
      } catch (auditErr) {
        env.logger.error('could not record audit failure entry', { action: meta.action, err: auditErr });
      }
    }
    throw err;
  }
}

/** Records an event that is not a service verb (login, logout) in its own write; never throws. */
export async function recordEvent(
  env: ServiceEnv,
  ctx: CallerContext,
  meta: AuditMeta,
  status: 'success' | 'failure',
  change: AuditChange = {},
  error?: { code: string; message: string },
): Promise<void> {
  if (!env.config.audit.enabled) return;
  try {
    await syncWrite(env, (tx) => insertEntry(tx, env, ctx, meta, status, change, error));
  } catch (err) {
    env.logger.error('could not record audit entry', { action: meta.action, err });
  }
}
