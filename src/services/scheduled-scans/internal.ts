// Shared by the scheduled-scan verbs and the schedule runner: row mapping and the next run.
import { eq } from 'drizzle-orm';
import type { ScheduledScan } from '../../../schemas/schedules.ts';
import type { DbOrTx } from '../../db/client.ts';
import { networks, scheduledScans } from '../../db/schema/index.ts';
import { nextRun, parseCron } from '../../discovery/cron.ts';
import { AppError, notFound } from '../../platform/errors.ts';

export type ScheduledScanRow = typeof scheduledScans.$inferSelect;

export const toScheduledScan = (r: ScheduledScanRow): ScheduledScan => ({
  id: r.id,
  name: r.name,
  network_id: r.networkId,
  profile_id: r.profileId,
  cron_expression: r.cronExpression,
  enabled: r.enabled,
  description: r.description,
  last_run_at: r.lastRunAt ?? null,
  last_scan_id: r.lastScanId ?? null,
  next_run_at: r.nextRunAt ?? null,
  created_at: r.createdAt,
  updated_at: r.updatedAt,
});

export function getScheduledScanOrThrow(db: DbOrTx, id: string): ScheduledScanRow {
  const row = db.select().from(scheduledScans).where(eq(scheduledScans.id, id)).get();
  if (!row) throw notFound('Scheduled scan', id);
  return row;
}

/** The next fire time after `after` as an ISO string; null when the expression no longer fires. */
export function nextRunIso(cronExpression: string, after: Date): string | null {
  try {
    return nextRun(parseCron(cronExpression), after)?.toISOString() ?? null;
  } catch {
    return null; // saved rows were validated; a row written otherwise just stops running
  }
}

export function assertNetworkExists(db: DbOrTx, id: string): void {
  if (!db.select({ id: networks.id }).from(networks).where(eq(networks.id, id)).get()) {
    throw new AppError('NOT_FOUND', `Network not found: ${id}`, { details: [{ field: 'network_id', message: 'no such network' }] });
  }
}
