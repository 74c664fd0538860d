// Leases for periodic jobs (issue 13: job leadership), so that several rackd processes on one
// database run each job once per interval between them. Written once, on the engine contract both
// dialects share (db/engine.ts): a claim is one conditional UPDATE … RETURNING inside a write, which
// SQLite serialises on its one writer and PostgreSQL serialises on the row's lock, so two processes
// never both win the same run.
import { and, eq, lte, or } from 'drizzle-orm';
import { newId } from '../platform/ids.ts';
import type { Engine } from './engine.ts';

export interface ClaimOptions {
  /** The job's interval: a run is due once this much time has passed since the last one anywhere. */
  intervalMs: number;
  /** How long the claim holds if its holder never releases it (it died). */
  leaseMs: number;
  /** Run now even when not due (an explicit `runNow`); a lease another process holds still wins. */
  force?: boolean;
}

export interface JobLeases {
  /** This process's id in the table. */
  readonly owner: string;
  /** True when this process may run `name` now; the lease is then held until `release` or its end. */
  claim(name: string, opts: ClaimOptions): Promise<boolean>;
  /** Gives the lease up (the next run still waits for the interval). */
  release(name: string): Promise<void>;
}

/**
 * Runs whose timers fire a little early in one process and a little late in another still count as
 * one per interval: a run is due once 90% of the interval has passed since the last start.
 */
const DUE_FRACTION = 0.9;

export function jobLeases(engine: Engine, opts: { owner?: string; now?: () => number } = {}): JobLeases {
  const owner = opts.owner ?? newId();
  const now = opts.now ?? Date.now;
  const t = engine.tables.jobLeases;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    owner,
    claim: (name, { intervalMs, leaseMs, force = false }) => {
      const at = now();
      return engine.write(async (tx) => {
        await tx.insert(t).values({ name, owner: '', leaseUntil: iso(0), lastStartedAt: iso(0) }).onConflictDoNothing();
        const free = or(lte(t.leaseUntil, iso(at)), eq(t.owner, owner));
        const due = force ? undefined : lte(t.lastStartedAt, iso(at - intervalMs * DUE_FRACTION));
        const won = await tx
          .update(t)
          .set({ owner, leaseUntil: iso(at + leaseMs), lastStartedAt: iso(at) })
          .where(and(eq(t.name, name), free, due))
          .returning({ name: t.name });
        return won.length > 0;
      });
    },
    release: async (name) => {
      const at = now();
      await engine.write(async (tx) => {
        await tx
          .update(t)
          .set({ owner: '', leaseUntil: iso(at) })
          .where(and(eq(t.name, name), eq(t.owner, owner)));
      });
    },
  };
}
