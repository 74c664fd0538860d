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

export async function startCeiling(): Promise<Ceiling> {
  const child = spawn(process.execPath, [SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
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

/** The bare app as the first side of a compareThroughput: its one route, `concurrency` connections. */
export const ceilingSide = (bare: Ceiling, concurrency: number): Side => ({
  label: 'bare Hono',
  column: 'bare',
  load: (durationMs) => runLoad({ url: bare.url, path: bare.path, concurrency, durationMs }),
  cpuSeconds: bare.cpuSeconds,
});
