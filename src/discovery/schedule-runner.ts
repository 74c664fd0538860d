// The in-process scheduler of discovery: every 30 s it starts a scan for each enabled scheduled
// scan and discovery rule whose next_run_at has passed, as the system caller (audit source
// `system`). A due row is claimed first by moving its next_run_at with a conditional UPDATE, so
// two rackd processes on one database never start the same run twice, and a run whose scan
// cannot start (network busy, profile gone) is not retried in a loop: it waits for its next time.
import { and, eq, isNotNull, lte } from 'drizzle-orm';
import { systemContext } from '../auth/context.ts';
import { discoveryRules, scheduledScans } from '../db/schema/index.ts';
import { toAppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { nextRuleRun, parseExcludes } from '../services/discovery-rules/internal.ts';
import type { ServiceEnv } from '../services/env.ts';
import { nextRunIso } from '../services/scheduled-scans/internal.ts';

export const SCHEDULE_TICK_MS = 30_000;
export const SCHEDULER_JOB = 'scheduler';

export interface TickResult {
  /** Scans started, with where they came from. */
  started: { source: 'scheduled_scan' | 'discovery_rule'; id: string; scanId: string }[];
  /** Due runs whose scan could not start (logged; they wait for their next time). */
  failed: { source: 'scheduled_scan' | 'discovery_rule'; id: string; error: string }[];
}

interface ScanRequest {
  network_id: string;
  profile_id?: string;
  scan_type?: string;
  exclude?: string[];
}

async function startScanFor(env: ServiceEnv, requestId: string, req: ScanRequest): Promise<string> {
  // Imported when first needed: the scan service pulls in the whole scanner.
  const { startScan } = await import('../services/discovery/start-scan.ts');
  const scan = (await startScan(env, systemContext(SCHEDULER_JOB, requestId), req)) as { id: string };
  return scan.id;
}

/** One pass: starts every due run. Exposed for tests and for `runNow`. */
export async function runDueSchedules(env: ServiceEnv, now: Date = env.clock.now()): Promise<TickResult> {
  const result: TickResult = { started: [], failed: [] };
  const nowIso = now.toISOString();

  const dueSchedules = env.db
    .select()
    .from(scheduledScans)
    .where(and(eq(scheduledScans.enabled, true), isNotNull(scheduledScans.nextRunAt), lte(scheduledScans.nextRunAt, nowIso)))
    .all();
  for (const s of dueSchedules) {
    const claimed = env.db
      .update(scheduledScans)
      .set({ nextRunAt: nextRunIso(s.cronExpression, now), lastRunAt: nowIso, updatedAt: nowIso })
      .where(and(eq(scheduledScans.id, s.id), eq(scheduledScans.nextRunAt, s.nextRunAt!)))
      .run();
    if (claimed.changes === 0) continue; // another process took it
    const requestId = newId();
    try {
      const scanId = await startScanFor(env, requestId, { network_id: s.networkId, profile_id: s.profileId });
      env.db.update(scheduledScans).set({ lastScanId: scanId }).where(eq(scheduledScans.id, s.id)).run();
      result.started.push({ source: 'scheduled_scan', id: s.id, scanId });
    } catch (err) {
      const e = toAppError(err);
      env.logger.warn('scheduled scan did not start', { scheduled_scan_id: s.id, code: e.code, err: e.message, request_id: requestId });
      result.failed.push({ source: 'scheduled_scan', id: s.id, error: e.message });
    }
  }

  const dueRules = env.db
    .select()
    .from(discoveryRules)
    .where(and(eq(discoveryRules.enabled, true), isNotNull(discoveryRules.nextRunAt), lte(discoveryRules.nextRunAt, nowIso)))
    .all();
  for (const r of dueRules) {
    const claimed = env.db
      .update(discoveryRules)
      .set({ nextRunAt: nextRuleRun(now, r.intervalHours), lastRunAt: nowIso, updatedAt: nowIso })
      .where(and(eq(discoveryRules.id, r.id), eq(discoveryRules.nextRunAt, r.nextRunAt!)))
      .run();
    if (claimed.changes === 0) continue;
    const requestId = newId();
    const excludes = parseExcludes(r.excludeIps);
    try {
      const scanId = await startScanFor(env, requestId, {
        network_id: r.networkId,
        ...(r.profileId ? { profile_id: r.profileId } : { scan_type: r.scanType }),
        ...(excludes.length > 0 && { exclude: excludes }),
      });
      result.started.push({ source: 'discovery_rule', id: r.id, scanId });
    } catch (err) {
      const e = toAppError(err);
      env.logger.warn('discovery rule scan did not start', { discovery_rule_id: r.id, code: e.code, err: e.message, request_id: requestId });
      result.failed.push({ source: 'discovery_rule', id: r.id, error: e.message });
    }
  }
  return result;
}

export interface ScheduleRunner {
  /** Runs one pass now (waits for a pass already in progress instead of overlapping it). */
  tick(): Promise<TickResult | undefined>;
  /** Stops the timer and waits for a pass in progress, so the database can be closed after it. */
  stop(): Promise<void>;
}

export function startScheduleRunner(env: ServiceEnv, intervalMs = SCHEDULE_TICK_MS): ScheduleRunner {
  let running: Promise<TickResult | undefined> | undefined;
  let stopped = false;
  const tick = (): Promise<TickResult | undefined> => {
    if (stopped) return Promise.resolve(undefined);
    running ??= runDueSchedules(env)
      .catch((err: unknown) => {
        env.logger.error('schedule runner pass failed', { err: err as Error });
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
