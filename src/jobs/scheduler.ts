// The in-process scheduler for periodic jobs (retention, cleanup). Each run is isolated: a failing
// job is logged and tried again at its next tick; jobs never overlap themselves.
import type { Logger } from '../platform/logger.ts';

export interface Job {
  name: string;
  intervalMs: number;
  /** Run once shortly after start as well. */
  runAtStart?: boolean;
  run(): Promise<unknown> | unknown;
}

export interface Scheduler {
  runNow(name: string): Promise<void>;
  stop(): void;
}

export function startScheduler(jobs: Job[], logger: Logger): Scheduler {
  const timers: NodeJS.Timeout[] = [];
  const running = new Set<string>();
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const exec = async (job: Job): Promise<void> => {
    if (running.has(job.name)) return;
    running.add(job.name);
    try {
      const result = await job.run();
      logger.debug('job finished', { job: job.name, result: result as never });
    } catch (err) {
      logger.error('job failed', { job: job.name, err: err as Error });
    } finally {
      running.delete(job.name);
    }
  };
  for (const job of jobs) {
    const t = setInterval(() => void exec(job), job.intervalMs);
    t.unref();
    timers.push(t);
    if (job.runAtStart) {
      const s = setTimeout(() => void exec(job), 1000);
      s.unref();
      timers.push(s);
    }
  }
  return {
    async runNow(name) {
      const job = byName.get(name);
      if (!job) throw new Error(`unknown job ${name}`);
      await exec(job);
    },
    stop() {
      for (const t of timers) clearTimeout(t);
    },
  };
}
