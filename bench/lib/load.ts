// A small closed-loop HTTP load generator on plain node:http: N keep-alive connections, each
// sending its next request as soon as the previous response ends, for a fixed time or count.
// Latencies go into a preallocated Float64Array so recording costs no allocation per request.
import http from 'node:http';

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

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  if (opts.durationMs === undefined && opts.requests === undefined) throw new Error('runLoad needs durationMs or requests');
  const method = opts.method ?? 'GET';
  const expect = opts.expectStatus ?? 200;
  const target = new URL(opts.path, opts.url);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const samples = new Float64Array(opts.maxSamples ?? 2_000_000);
  const limit = opts.requests ?? Infinity;
  let issued = 0;
  let done = 0;
  let failure: Error | undefined;

  const started = performance.now();
  const deadline = opts.durationMs === undefined ? Infinity : started + opts.durationMs;
  const connection = async (): Promise<void> => {
    while (!failure && issued < limit && performance.now() < deadline) {
      issued++;
      const t0 = performance.now();
      const res = await send(agent, target, method, headers, opts.body);
      const ms = performance.now() - t0;
      if (res.status !== expect) {
        failure ??= new Error(`${method} ${opts.path}: expected ${expect}, got ${res.status}: ${res.text.slice(0, 200)}`);
        return;
      }
      if (done < samples.length) samples[done] = ms;
      done++;
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.concurrency }, () => connection().catch((err: Error) => void (failure ??= err))));
  } finally {
    agent.destroy();
  }
  if (failure) throw failure;
  const elapsed = performance.now() - started;
  const sorted = samples.subarray(0, Math.min(done, samples.length)).sort();
  return {
    requests: done,
    durationMs: elapsed,
    rps: (done / elapsed) * 1000,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
  };
}
