// The composition root: opens storage and stores, builds the service environment, the app and
// the jobs. main.ts (server) and the offline CLI commands use it; nothing here holds logic.
import { serve, type ServerType } from '@hono/node-server';
import { Redis } from 'iovalkey';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from './app.ts';
import { createPasswordHasher } from './auth/passwords.ts';
import { createMemoryRateLimitStore, createValkeyRateLimitStore, type RateLimitStore } from './auth/rate-limit-store.ts';
import { createSqliteSessionStore, createValkeySessionStore, type SessionStore } from './auth/session-store.ts';
import { openDataDir, type Db } from './db/client.ts';
import { startScheduler, type Job, type Scheduler } from './jobs/scheduler.ts';
import { systemClock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import { loadKeyMaterial } from './platform/keys.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { purgeAuditLog } from './services/audit/purge.ts';
import { bootstrapInitialAdmin, syncPermissionCatalogue } from './services/bootstrap.ts';
import type { ServiceEnv } from './services/env.ts';

export const PID_FILE = 'rackd.pid';

export interface Runtime {
  env: ServiceEnv;
  close(): Promise<void>;
}

function connectValkey(url: string, logger: Logger): Redis {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis.on('error', (err: Error) => logger.warn('valkey connection error', { err: err.message }));
  return redis;
}

/** Opens the database (migrating it) and every store; used by the server and offline commands. */
export async function openRuntime(config: Config, opts: { logger?: Logger; bootstrap?: boolean } = {}): Promise<Runtime & { valkey?: Redis }> {
  const logger = opts.logger ?? createLogger(config.log);
  const db: Db = openDataDir(config.dataDir);
  const keys = loadKeyMaterial(config.dataDir, config.encryptionKey);
  let valkey: Redis | undefined;
  let sessions: SessionStore;
  if (config.session.store === 'valkey' || config.rateLimit.store === 'valkey') {
    valkey = connectValkey(config.valkeyUrl, logger);
    await valkey.connect();
  }
  sessions = config.session.store === 'valkey' ? createValkeySessionStore(valkey!) : createSqliteSessionStore(db);
  const passwords = createPasswordHasher(config.passwords);
  const env: ServiceEnv = { db, config, clock: systemClock, logger, passwords, sessions, keys };
  const close = async (): Promise<void> => {
    await passwords.close();
    if (valkey) await valkey.quit().catch(() => undefined);
    db.$client.close();
  };
  try {
    syncPermissionCatalogue(env);
    if (opts.bootstrap) await bootstrapInitialAdmin(env);
  } catch (err) {
    await close();
    throw err;
  }
  return { env, valkey, close };
}

export function maintenanceJobs(env: ServiceEnv): Job[] {
  return [
    { name: 'session-cleanup', intervalMs: 60_000, run: () => env.sessions.purgeExpired(env.clock.now()) },
    {
      name: 'audit-retention',
      intervalMs: 3_600_000,
      runAtStart: true,
      run: () => purgeAuditLog(env),
    },
  ];
}

export interface RunningServer {
  port: number;
  url: string;
  runtime: Runtime;
  scheduler: Scheduler;
  stop(): Promise<void>;
}

/** Starts the HTTP server; resolves once it listens. */
export async function startServer(config: Config, opts: { logger?: Logger; writePidFile?: boolean } = {}): Promise<RunningServer> {
  const runtime = await openRuntime(config, { logger: opts.logger, bootstrap: true });
  const { env } = runtime;
  const rateLimitStore: RateLimitStore =
    config.rateLimit.store === 'valkey' ? createValkeyRateLimitStore(runtime.valkey!) : createMemoryRateLimitStore();
  const readiness: Record<string, () => Promise<void> | void> = {
    database: () => void env.db.$client.prepare('SELECT 1').get(),
  };
  if (runtime.valkey) readiness.valkey = async () => void (await runtime.valkey!.ping());
  const app = createApp({ env, rateLimitStore, readiness });
  const scheduler = startScheduler(maintenanceJobs(env), env.logger);
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.listen.port, hostname: config.listen.host }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.listen.port;
  const pidFile = join(config.dataDir, PID_FILE);
  if (opts.writePidFile) writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
  const host = config.listen.host && config.listen.host !== '0.0.0.0' && config.listen.host !== '::' ? config.listen.host : 'localhost';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    port,
    url,
    runtime,
    scheduler,
    async stop() {
      scheduler.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await runtime.close();
      if (opts.writePidFile && existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() === String(process.pid)) rmSync(pidFile);
    },
  };
}

/** True when a rackd server process holds this data directory. */
export function serverRunning(dataDir: string): number | undefined {
  const file = join(dataDir, PID_FILE);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}
