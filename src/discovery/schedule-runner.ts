// The in-process scheduler of discovery: every 30 s it starts a scan for each enabled scheduled
// scan and discovery rule whose next_run_at has passed, as the system caller (audit source
// `system`). Claiming the due rows (services/discovery/due-runs.ts) moves their next_run_at
// first, so two rackd processes never start the same run twice, and a run whose scan cannot
// start (network busy, profile gone) is not retried in a loop: it waits for its next time.
import { systemContext } from '../auth/context.ts';
import { toAppError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { claimDueRuns, recordScheduledScan, type ScanRequest } from '../services/discovery/due-runs.ts';
import type { ServiceEnv } from '../services/env.ts';

export const SCHEDULE_TICK_MS = 30_000;
export const SCHEDULER_JOB = 'scheduler';

export interface TickResult {
  /** Scans started, with where they came from. */
  started: { source: 'scheduled_scan' | 'discovery_rule'; id: string; scanId: string }[];
  /** Due runs whose scan could not start (logged; they wait for their next time). */
  failed: { source: 'scheduled_scan' | 'discovery_rule'; id: string; error: string }[];
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
  for (const run of await claimDueRuns(env, now)) {
    const requestId = newId();
    try {
      const scanId = await startScanFor(env, requestId, run.request);
      if (run.source === 'scheduled_scan') await recordScheduledScan(env, run.id, scanId);
      result.started.push({ source: run.source, id: run.id, scanId });
    } catch (err) {
      const e = toAppError(err);
      const what = run.source === 'scheduled_scan' ? 'scheduled scan' : 'discovery rule';
      env.logger.warn(`${what} did not start`, { [`${run.source}_id`]: run.id, code: e.code, err: e.message, request_id: requestId });
      result.failed.push({ source: run.source, id: run.id, error: e.message });
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
