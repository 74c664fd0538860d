// The composition root: opens storage and stores, builds the service environment, the app and
// the jobs. main.ts (server) and the offline CLI commands use it; nothing here holds logic.
import { serve, type ServerType } from '@hono/node-server';
import { Redis } from 'iovalkey';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from './app.ts';
import { createPasswordHasher } from './auth/passwords.ts';
import { createMemoryRateLimitStore, createValkeyRateLimitStore, type RateLimitStore } from './auth/rate-limit-store.ts';
import { createDatabaseSessionStore, createValkeySessionStore, type SessionStore } from './auth/session-store.ts';
import { DB_FILE, ensureDataDir, type Db } from './db/client.ts';
import { sqliteEngine } from './db/engine.ts';
import { jobLeases } from './db/job-leases.ts';
import { stopScans } from './discovery/runner.ts';
import { startScheduleRunner, type ScheduleRunner } from './discovery/schedule-runner.ts';
import { startScheduler, type Job, type Scheduler } from './jobs/scheduler.ts';
import { systemClock } from './platform/clock.ts';
import type { Config } from './platform/config.ts';
import { loadKeyMaterial, MASTER_KEY_FILE } from './platform/keys.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { purgeAuditLog } from './services/audit/purge.ts';
import { bootstrapInitialAdmin, seedDefaultDatacenter, syncPermissionCatalogue } from './services/bootstrap.ts';
import { KeyMismatchError, verifyKeyMaterial } from './services/key-check.ts';
import { ensureSearchIndex } from './services/search/rebuild.ts';
import { cleanupDiscovered, DISCOVERY_CLEANUP_JOB } from './services/discovery/cleanup.ts';
import { ABANDONED_MESSAGE, DISCOVERY_LEASE_JOB, failInterruptedScans } from './services/discovery/interrupted.ts';
import { cleanupOAuth, OAUTH_CLEANUP_JOB } from './services/oauth/cleanup.ts';
import { EXPIRY_JOB, expireReservations } from './services/reservations/expire.ts';
import { ensureBuiltinScanProfiles } from './services/scan-profiles/builtins.ts';
import type { ServiceEnv } from './services/env.ts';
import { purgeWebhookHistory, WEBHOOK_RETENTION_JOB } from './services/webhooks/purge.ts';
import { webhookSender } from './webhooks/delivery.ts';
import { startDispatcher, type Dispatcher } from './webhooks/dispatcher.ts';
import { webhookOutbox } from './webhooks/outbox.ts';

export const PID_FILE = 'rackd.pid';

export interface Runtime {
  env: ServiceEnv;
  close(): Promise<void>;
}

const VALKEY_CONNECT_TIMEOUT_MS = 5_000;
const VALKEY_COMMAND_TIMEOUT_MS = 5_000;

/** VALKEY_URL with any password masked, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Connects to Valkey before the server starts. A Valkey that does not answer stops start-up
 * with an error naming VALKEY_URL instead of retrying forever; once connected, a lost
 * connection is retried with a capped backoff and /readyz reports it meanwhile.
 */
export async function connectValkey(url: string, logger: Logger): Promise<Redis> {
  let started = false;
  let lastError: Error | undefined;
  let healthy = false;
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: VALKEY_CONNECT_TIMEOUT_MS,
    // Commands queued while disconnected fail after this, so no request hangs on a dead Valkey.
    commandTimeout: VALKEY_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 2,
    retryStrategy: (times: number) => (started ? Math.min(times * 200, 2_000) : null),
  });
  redis.on('error', (err: Error) => {
    lastError = err;
    // One warning per outage, not one per reconnect attempt.
    if (started && healthy) logger.warn('valkey connection lost', { url: redactUrl(url), err: err.message });
    healthy = false;
  });
  redis.on('ready', () => {
    if (started && !healthy) logger.info('valkey connection restored', { url: redactUrl(url) });
    healthy = true;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    // connectTimeout covers the TCP connect only; this also bounds a peer that accepts and stays silent.
    await Promise.race([
      redis.connect(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${VALKEY_CONNECT_TIMEOUT_MS / 1000}s`)), VALKEY_CONNECT_TIMEOUT_MS);
      }),
    ]);
  } catch (err) {
    redis.disconnect();
    const reason = lastError?.message ?? (err as Error).message;
    throw new Error(`cannot connect to Valkey at VALKEY_URL=${redactUrl(url)}: ${reason}`);
  } finally {
    clearTimeout(timer);
  }
  started = true;
  return redis;
}

async function closeValkey(redis: Redis): Promise<void> {
  // QUIT waits for pending replies; a dead Valkey must not hold shutdown, so cap it.
  await Promise.race([redis.quit().catch(() => undefined), new Promise((r) => setTimeout(r, 1_000).unref())]);
  redis.disconnect();
}

/** Opens the database (migrating it) and every store; used by the server and offline commands. */
export async function openRuntime(config: Config, opts: { logger?: Logger; bootstrap?: boolean } = {}): Promise<Runtime & { valkey?: Redis }> {
  const logger = opts.logger ?? createLogger(config.log);
  ensureDataDir(config.dataDir);
  const engine = sqliteEngine(join(config.dataDir, DB_FILE));
  const db: Db = engine.sqlite.reader;
  const keys = loadKeyMaterial(config.dataDir, config.encryptionKey);
  let valkey: Redis | undefined;
  if (config.session.store === 'valkey' || config.rateLimit.store === 'valkey') {
    try {
      valkey = await connectValkey(config.valkeyUrl, logger);
    } catch (err) {
      await engine.close();
      throw err;
    }
  }
  const sessions: SessionStore = config.session.store === 'valkey' ? createValkeySessionStore(valkey!) : createDatabaseSessionStore(engine);
  const passwords = createPasswordHasher(config.passwords);
  // Services publish into the webhook outbox (also from offline commands: the server's worker
  // delivers what they wrote) and send pings through the webhook worker's sender.
  const env: ServiceEnv = { db, engine, config, clock: systemClock, logger, passwords, sessions, keys, outbox: webhookOutbox(db), webhookSender };
  const close = async (): Promise<void> => {
    await passwords.close();
    if (valkey) await closeValkey(valkey);
    await engine.close();
  };
  try {
    try {
      await verifyKeyMaterial(env);
    } catch (err) {
      // A key generated just now was never used: leave DATA_DIR as it was, for the old key to go back.
      if (err instanceof KeyMismatchError && keys.source === 'generated') rmSync(join(config.dataDir, MASTER_KEY_FILE), { force: true });
      throw err;
    }
    await syncPermissionCatalogue(env);
    await ensureBuiltinScanProfiles(env);
    await ensureSearchIndex(env);
    await seedDefaultDatacenter(env);
    if (opts.bootstrap) await bootstrapInitialAdmin(env);
    // Only a server (bootstrap) fails scans whose lease expired; scans another live server runs keep theirs.
    if (opts.bootstrap) await failInterruptedScans(env);
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
    { name: EXPIRY_JOB, intervalMs: 60_000, runAtStart: true, run: () => expireReservations(env) },
    { name: OAUTH_CLEANUP_JOB, intervalMs: 15 * 60_000, runAtStart: true, run: () => cleanupOAuth(env) },
    { name: DISCOVERY_CLEANUP_JOB, intervalMs: 3_600_000, runAtStart: true, run: () => cleanupDiscovered(env) },
    // Scans of a process that died while this one runs (start-up only catches those of before).
    {
      name: DISCOVERY_LEASE_JOB,
      intervalMs: Math.max(1_000, Math.floor(env.config.discovery.scanLeaseMs / 2)),
      run: () => failInterruptedScans(env, ABANDONED_MESSAGE, DISCOVERY_LEASE_JOB),
    },
    { name: WEBHOOK_RETENTION_JOB, intervalMs: 3_600_000, runAtStart: true, run: () => purgeWebhookHistory(env) },
  ];
}

export interface RunningServer {
  port: number;
  url: string;
  runtime: Runtime;
  scheduler: Scheduler;
  /** Starts due scheduled scans and discovery rules every 30 s. */
  scheduleRunner: ScheduleRunner;
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
  const valkey = runtime.valkey;
  if (valkey) {
    readiness.valkey = async () => {
      // Answer at once while disconnected instead of waiting on the offline queue.
      if (valkey.status !== 'ready') throw new Error(`valkey connection is ${valkey.status}`);
      await valkey.ping();
    };
  }
  const listening = { port: config.listen.port };
  const app = createApp({ env, rateLimitStore, readiness, listening });
  const scheduler = startScheduler(maintenanceJobs(env), env.logger, jobLeases(env.engine));
  let server: ServerType;
  try {
    server = await new Promise((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: config.listen.port, hostname: config.listen.host }, () => resolve(s));
      s.once('error', reject);
    });
  } catch (err) {
    // e.g. EADDRINUSE: release the jobs, the database and the Valkey socket, or the process
    // would report the error and then never exit.
    scheduler.stop();
    await runtime.close();
    throw err;
  }
  // The webhook worker; WEBHOOK_WORKER_ENABLED=false leaves events queued in the database (maintenance).
  const dispatcher: Dispatcher | undefined = config.webhooks.workerEnabled ? startDispatcher(env) : undefined;
  const scheduleRunner = startScheduleRunner(env);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.listen.port;
  listening.port = port;
  const pidFile = join(config.dataDir, PID_FILE);
  if (opts.writePidFile) writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
  const host = config.listen.host && config.listen.host !== '0.0.0.0' && config.listen.host !== '::' ? config.listen.host : 'localhost';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    port,
    url,
    runtime,
    scheduler,
    scheduleRunner,
    async stop() {
      scheduler.stop();
      await scheduleRunner.stop();
      await dispatcher?.stop();
      await stopScans(env);
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
