// Shared checks of the security tests: no response may be a 500 or carry a stack trace, the
// plaintext of a secret must appear nowhere in the database; and running `rackd` as a child.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type Database from 'better-sqlite3';
import { ROOT, type ApiClient, type ApiResponse, type TestServer, writerOf } from '../helpers/server.ts';

const STACK_FRAME = /\bat [^\s]+ \(|\bat (file|node):|\n\s+at /;

/** Fails when a response is a 5xx other than the deliberate 503s, or leaks an error's internals. */
export function assertClean(res: { status: number; text: string }, what = 'response'): void {
  assert.notEqual(res.status, 500, `${what} must not be a 500: ${res.text}`);
  assert.doesNotMatch(res.text, STACK_FRAME, `${what} must not contain a stack trace`);
  assert.ok(!res.text.includes('Error:'), `${what} must not contain an error's text: ${res.text}`);
}

/** Makes every request of this client assert `assertClean` on its response. */
export function guard(api: ApiClient): ApiClient {
  const request = api.request.bind(api);
  api.request = async <T = any>(...args: Parameters<ApiClient['request']>): Promise<ApiResponse<T>> => {
    const res = await request<T>(...args);
    assertClean(res, `${args[0]} ${args[1]}`);
    return res;
  };
  return api;
}

/** The writer connection (fixtures write through it; env.db is read-only). */
export const sqlite = (s: TestServer): Database.Database => writerOf(s.env).$client;

/** Every text value stored in any table of the database. */
export function allStoredText(s: TestServer): string[] {
  const db = sqlite(s);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[];
  const out: string[] = [];
  for (const { name } of tables) {
    for (const row of db.prepare(`SELECT * FROM "${name}"`).all() as Record<string, unknown>[]) {
      for (const v of Object.values(row)) if (typeof v === 'string') out.push(v);
    }
  }
  return out;
}

/** The Max-Age attribute of a Set-Cookie line, in seconds. */
export function maxAgeOf(setCookie: string): number | undefined {
  const m = /;\s*Max-Age=(-?\d+)/i.exec(setCookie);
  return m ? Number(m[1]) : undefined;
}

export function expiresOf(setCookie: string): number | undefined {
  const m = /;\s*Expires=([^;]+)/i.exec(setCookie);
  return m ? Date.parse(m[1]!) : undefined;
}

export const sessionSetCookie = (headers: Headers): string | undefined =>
  headers.getSetCookie().find((c) => c.startsWith('rackd_session='));

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The tsx loader by absolute URL, so a child can run TypeScript whatever its working directory. */
export const TSX_LOADER = pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('tsx')).href;
export const MAIN = join(ROOT, 'src/main.ts');

/**
 * Runs `rackd <args>` as a child process with exactly `env` (plus PATH/HOME) and waits for it to
 * exit; a process still running after `timeoutMs` is killed and reported with code null.
 */
export function runRackd(args: string[], env: Record<string, string>, opts: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      // Let the pipes flush what the process wrote last.
      setImmediate(() => resolve({ code, stdout, stderr, ms: performance.now() - started }));
    });
  });
}

export interface StartedRackd {
  url: string;
  output(): string;
  stop(): Promise<number | null>;
}

/** Runs `rackd server` as a child (JSON logs) and resolves once it logs that it listens. */
export async function startRackd(args: string[], env: Record<string, string>, opts: { cwd?: string } = {}): Promise<StartedRackd> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN, 'server', ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rackd did not start:\n${out}`));
    }, 30_000);
    child.stdout.on('data', () => {
      const m = /"msg":"rackd listening".*?"url":"([^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`rackd exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}
