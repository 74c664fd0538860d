// Starts the real rackd server on a free loopback port with a temporary DATA_DIR, in process
// (startTestServer) or as a child process (spawnServer), and talks to it over HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CallerContext } from '../../src/auth/context.ts';
import { parseConfig } from '../../src/platform/config.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { startServer, type RunningServer } from '../../src/runtime.ts';
import { createApiKey } from '../../src/services/api-keys/create.ts';
import { systemContext } from '../../src/auth/context.ts';
import type { ServiceEnv } from '../../src/services/env.ts';
import { createUser } from '../../src/services/users/create.ts';
import { eq } from 'drizzle-orm';
import { roles } from '../../src/db/schema/index.ts';
import type { Db } from '../../src/db/client.ts';
import { userContext } from '../../src/services/auth/context.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const ADMIN = { username: 'admin', password: 'admin-password-123' };

/** Settings that keep tests fast and independent; a test overrides what it pins. */
export const TEST_ENV: Record<string, string> = {
  LISTEN_ADDR: '127.0.0.1:0',
  LOG_LEVEL: 'error',
  PASSWORD_HASH_COST: '10',
  RATE_LIMIT_REQUESTS: '100000',
  LOGIN_RATE_LIMIT_REQUESTS: '100000',
  AUDIT_ENABLED: 'true',
  INITIAL_ADMIN_USERNAME: ADMIN.username,
  INITIAL_ADMIN_PASSWORD: ADMIN.password,
};

export function tempDir(prefix = 'rackd-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestServer {
  url: string;
  env: ServiceEnv;
  server: RunningServer;
  dataDir: string;
  api: ApiClient;
  stop(): Promise<void>;
}

export async function startTestServer(
  overrides: Record<string, string> = {},
  opts: { devMode?: boolean; dataDir?: string } = {},
): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDir();
  const config = parseConfig({ ...TEST_ENV, DATA_DIR: dataDir, ...overrides }, { devMode: opts.devMode });
  const server = await startServer(config, { logger: silentLogger });
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    env: server.runtime.env,
    server,
    dataDir,
    api: new ApiClient(url),
    async stop() {
      await server.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw body text, sent as is. */
  raw?: string;
  token?: string;
  cookie?: string;
  headers?: Record<string, string>;
  csrf?: boolean;
}

export class ApiClient {
  constructor(readonly url: string) {}

  async request<T = any>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.csrf ?? (opts.cookie && method !== 'GET')) headers['x-requested-with'] = 'XMLHttpRequest';
    let body: string | undefined = opts.raw;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.url + path, { method, headers, body, redirect: 'manual' });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T, text };
  }

  get = <T = any>(path: string, opts?: RequestOptions) => this.request<T>('GET', path, opts);
  post = <T = any>(path: string, body?: unknown, opts?: RequestOptions) => this.request<T>('POST', path, { ...opts, body });
  put = <T = any>(path: string, body?: unknown, opts?: RequestOptions) => this.request<T>('PUT', path, { ...opts, body });
  patch = <T = any>(path: string, body?: unknown, opts?: RequestOptions) => this.request<T>('PATCH', path, { ...opts, body });
  delete = <T = any>(path: string, opts?: RequestOptions) => this.request<T>('DELETE', path, opts);

  /** Logs in and returns the `rackd_session=…` cookie pair. */
  async login(username: string, password: string): Promise<string> {
    const res = await this.post('/api/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
    return sessionCookie(res.headers)!;
  }
}

/** The `rackd_session=value` pair from a response's Set-Cookie, if any. */
export function sessionCookie(headers: Headers): string | undefined {
  for (const c of headers.getSetCookie()) {
    const m = /^(rackd_session=[^;]*)/.exec(c);
    if (m) return m[1];
  }
  return undefined;
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  /** An API key owned by the user (created whatever their permissions). */
  key: string;
}

let seq = 0;

/** Creates a user with the given built-in or custom role names and an API key of their own. */
/**
 * The SQLite writer connection, for test fixtures that set rows up directly between requests
 * (env.db is the read-only connection). Never while a server write could be open: tests call it
 * between awaited requests, when every write body (synchronous today) has committed.
 */
export function writerOf(env: ServiceEnv): Db {
  return (env.engine as unknown as { sqlite: { writer: Db } }).sqlite.writer;
}

export async function createTestUser(env: ServiceEnv, roleNames: string[], name?: string): Promise<TestUser> {
  const username = name ?? `user${++seq}-${Date.now() % 100000}`;
  const password = `pw-${username}-long-enough`;
  const roleIds = roleNames.map((r) => env.db.select().from(roles).where(eq(roles.name, r)).get()!.id);
  const user = await createUser(env, systemContext('test'), {
    username,
    email: `${username}@example.test`,
    password,
    role_id: roleIds[0],
  });
  const { userRoles } = await import('../../src/db/schema/index.ts');
  for (const id of roleIds.slice(1)) writerOf(env).insert(userRoles).values({ userId: user.id, roleId: id, createdAt: new Date().toISOString() }).run();
  const meta = { requestId: 'test', ip: '127.0.0.1', source: 'api' as const };
  const base = userContext(env, { kind: 'session', userId: user.id, username, sessionHash: '' }, meta);
  const ctx: CallerContext = { ...base, permissions: new Set([...base.permissions, 'apikey:create']) };
  const created = await createApiKey(env, ctx, { name: `${username}-key` });
  return { id: user.id, username, password, key: created.key };
}

export interface SpawnedServer {
  url: string;
  child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `rackd server` as a separate process; resolves when it listens. */
export async function spawnServer(env: Record<string, string>, args: string[] = []): Promise<SpawnedServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), 'server', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...TEST_ENV, LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${out}`));
    }, 30_000);
    const onData = () => {
      const m = /"msg":"rackd listening".*?"url":"([^"]+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url,
    child,
    output: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill(signal);
      }),
  };
}
