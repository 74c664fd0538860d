// How the runner reaches the TCP phase: normally the probe worker thread (probe-worker.ts), started
// on the first scan and shared by all; in-process where a worker cannot start (the scan then runs
// on the main event loop, slower but correct). Under tsx the worker registers tsx first, so the
// same TypeScript sources run there; the compiled build loads probe-worker.js directly.
import { Worker } from 'node:worker_threads';
import type { Logger } from '../platform/logger.ts';
import { isUp, probeHosts, targetsFromSpec, type ProbedHost, type ProbeOptions, type TargetSpec } from './scanner.ts';
import { Semaphore } from './semaphore.ts';

export type ToWorker = { type: 'start'; scanId: string; spec: TargetSpec; opts: ProbeOptions } | { type: 'cancel'; scanId: string };
export type FromWorker =
  | { type: 'ready' }
  | { type: 'batch'; scanId: string; down: number; refused: string[]; open: ProbedHost[] }
  | { type: 'done'; scanId: string; error?: string };

export type OnBatch = (down: number, up: ProbedHost[]) => void;

export interface HostProber {
  readonly mode: 'worker' | 'in-process';
  probe(scanId: string, spec: TargetSpec, opts: ProbeOptions, signal: AbortSignal, onBatch: OnBatch): Promise<void>;
  close(): Promise<void>;
}

export function inProcessProber(maxConcurrent: number): HostProber {
  const sockets = new Semaphore(maxConcurrent);
  return {
    mode: 'in-process',
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

interface Pending {
  onBatch: OnBatch;
  resolve(): void;
  reject(err: Error): void;
}

export function workerProber(maxConcurrent: number, logger: Logger): HostProber {
  let worker: Promise<Worker> | undefined;
  let fallback: HostProber | undefined;
  const pending = new Map<string, Pending>();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  const spawn = (): Promise<Worker> =>
    new Promise((resolve, reject) => {
      const w = new Worker(workerUrl(), { workerData: { maxConcurrent } });
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
        const p = pending.get(m.scanId);
        if (!p) return;
        if (m.type === 'batch') p.onBatch(m.down, m.refused.length ? [...m.open, ...m.refused.map((ip) => ({ ip, ports: NO_PORTS }))] : m.open);
        else {
          pending.delete(m.scanId);
          if (m.error) p.reject(new Error(m.error));
          else p.resolve();
        }
      });
      w.on('error', (err) => {
        clearTimeout(timer);
        logger.error('discovery: probe worker failed', { err });
        if (!ready) reject(err);
        failAll(new Error(`probe worker failed: ${err.message}`));
      });
      w.on('exit', (code) => {
        clearTimeout(timer);
        worker = undefined;
        if (!ready) reject(new Error(`probe worker exited with ${code} before it was ready`));
        failAll(new Error(`probe worker exited with ${code}`));
      });
    });

  return {
    get mode() {
      return fallback ? 'in-process' : 'worker';
    },
    async probe(scanId, spec, opts, signal, onBatch) {
      if (!fallback) {
        try {
          worker ??= spawn();
          await worker;
        } catch (err) {
          worker = undefined;
          logger.warn('discovery: no probe worker; scanning on the main thread', { err: err as Error });
          fallback = inProcessProber(maxConcurrent);
        }
      }
      if (fallback) return fallback.probe(scanId, spec, opts, signal, onBatch);
      const w = await worker!;
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => w.postMessage({ type: 'cancel', scanId } satisfies ToWorker);
        const settle = (fn: () => void) => {
          signal.removeEventListener('abort', onAbort);
          fn();
        };
        pending.set(scanId, { onBatch, resolve: () => settle(resolve), reject: (e) => settle(() => reject(e)) });
        signal.addEventListener('abort', onAbort, { once: true });
        w.postMessage({ type: 'start', scanId, spec, opts } satisfies ToWorker);
        if (signal.aborted) onAbort();
      });
    },
    async close() {
      const w = worker;
      worker = undefined;
      if (w) await (await w.catch(() => undefined))?.terminate();
    },
  };
}
