// Closed-loop HTTP load: N keep-alive connections, each sending its next request as soon as the
// previous response ends, for a fixed time or count — autocannon in a process of its own
// (load-process.mjs). `send` is the one-off request the benchmarks use for setup and checks.
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const LOAD_PROCESS = fileURLToPath(new URL('./load-process.mjs', import.meta.url));

export interface LoadOptions {
  /** Base URL of the server, e.g. http://127.0.0.1:8080 */
  url: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Concurrent connections (and the agent's maxSockets). */
  concurrency: number;
  /** Stop after this long… */
  durationMs?: number;
  /** …or after this many requests, whichever comes first. */
  requests?: number;
  /** A response with any other status aborts the run: a wrong status means the wrong thing was measured. */
  expectStatus?: number;
  /** Capacity of the latency buffer; requests beyond it are counted but not sampled. */
  maxSamples?: number;
}

export interface LoadResult {
  requests: number;
  durationMs: number;
  rps: number;
  /** Latency percentiles in milliseconds. */
  p50: number;
  p95: number;
  p99: number;
}

/** The q-quantile (0..1) of an ascending-sorted array, nearest-rank. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** One request on the agent; resolves with the status once the body has been read to the end. */
export function send(
  agent: http.Agent,
  target: URL,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, host: target.hostname, port: target.port, path: target.pathname + target.search, method, headers },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Runs one closed-loop load with autocannon in its own process (bench/lib/load-process.mjs): on
 * two cores the generator then takes its own core instead of sharing this runner's event loop,
 * and the runner stays idle while it measures. Any unexpected status (or socket error) stops the
 * load and rejects, so a 401 can never pass for a fast response.
 */
export function runLoad(opts: LoadOptions): Promise<LoadResult> {
  if (opts.durationMs === undefined && opts.requests === undefined) return Promise.reject(new Error('runLoad needs durationMs or requests'));
  const options = {
    url: opts.url,
    path: opts.path,
    method: opts.method ?? 'GET',
    headers: { ...opts.headers },
    body: opts.body,
    concurrency: opts.concurrency,
    durationMs: opts.durationMs,
    requests: opts.requests,
    expectStatus: opts.expectStatus ?? 200,
    maxSamples: opts.maxSamples ?? 2_000_000,
  };
  return new Promise((resolve, reject) => {
    const child = fork(LOAD_PROCESS, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
    let answer: { ok: true; result: LoadResult } | { ok: false; error: string } | undefined;
    child.once('message', (m) => (answer = m as typeof answer));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!answer) reject(new Error(`load generator exited with ${code} without a result`));
      else if (!answer.ok) reject(new Error(answer.error));
      else resolve(answer.result);
    });
    child.send(options);
  });
}
