// The storage side of the discovery scheduler (discovery/schedule-runner.ts): claiming the
// scheduled scans and discovery rules that are due. A due row is claimed by moving its
// next_run_at with a conditional UPDATE, so two rackd processes on one database never start the
// same run twice, and a run whose scan cannot start waits for its next time instead of looping.
import { and, eq, isNotNull, lte } from 'drizzle-orm';
import { discoveryRules, scheduledScans } from '../../db/schema/index.ts';
import { nextRuleRun, parseExcludes } from '../discovery-rules/internal.ts';
import type { ServiceEnv } from '../env.ts';
import { nextRunIso } from '../scheduled-scans/internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

export interface ScanRequest {
  network_id: string;
  profile_id?: string;
  scan_type?: string;
  exclude?: string[];
}

export interface DueRun {
  source: 'scheduled_scan' | 'discovery_rule';
  id: string;
  request: ScanRequest;
}

/** Claims every due scheduled scan, then every due rule; rows another process claimed first are left out. */
export function claimDueRuns(env: ServiceEnv, now: Date): Promise<DueRun[]> {
  const nowIso = now.toISOString();
  return syncWrite(env, (tx) => {
  const out: DueRun[] = [];
  const schedules = tx
    .select()
    .from(scheduledScans)
    .where(and(eq(scheduledScans.enabled, true), isNotNull(scheduledScans.nextRunAt), lte(scheduledScans.nextRunAt, nowIso)))
    .all();
  for (const s of schedules) {
    const claimed = tx
      .update(scheduledScans)
      .set({ nextRunAt: nextRunIso(s.cronExpression, now), lastRunAt: nowIso, updatedAt: nowIso })
      .where(and(eq(scheduledScans.id, s.id), eq(scheduledScans.nextRunAt, s.nextRunAt!)))
      .run();
    if (claimed.changes > 0) out.push({ source: 'scheduled_scan', id: s.id, request: { network_id: s.networkId, profile_id: s.profileId } });
  }
  const rules = tx
    .select()
    .from(discoveryRules)
    .where(and(eq(discoveryRules.enabled, true), isNotNull(discoveryRules.nextRunAt), lte(discoveryRules.nextRunAt, nowIso)))
    .all();
  for (const r of rules) {
    const claimed = tx
      .update(discoveryRules)
      .set({ nextRunAt: nextRuleRun(now, r.intervalHours), lastRunAt: nowIso, updatedAt: nowIso })
      .where(and(eq(discoveryRules.id, r.id), eq(discoveryRules.nextRunAt, r.nextRunAt!)))
      .run();
    if (claimed.changes === 0) continue;
    const excludes = parseExcludes(r.excludeIps);
    out.push({
      source: 'discovery_rule',
      id: r.id,
      request: { network_id: r.networkId, ...(r.profileId ? { profile_id: r.profileId } : { scan_type: r.scanType }), ...(excludes.length > 0 && { exclude: excludes }) },
    });
  }
  return out;
  });
}

/** Remembers the scan a scheduled scan started last. */
export async function recordScheduledScan(env: ServiceEnv, scheduledScanId: string, scanId: string): Promise<void> {
  await syncWrite(env, (tx) => tx.update(scheduledScans).set({ lastScanId: scanId }).where(eq(scheduledScans.id, scheduledScanId)).run());
}
