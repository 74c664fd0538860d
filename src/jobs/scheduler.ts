// The in-process scheduler for periodic jobs (retention, cleanup). Each run is isolated: a failing
// job is logged and tried again at its next tick; jobs never overlap themselves. With leases (the
// server's, db/job-leases.ts) several processes on one database run each job once per interval
// between them: a tick runs the job only when it wins the job's lease.
import type { JobLeases } from '../db/job-leases.ts';
import type { Logger } from '../platform/logger.ts';

export interface Job {
  name: string;
  intervalMs: number;
  /** Run once shortly after start as well. */
  runAtStart?: boolean;
  run(): Promise<unknown> | unknown;
}

export interface Scheduler {
  /** Runs the job now, due or not (unless another process holds its lease); resolves when it ended. */
  runNow(name: string): Promise<void>;
  /** What a timer tick does: runs the job if it is due and this process wins its lease. True when it ran. */
  runDue(name: string): Promise<boolean>;
  stop(): void;
}

/** A claim outlives a run that overruns its interval, up to this. */
const MIN_LEASE_MS = 60_000;

export function startScheduler(jobs: Job[], logger: Logger, leases?: JobLeases): Scheduler {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<string>();
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const exec = async (job: Job, force: boolean): Promise<boolean> => {
    if (running.has(job.name)) return false;
    running.add(job.name);
    let claimed = false;
    let ran = false;
    try {
      if (leases) {
        claimed = await leases.claim(job.name, { intervalMs: job.intervalMs, leaseMs: Math.max(job.intervalMs, MIN_LEASE_MS), force });
        if (!claimed) return false;
      }
      ran = true;
      const result = await job.run();
      logger.debug('job finished', { job: job.name, result: result as never });
    } catch (err) {
      logger.error('job failed', { job: job.name, err: err as Error });
    } finally {
      running.delete(job.name);
      if (claimed) await leases!.release(job.name).catch((err: unknown) => logger.warn('could not release a job lease', { job: job.name, err: err as Error }));
    }
    return ran;
  };
  const byNameOrThrow = (name: string): Job => {
    const job = byName.get(name);
    if (!job) throw new Error(`unknown job ${name}`);
    return job;
  };
  for (const job of jobs) {
    const t = setInterval(() => void exec(job, false), job.intervalMs);
    t.unref();
    timers.push(t);
    if (job.runAtStart) {
      const s = setTimeout(() => void exec(job, false), 1000);
      s.unref();
      timers.push(s);
    }
  }
  return {
    async runNow(name) {
      await exec(byNameOrThrow(name), true);
    },
    runDue: (name) => exec(byNameOrThrow(name), false),
    stop() {
      for (const t of timers) clearTimeout(t);
    },
  };
}
