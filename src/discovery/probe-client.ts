// How the runner reaches the TCP phase: normally the probe worker threads (probe-worker.ts,
// DISCOVERY_PROBE_WORKERS of them), started on the first scan and shared by all, each scan's
// targets handed out to them in chunks; in-process where a worker cannot start (the scan then runs
// on the main event loop, slower but correct). Under tsx the worker registers tsx first, so the
// same TypeScript sources run there; the compiled build loads probe-worker.js directly.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../platform/logger.ts';
import { isUp, probeHosts, targetsFromSpec, type ProbedHost, type ProbeOptions, type TargetSpec } from './scanner.ts';
import { Semaphore } from './semaphore.ts';

export type ToWorker =
  /** counter: one Int32, the next unclaimed target index, shared by the scan's threads; chunk: hosts per claim. */
  | { type: 'start'; scanId: string; spec: TargetSpec; opts: ProbeOptions; counter: SharedArrayBuffer; total: number; chunk: number }
  | { type: 'cancel'; scanId: string };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'batch'; scanId: string; down: number; refused: string[]; open: ProbedHost[] }
  | { type: 'done'; scanId: string; error?: string };

export type OnBatch = (down: number, up: ProbedHost[]) => void;

export interface HostProber {
  readonly mode: 'worker' | 'in-process';
  /** Probe threads (1 in-process). */
  readonly threads: number;
  probe(scanId: string, spec: TargetSpec, opts: ProbeOptions, signal: AbortSignal, onBatch: OnBatch): Promise<void>;
  close(): Promise<void>;
}

export function inProcessProber(maxConcurrent: number): HostProber {
  const sockets = new Semaphore(maxConcurrent);
  return {
    mode: 'in-process',
    threads: 1,
    probe: (_scanId, spec, opts, signal, onBatch) =>
      probeHosts(targetsFromSpec(spec), opts, sockets, signal, (h) => (isUp(h.ports) ? onBatch(0, [h]) : onBatch(1, []))),
    close: async () => undefined,
  };
}

const READY_TIMEOUT_MS = 30_000;
/** Ports of a host that only refused: none open, so nothing to describe. */
const NO_PORTS: ProbedHost['ports'] = Object.freeze([]) as unknown as ProbedHost['ports'];

function workerUrl(): URL {
  const here = import.meta.url;
  const file = new URL(`./probe-worker${here.endsWith('.ts') ? '.ts' : '.js'}`, here).href;
  if (!file.endsWith('.ts')) return new URL(file);
  // Running from sources (tsx): the worker has no loader of its own, so it registers tsx's.
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(file)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}

/** Probe threads when DISCOVERY_PROBE_WORKERS is 0: one per core, at most 4 (more only adds hand-offs). */
export function defaultProbeWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Share k of n of an amount: the parts differ by at most one and add up to it. */
export const shareOf = (amount: number, n: number, k: number): number => Math.floor(amount / n) + (k < amount % n ? 1 : 0);

/** Hosts per chunk handed to a worker: small enough to balance threads, large enough to be few. */
export const chunkSize = (total: number, threads: number): number => Math.max(16, Math.min(1024, Math.ceil(total / (threads * 16))));

interface Pending {
  onBatch: OnBatch;
  resolve(): void;
  reject(err: Error): void;
}

/** One probe thread: started on first use, restarted on the next scan after it died. */
class ProbeThread {
  private worker: Promise<Worker> | undefined;
  readonly pending = new Map<string, Pending>();

  constructor(
    private readonly maxConcurrent: number,
    private readonly logger: Logger,
  ) {}

  get(): Promise<Worker> {
    if (!this.worker) {
      const w = (this.worker = this.spawn());
      w.catch(() => {
        if (this.worker === w) this.worker = undefined;
      });
    }
    return this.worker;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private spawn(): Promise<Worker> {
    return new Promise((resolve, reject) => {
      const w = new Worker(workerUrl(), { workerData: { maxConcurrent: this.maxConcurrent } });
      // Never keeps the process alive by itself.
      w.unref();
      let ready = false;
      const timer = setTimeout(() => {
        void w.terminate();
        reject(new Error('probe worker did not start in time'));
      }, READY_TIMEOUT_MS);
      w.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          ready = true;
          clearTimeout(timer);
          return resolve(w);
        }
        const p = this.pending.get(m.scanId);
        if (!p) return;
        if (m.type === 'batch') p.onBatch(m.down, m.refused.length ? [...m.open, ...m.refused.map((ip) => ({ ip, ports: NO_PORTS }))] : m.open);
        else {
          this.pending.delete(m.scanId);
          if (m.error) p.reject(new Error(m.error));
          else p.resolve();
        }
      });
      w.on('error', (err) => {
        clearTimeout(timer);
        this.logger.error('discovery: probe worker failed', { err });
        if (!ready) reject(err);
        this.failAll(new Error(`probe worker failed: ${err.message}`));
      });
      w.on('exit', (code) => {
        clearTimeout(timer);
        this.worker = undefined;
        if (!ready) reject(new Error(`probe worker exited with ${code} before it was ready`));
        this.failAll(new Error(`probe worker exited with ${code}`));
      });
    });
  }

  /** Runs this thread's part of a scan; resolves when the worker reports it done. */
  async run(m: Extract<ToWorker, { type: 'start' }>, onBatch: OnBatch): Promise<void> {
    const w = await this.get();
    return new Promise<void>((resolve, reject) => {
      this.pending.set(m.scanId, { onBatch, resolve, reject });
      w.postMessage(m);
    });
  }

  post(m: ToWorker): void {
    void this.worker?.then((w) => w.postMessage(m), () => undefined);
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await (await w.catch(() => undefined))?.terminate();
  }
}

/**
 * The probes of every scan, sharded over `threads` worker threads (each with its share of the
 * socket budget). A scan's threads claim its targets in chunks from a shared counter; the scan is
 * done when each thread that took part says so.
 */
export function workerProber(maxConcurrent: number, logger: Logger, threads = defaultProbeWorkers()): HostProber {
  const n = Math.max(1, Math.min(threads, maxConcurrent));
  const pool = Array.from({ length: n }, (_, k) => new ProbeThread(shareOf(maxConcurrent, n, k), logger));
  let fallback: HostProber | undefined;

  return {
    get mode() {
      return fallback ? 'in-process' : 'worker';
    },
    get threads() {
      return fallback ? 1 : n;
    },
    async probe(scanId, spec, opts, signal, onBatch) {
      if (!fallback) {
        try {
          await Promise.all(pool.map((t) => t.get()));
        } catch (err) {
          logger.warn('discovery: no probe worker; scanning on the main thread', { err: err as Error });
          fallback = inProcessProber(maxConcurrent);
          await Promise.all(pool.map((t) => t.close()));
        }
      }
      if (fallback) return fallback.probe(scanId, spec, opts, signal, onBatch);

      const { total } = targetsFromSpec(spec);
      // A profile's host limit is split over the threads (a thread whose share is 0 sits out).
      const used = opts.hostConcurrency === undefined ? pool : pool.slice(0, Math.min(n, opts.hostConcurrency));
      if (total === 0) return;
      const chunk = chunkSize(total, used.length);
      const counter = new SharedArrayBuffer(4);
      const parts = used.map((thread, k) => {
        const part = opts.hostConcurrency === undefined ? opts : { ...opts, hostConcurrency: shareOf(opts.hostConcurrency, used.length, k) };
        return { thread, done: thread.run({ type: 'start', scanId, spec, opts: part, counter, total, chunk }, onBatch) };
      });
      const cancel = () => {
        // No thread claims another chunk, and each stops what it is probing.
        Atomics.store(new Int32Array(counter), 0, total);
        for (const p of parts) p.thread.post({ type: 'cancel', scanId });
      };
      signal.addEventListener('abort', cancel, { once: true });
      if (signal.aborted) cancel();
      try {
        const results = await Promise.allSettled(parts.map((p) => p.done.catch((err: unknown) => {
          // One thread failed: the others stop too, and the scan fails with the first reason.
          cancel();
          throw err;
        })));
        const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
      } finally {
        signal.removeEventListener('abort', cancel);
      }
    },
    async close() {
      await Promise.all(pool.map((t) => t.close()));
    },
  };
}
