// The bare Hono app (bench/lib/bare-hono.mjs) as a baseline process beside the rackd server:
// what the framework and its node adapter can do on this machine with nothing else on the path.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Side } from './bench.ts';
import { runLoad } from './load.ts';
import { cpuSecondsOf } from './server.ts';

const SCRIPT = fileURLToPath(new URL('./bare-hono.mjs', import.meta.url));

export interface Ceiling {
  url: string;
  /** The one route: `GET /` → `{"status":"ok"}` (application/json). */
  path: string;
  pid: number;
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** A response of rackd's, as the bare app's `/floor` route repeats it (bare-hono.mjs). */
export interface FloorResponse {
  /** The header fields rackd set, without those the node server or Hono adds itself (Date, Connection, Keep-Alive, Content-Length, Content-Type). */
  headers: Array<[string, string]>;
  /** The body, and whether it is JSON (serialised per request, as rackd does) or text. */
  body: string;
  json: boolean;
  /** Read and parse the request body first (a POST route). */
  readBody: boolean;
}

// Content-Type comes from c.json / c.text, as in rackd.
const ADDED_BY_NODE = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding', 'content-type']);

/** Captures one rackd response as a floor for the bare app: its header fields and its body. */
export async function captureFloor(url: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<FloorResponse> {
  const res = await fetch(url + path, { method: init.method ?? 'GET', headers: init.headers, body: init.body });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`floor capture of ${path}: ${res.status} ${body.slice(0, 200)}`);
  const headers: Array<[string, string]> = [];
  res.headers.forEach((value, name) => {
    if (!ADDED_BY_NODE.has(name)) headers.push([name, value]);
  });
  return { headers, body, json: (res.headers.get('content-type') ?? '').includes('json'), readBody: init.body !== undefined };
}

/** Starts the bare app; with `floor`, it also answers `/floor` with that response (see bare-hono.mjs). */
export async function startCeiling(floor?: FloorResponse): Promise<Ceiling> {
  const env = floor ? { ...process.env, FLOOR: JSON.stringify(floor) } : process.env;
  const child = spawn(process.execPath, [SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`bare Hono app exited with ${code}: ${out}`)));
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
  });
  child.removeAllListeners('exit');
  return {
    url: `http://127.0.0.1:${port}`,
    path: '/',
    pid: child.pid!,
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The bare app's `/floor` route as a side: rackd's response (headers and body, after reading the
 * request body where rackd does) with none of rackd's work. Send the request rackd got.
 */
export const floorSide = (bare: Ceiling, concurrency: number, request: { method?: string; headers?: Record<string, string>; body?: string } = {}): Side => ({
  label: 'bare Hono, rackd response',
  column: 'floor',
  load: (durationMs) => runLoad({ url: bare.url, path: '/floor', method: request.method, headers: request.headers, body: request.body, concurrency, durationMs }),
  cpuSeconds: bare.cpuSeconds,
});

/** The bare app as the first side of a compareThroughput: its one route, `concurrency` connections. */
export const ceilingSide = (bare: Ceiling, concurrency: number): Side => ({
  label: 'bare Hono',
  column: 'bare',
  load: (durationMs) => runLoad({ url: bare.url, path: bare.path, concurrency, durationMs }),
  cpuSeconds: bare.cpuSeconds,
});
