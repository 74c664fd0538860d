// The webhook-retention job: finished deliveries (with their attempt logs) and dispatched outbox
// events are kept WEBHOOK_HISTORY_DAYS days, then deleted. An event stays while any delivery of it
// is still waiting or recent, so a retry or a redelivery always finds its payload.
import { sql } from 'drizzle-orm';
import type { ServiceEnv } from '../env.ts';
import { syncWrite } from '../../db/sync-write.ts';

export const WEBHOOK_RETENTION_JOB = 'webhook-retention';
export const WEBHOOK_HISTORY_DAYS = 30;

export function purgeWebhookHistory(env: ServiceEnv): Promise<{ deliveries: number; events: number }> {
  const cutoff = new Date(env.clock.now().getTime() - WEBHOOK_HISTORY_DAYS * 86_400_000).toISOString();
  return syncWrite(env, (tx) => {
      const deliveries = tx.run(sql`DELETE FROM webhook_deliveries WHERE completed_at IS NOT NULL AND completed_at < ${cutoff}`).changes;
      const events = tx.run(
        sql`DELETE FROM events WHERE dispatched_at IS NOT NULL AND dispatched_at < ${cutoff}
            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = events.id)`,
      ).changes;
      return { deliveries, events };
    });
}
