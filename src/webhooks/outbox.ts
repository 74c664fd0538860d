// The outbox of the service layer (services/events/outbox.ts), as the webhook worker consumes it:
// one row in the `events` table per event, written inside the transaction of the change it
// describes, so a crash between the commit and the delivery loses nothing; the worker
// (dispatcher.ts) fans the rows out into deliveries later and is poked once the write returned.
import { sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { events } from '../db/schema/index.ts';
import type { Outbox } from '../services/events/outbox.ts';
import { notifyEventsWritten } from './notify.ts';

/**
 * Nothing subscribes while no webhook is active, so no row is written then: installations
 * without webhooks pay one tiny query per write. A webhook created later receives the events
 * written from then on, which is also what it would get if rows were kept.
 */
function anyActiveWebhook(tx: DbOrTx): boolean {
  return tx.get<{ n: number } | undefined>(sql`SELECT 1 AS n FROM webhooks WHERE active = 1 LIMIT 1`) !== undefined;
}

export function webhookOutbox(db: Db): Outbox {
  return {
    listening: anyActiveWebhook,
    write(tx, payload, opts = {}) {
      tx.insert(events).values({ id: payload.id, type: payload.type, occurredAt: payload.timestamp, payload: JSON.stringify(payload), dispatchedAt: opts.dispatchedAt ?? null }).run();
      if (opts.dispatchedAt === undefined) notifyEventsWritten(db);
    },
    wake: () => notifyEventsWritten(db),
  };
}
