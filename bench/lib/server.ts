// Runs `rackd server` as a child process for a benchmark, so the load generator (its own process,
// load.ts) never shares an event loop with the server it measures. The general rate limiter stays
// on, with a budget no benchmark reaches; cookies are not Secure because the bench speaks plain
// http to 127.0.0.1. Readiness is polled on
// /healthz because the bench runs the server at LOG_LEVEL=warn (no "listening" line to wait for).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { send } from './load.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ADMIN = { username: 'admin', password: 'bench-admin-password-123' };

export interface BenchServer {
  url: string;
  pid: number;
  child: ChildProcess;
  /** Resident set size of the server process in KiB (VmRSS from /proc/<pid>/status). */
  rssKb(): number;
  /** CPU seconds (user + system, all threads) the server process has used so far. */
  cpuSeconds(): number;
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export function rssKbOf(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

let clockTicks: number | undefined;

/** utime + stime of a process from /proc/<pid>/stat, in seconds (10 ms resolution). */
export function cpuSecondsOf(pid: number): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is parenthesised and may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicks;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface StartOptions {
  /** Extra environment; the defaults below are what every benchmark shares. */
  env?: Record<string, string>;
  /** When set, the server runs with --cpu-prof and writes its profile into this directory on exit. */
  cpuProfDir?: string;
}

export async function startBenchServer(opts: StartOptions = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'rackd-bench-'));
  const port = await freePort();
  // BENCH_NODE_ARGS (space-separated) reaches the server's node, to compare V8 settings such as
  // --max-semi-space-size side by side with the defaults.
  const nodeArgs = [...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean), '--import', 'tsx'];
  if (opts.cpuProfDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`);
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'src/main.ts'), 'server'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      DATA_DIR: dataDir,
      LISTEN_ADDR: `127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      AUDIT_ENABLED: 'true',
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_REQUESTS: '1000000',
      COOKIE_SECURE: 'false',
      INITIAL_ADMIN_USERNAME: ADMIN.username,
      INITIAL_ADMIN_PASSWORD: ADMIN.password,
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const agent = new http.Agent({ keepAlive: false });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`);
    const status = await send(agent, new URL('/healthz', url), 'GET', {}).then((r) => r.status, () => 0);
    if (status === 200) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy within 60s:\n${out}`);
    }
    await sleep(100);
  }
  return {
    url,
    pid: child.pid!,
    child,
    rssKb: () => rssKbOf(child.pid!),
    cpuSeconds: () => cpuSecondsOf(child.pid!),
    output: () => out,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise<void>((r) => child.once('exit', () => r()));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Logs in as the bootstrap admin and creates an API key the way a user would (cookie + CSRF header). */
export async function adminApiKey(url: string): Promise<string> {
  const agent = new http.Agent({ keepAlive: false });
  const json = { 'content-type': 'application/json' };
  const login = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const body = JSON.stringify(ADMIN);
    const req = http.request(new URL('/api/auth/login', url), { method: 'POST', agent, headers: json }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    req.on('error', reject);
    req.end(body);
  });
  if (login.statusCode !== 200) throw new Error(`admin login failed: ${login.statusCode}`);
  const cookie = (login.headers['set-cookie'] ?? []).map((c) => /^(rackd_session=[^;]*)/.exec(c)?.[1]).find(Boolean);
  if (!cookie) throw new Error('admin login set no session cookie');
  const created = await send(agent, new URL('/api/keys', url), 'POST', { ...json, cookie, 'x-requested-with': 'XMLHttpRequest' }, JSON.stringify({ name: 'bench' }));
  if (created.status !== 201) throw new Error(`POST /api/keys failed: ${created.status} ${created.text}`);
  return (JSON.parse(created.text) as { key: string }).key;
}
