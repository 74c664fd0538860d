// The background scan manager: one per database (process). It owns the host prober (the probe
// worker threads, whose socket budget every scan shares: DISCOVERY_MAX_CONCURRENT, capped below the
// process's descriptor limit), the scans now running with their AbortControllers, and waiters (MCP
// `wait`, cancel). Its scans carry its instance id (owner_id) and a lease it renews every quarter
// of DISCOVERY_SCAN_LEASE, so other rackd processes on the database leave them alone (interrupted.ts)
// and a scan another process cancelled or deleted stops here at the next heartbeat. For each host the probes found up it runs the lookups (DNS, SNMP, SSH; bounded)
// and writes the reports: progress and hosts are flushed at most every FLUSH_MS (or FLUSH_HOSTS
// hosts), so a /16 costs a few hundred small transactions, not 65,534.
import { readFileSync } from 'node:fs';
import type { CallerContext } from '../auth/context.ts';
import type { Logger } from '../platform/logger.ts';
import type { ServiceEnv } from '../services/env.ts';
import { newId } from '../platform/ids.ts';
import { finishScan, flushFound, markRunning, renewLease, ScanGoneError, type Counts } from '../services/discovery/persist.ts';
import { ArpCache } from './arp.ts';
import { describeHost, lookupPool, needsLookups, type CredentialedProbes, type HostReport } from './enrich.ts';
import { Ipv6Neighbours } from './ndp.ts';
import { workerProber, type HostProber } from './probe-client.ts';
import { createReverseResolver } from './rdns.ts';
import type { ProbeOptions, TargetSpec } from './scanner.ts';

const FLUSH_MS = 250;
const FLUSH_HOSTS = 1000;
/** Descriptors kept free for the HTTP server, the database and everything else. */
const FD_RESERVE = 256;

export interface ScanJob {
  scanId: string;
  networkId: string;
  /** Who started it: completion and found hosts are audited in their name. */
  ctx: CallerContext;
  spec: TargetSpec;
  /** Addresses to probe (the subnet's hosts minus exclusions). */
  total: number;
  probe: ProbeOptions;
  credentialed?: CredentialedProbes;
  reverseDns: boolean;
}

export type ProgressListener = (c: Counts) => void;

interface Active {
  controller: AbortController;
  done: Promise<void>;
  counts: Counts;
  listeners: Set<ProgressListener>;
  /** gone: the scan ended elsewhere (another process cancelled or deleted it); nothing more is written. */
  stopReason?: 'cancel' | 'shutdown' | 'gone';
}

/** The soft RLIMIT_NOFILE of this process, from /proc (undefined where unknown). */
function openFileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export function effectiveConcurrency(configured: number, logger?: Logger): number {
  const limit = openFileLimit();
  if (limit === undefined || configured + FD_RESERVE <= limit) return configured;
  const capped = Math.max(16, limit - FD_RESERVE);
  logger?.warn('DISCOVERY_MAX_CONCURRENT exceeds the open-file limit; using less', { configured, used: capped, nofile: limit });
  return capped;
}

export class ScanManager {
  /** Sockets all scans share (DISCOVERY_MAX_CONCURRENT, within the descriptor limit). */
  readonly budget: number;
  /** This process's id as the owner of the scans it runs (discovery_scans.owner_id). */
  readonly instanceId = newId();
  private readonly prober: HostProber;
  private readonly active = new Map<string, Active>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly env: ServiceEnv) {
    this.budget = effectiveConcurrency(env.config.discovery.maxConcurrent, env.logger);
    this.prober = workerProber(this.budget, env.logger, env.config.discovery.probeWorkers || undefined);
  }

  /** Renews the lease of every scan running here; one that ended elsewhere is stopped. */
  private beat(): void {
    for (const [scanId, a] of this.active) {
      renewLease(this.env, scanId).then(
        (renewed) => {
          if (renewed) return;
          a.stopReason ??= 'gone';
          a.controller.abort();
        },
        // A busy database: the next beat tries again, well within the lease.
        (err: unknown) => this.env.logger.warn('discovery: could not renew a scan lease', { scan: scanId, err: err as Error }),
      );
    }
  }

  /** Where probes run: the worker thread, or in-process when it could not start. */
  get proberMode(): 'worker' | 'in-process' {
    return this.prober.mode;
  }

  isActive(scanId: string): boolean {
    return this.active.has(scanId);
  }

  get running(): number {
    return this.active.size;
  }

  /** Starts a pending scan in the background. */
  launch(job: ScanJob): void {
    const controller = new AbortController();
    const a: Active = { controller, counts: { scanned: 0, found: 0, total: job.total }, listeners: new Set(), done: Promise.resolve() };
    this.active.set(job.scanId, a);
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => this.beat(), Math.max(250, Math.floor(this.env.config.discovery.scanLeaseMs / 4)));
      this.heartbeat.unref();
    }
    a.done = this.run(job, a).finally(() => {
      this.active.delete(job.scanId);
      if (this.active.size === 0) {
        clearInterval(this.heartbeat);
        this.heartbeat = undefined;
      }
      for (const l of a.listeners) l({ ...a.counts });
    });
  }

  /** Stops a running scan (status cancelled) and waits until it has written its last counts. */
  async cancel(scanId: string): Promise<boolean> {
    const a = this.active.get(scanId);
    if (!a) return false;
    a.stopReason ??= 'cancel';
    a.controller.abort();
    await a.done;
    return true;
  }

  /** Resolves when the scan ends, maxMs passes or the signal aborts; onProgress sees each flush. */
  wait(scanId: string, opts: { maxMs: number; signal?: AbortSignal; onProgress?: ProgressListener }): Promise<void> {
    const a = this.active.get(scanId);
    if (!a) return Promise.resolve();
    return new Promise((resolve) => {
      const listener: ProgressListener = (c) => opts.onProgress?.(c);
      const finish = () => {
        clearTimeout(timer);
        a.listeners.delete(listener);
        opts.signal?.removeEventListener('abort', finish);
        resolve();
      };
      const timer = setTimeout(finish, opts.maxMs);
      a.listeners.add(listener);
      opts.signal?.addEventListener('abort', finish, { once: true });
      void a.done.then(finish);
    });
  }

  /** Server shutdown: every running scan ends as failed ("interrupted by shutdown"). */
  async stopAll(): Promise<void> {
    const all = [...this.active.values()];
    for (const a of all) {
      a.stopReason ??= 'shutdown';
      a.controller.abort();
    }
    await Promise.all(all.map((a) => a.done));
    await this.prober.close();
  }

  private async run(job: ScanJob, a: Active): Promise<void> {
    const { env } = this;
    const { counts } = a;
    const target = { scanId: job.scanId, networkId: job.networkId };
    let buffer: HostReport[] = [];
    let persisted = -1;
    // gone: the scan row vanished or stopped running elsewhere (nothing more to write);
    // broken: a write failed (the scan ends failed with that reason).
    let gone = false;
    let broken: Error | undefined;
    const flush = (): void => {
      if (gone || broken || (buffer.length === 0 && counts.scanned === persisted)) return;
      const batch = buffer;
      buffer = [];
      try {
        // flushFound queues its write on the engine's writer: flushes commit in the order they were
        // made and before the scan's finish, which is queued after them; nothing to await here.
        void flushFound(env, job.ctx, target, batch, { ...counts }).catch((err: unknown) => onFlushError(err));
        persisted = counts.scanned;
        for (const l of a.listeners) l({ ...counts });
      } catch (err) {
        onFlushError(err);
      }
    };
    const onFlushError = (err: unknown) => {
      if (gone || broken) return;
      if (err instanceof ScanGoneError) gone = true;
      else {
        broken = err as Error;
        env.logger.error('discovery: could not save scan results', { scan: job.scanId, err: broken });
      }
      a.controller.abort();
    };
    const timer = setInterval(flush, FLUSH_MS);
    timer.unref();
    try {
      await markRunning(env, job.scanId);
      for (const l of a.listeners) l({ ...counts });
      const rdns = job.reverseDns
        ? createReverseResolver({
            timeoutMs: env.config.discovery.timeoutMs,
            onGiveUp: () => env.logger.warn('discovery: reverse DNS keeps failing; skipped for the rest of the scan', { scan: job.scanId }),
          })
        : undefined;
      const arp = new ArpCache();
      const sources = { rdns, cp: job.credentialed, ndp: job.spec.subnet.includes(':') ? new Ipv6Neighbours() : undefined };
      const signal = a.controller.signal;
      const record = (report: HostReport) => {
        counts.scanned++;
        counts.found++;
        buffer.push(report);
        if (buffer.length >= FLUSH_HOSTS) flush();
      };
      const lookups = needsLookups(sources) ? lookupPool(sources, arp, signal, record, env.logger) : undefined;
      await this.prober.probe(job.scanId, job.spec, job.probe, signal, (down, up) => {
        counts.scanned += down;
        for (const host of up) {
          if (lookups) lookups.add(host);
          else record(describeHost(host, {}, arp));
        }
      });
      await lookups?.drained();
      clearInterval(timer);
      if (a.stopReason === 'gone') return;
      flush();
      if (gone) return;
      if (broken) throw broken;
      const stopped = a.controller.signal.aborted;
      const status = !stopped ? 'completed' : a.stopReason === 'cancel' ? 'cancelled' : 'failed';
      const message = !stopped ? '' : a.stopReason === 'cancel' ? 'scan cancelled' : 'interrupted by shutdown';
      await finishScan(env, job.ctx, job.scanId, status, message, counts);
    } catch (err) {
      clearInterval(timer);
      if (err instanceof ScanGoneError || gone || a.stopReason === 'gone') return;
      env.logger.error('discovery: scan failed', { scan: job.scanId, err: err as Error });
      await finishScan(env, job.ctx, job.scanId, 'failed', `scan failed: ${(err as Error).message}`, counts).catch(() => undefined);
    } finally {
      clearInterval(timer);
    }
  }
}

// One manager per database connection: the server's env and a test's env share it.
const managers = new WeakMap<object, ScanManager>();

/** True when this process runs the scan now (without creating a manager where none ran). */
export function runsHere(env: ServiceEnv, scanId: string): boolean {
  return managers.get(env.db.$client)?.isActive(scanId) ?? false;
}

export function scanManager(env: ServiceEnv): ScanManager {
  let m = managers.get(env.db.$client);
  if (!m) managers.set(env.db.$client, (m = new ScanManager(env)));
  return m;
}

/** For shutdown: stops the scans of this database, if any ever ran. */
export async function stopScans(env: ServiceEnv): Promise<void> {
  await managers.get(env.db.$client)?.stopAll();
}
