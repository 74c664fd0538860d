// Configuration: environment variables (and ./.env) parsed once with zod, then passed around.
// Nothing reads process.env at request time.
import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import { passwordPolicyError } from '../auth/passwords.ts';
import { parseDuration } from './duration.ts';

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const bool = (def: boolean) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return def;
      const s = v.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(s)) return true;
      if (['false', '0', 'no', 'off'].includes(s)) return false;
      ctx.addIssue({ code: 'custom', message: `expects true or false, got "${v}"` });
      return z.NEVER;
    });

const duration = (def: string, { allowZero = false } = {}) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const ms = parseDuration(v === undefined || v === '' ? def : v);
      if (ms === undefined || (!allowZero && ms <= 0)) {
        ctx.addIssue({
          code: 'custom',
          message: `expects a ${allowZero ? '' : 'positive '}duration such as 30s, 5m or 1h30m, got "${v}"`,
        });
        return z.NEVER;
      }
      return ms;
    });

const int = (def: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `expects a whole number from ${min} to ${max}, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const str = (def: string) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? def : v));

const oneOf = <const T extends readonly [string, ...string[]]>(values: T, def: T[number]) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      const s = v === undefined || v === '' ? def : v.trim().toLowerCase();
      if (!(values as readonly string[]).includes(s)) {
        ctx.addIssue({ code: 'custom', message: `expects one of ${values.join(', ')}, got "${v}"` });
        return z.NEVER;
      }
      return s as T[number];
    });

const cidrList = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const out: string[] = [];
    for (const raw of (v ?? '').split(',')) {
      const item = raw.trim();
      if (!item) continue;
      const [addr, bits, extra] = item.split('/');
      const family = isIP(addr ?? '');
      const max = family === 6 ? 128 : 32;
      const nbits = bits === undefined ? max : Number(bits);
      if (!family || extra !== undefined || !Number.isInteger(nbits) || nbits < 0 || nbits > max) {
        ctx.addIssue({ code: 'custom', message: `expects comma-separated IP addresses or CIDRs, got "${item}"` });
        return z.NEVER;
      }
      out.push(`${addr}/${nbits}`);
    }
    return out;
  });

const listenAddr = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const s = v === undefined || v === '' ? ':8080' : v.trim();
    const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(s);
    const port = m ? Number(m[3]) : NaN;
    if (!m || port > 65535) {
      ctx.addIssue({ code: 'custom', message: `expects host:port such as :8080 or 127.0.0.1:8080, got "${v}"` });
      return z.NEVER;
    }
    const host = m[1] ?? m[2] ?? '';
    return { host: host === '' ? undefined : host, port };
  });

const hexKey = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '') return undefined;
    if (!/^[0-9a-fA-F]{64}$/.test(v.trim())) {
      ctx.addIssue({ code: 'custom', message: 'expects 64 hexadecimal characters (32 bytes)' });
      return z.NEVER;
    }
    return v.trim().toLowerCase();
  });

const FORBIDDEN_REDIRECT_SCHEMES = new Set(['http', 'https', 'javascript', 'data', 'file', 'vbscript', 'blob', 'about', 'ftp', 'ws', 'wss']);

/**
 * MCP_OAUTH_ISSUER_URL: an origin only (scheme, host, optional port; no path, query, fragment or
 * trailing slash), because the issuer is compared byte for byte by clients. Plain http is accepted
 * only for loopback hosts unless in dev mode.
 */
export function issuerUrlProblem(value: string, devMode: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `expects an origin such as https://rackd.example.com, got "${value}"`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `expects an http(s) origin, got "${value}"`;
  if (url.origin !== value) {
    return `expects an origin only (lowercase, no path, no trailing slash, no default port), such as ${url.origin}; got "${value}"`;
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  if (url.protocol === 'http:' && !loopback && !devMode) {
    return `must use https (plain http is allowed only for localhost or loopback addresses, or with --dev-mode), got "${value}"`;
  }
  return undefined;
}

const EnvSchema = z.object({
  DATA_DIR: str('./data'),
  LISTEN_ADDR: listenAddr,
  REQUEST_TIMEOUT: duration('30s', { allowZero: true }),
  LOG_FORMAT: oneOf(['text', 'json'], 'text'),
  LOG_LEVEL: oneOf(['trace', 'debug', 'info', 'warn', 'error'], 'info'),
  TRUST_PROXY: bool(false),
  TRUSTED_PROXIES: cidrList,
  COOKIE_SECURE: bool(true),
  RATE_LIMIT_ENABLED: bool(true),
  RATE_LIMIT_REQUESTS: int(100, 1, 1_000_000),
  RATE_LIMIT_WINDOW: duration('1m'),
  LOGIN_RATE_LIMIT_REQUESTS: int(5, 1, 1_000_000),
  LOGIN_RATE_LIMIT_WINDOW: duration('1m'),
  RATE_LIMIT_STORE_TYPE: oneOf(['memory', 'valkey'], 'memory'),
  SESSION_TTL: duration('24h'),
  SESSION_STORE_TYPE: oneOf(['sqlite', 'valkey'], 'sqlite'),
  VALKEY_URL: str('redis://localhost:6379/0'),
  INITIAL_ADMIN_USERNAME: str(''),
  INITIAL_ADMIN_PASSWORD: str(''),
  INITIAL_ADMIN_EMAIL: str('admin@localhost'),
  INITIAL_ADMIN_FULL_NAME: str('System Administrator'),
  AUDIT_ENABLED: bool(false),
  AUDIT_READS: bool(false),
  AUDIT_RETENTION_DAYS: int(90, 1, 36_500),
  ENCRYPTION_KEY: hexKey,
  MCP_ALLOWED_HOSTS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const out: string[] = [];
      for (const raw of (v ?? '').split(',')) {
        const item = raw.trim().toLowerCase();
        if (!item) continue;
        // host or host:port as a Host header carries it (an IPv6 address in brackets).
        if (!/^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9.-]*[a-z0-9])?)(:\d{1,5})?$/.test(item)) {
          ctx.addIssue({ code: 'custom', message: `expects comma-separated host names such as rackd.lan or rackd.lan:8080, got "${item}"` });
          return z.NEVER;
        }
        out.push(item);
      }
      return out;
    }),
  MCP_ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const out: string[] = [];
      for (const raw of (v ?? '').split(',')) {
        const item = raw.trim();
        if (!item) continue;
        let url: URL | undefined;
        try {
          url = new URL(item);
        } catch {
          url = undefined;
        }
        if (!url || !/^https?:$/.test(url.protocol) || url.origin !== item.replace(/\/$/, '')) {
          ctx.addIssue({ code: 'custom', message: `expects comma-separated origins such as https://app.example.com, got "${item}"` });
          return z.NEVER;
        }
        out.push(url.origin);
      }
      return out;
    }),
  MCP_OAUTH_ISSUER_URL: str(''),
  MCP_OAUTH_ENABLED: bool(true),
  MCP_OAUTH_ACCESS_TOKEN_TTL: duration('1h'),
  MCP_OAUTH_REFRESH_TOKEN_TTL: duration('720h'),
  OAUTH_ALLOWED_REDIRECT_SCHEMES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const out: string[] = [];
      for (const raw of (v ?? '').split(',')) {
        const item = raw.trim().toLowerCase().replace(/:$/, '');
        if (!item) continue;
        // Private-use schemes only (RFC 8252 §7.1): the web schemes and the dangerous ones are never listed.
        if (!/^[a-z][a-z0-9+.-]*$/.test(item) || FORBIDDEN_REDIRECT_SCHEMES.has(item)) {
          ctx.addIssue({ code: 'custom', message: `expects comma-separated private-use URI schemes such as cursor, got "${raw.trim()}"` });
          return z.NEVER;
        }
        out.push(item);
      }
      return out;
    }),
  PASSWORD_HASH_COST: int(14, 10, 16),
  PASSWORD_HASH_WORKERS: int(0, 0, 64),
  PASSWORD_HASH_QUEUE: int(32, 1, 10_000),
  DISCOVERY_MAX_CONCURRENT: int(512, 1, 16_384),
  DISCOVERY_PROBE_WORKERS: int(0, 0, 64),
  DISCOVERY_TIMEOUT: duration('1s'),
  DISCOVERY_CLEANUP_DAYS: int(30, 1, 36_500),
  DISCOVERY_SNMPV2C_ENABLED: bool(false),
  DISCOVERY_SCAN_LEASE: duration('60s'),
  SSRF_ALLOW_PRIVATE_TARGETS: bool(false),
  SSRF_ALLOW_LOOPBACK_TARGETS: bool(false),
  WEBHOOK_WORKER_ENABLED: bool(true),
  WEBHOOK_RETRY_BASE: duration('10s'),
  WEBHOOK_RETRY_CAP: duration('1h'),
  WEBHOOK_RETRY_MAX_ATTEMPTS: int(12, 1, 100),
  WEBHOOK_TIMEOUT: duration('10s'),
  WEBHOOK_CONCURRENCY: int(8, 1, 64),
});

export type LogFormat = 'text' | 'json';

export interface Config {
  devMode: boolean;
  dataDir: string;
  listen: { host?: string; port: number };
  requestTimeoutMs: number;
  log: { format: LogFormat; level: 'trace' | 'debug' | 'info' | 'warn' | 'error' };
  trustProxy: boolean;
  trustedProxies: string[];
  cookieSecure: boolean;
  rateLimit: {
    enabled: boolean;
    requests: number;
    windowMs: number;
    loginRequests: number;
    loginWindowMs: number;
    store: 'memory' | 'valkey';
  };
  session: { ttlMs: number; store: 'sqlite' | 'valkey' };
  valkeyUrl: string;
  initialAdmin: { username: string; password: string; email: string; fullName: string };
  audit: { enabled: boolean; reads: boolean; retentionDays: number };
  encryptionKey?: string;
  passwords: { cost: number; workers: number; queue: number };
  /**
   * Network discovery: the socket budget shared by all scans, the per-probe timeout, retention,
   * SNMPv2c switch, and how long a running scan's heartbeat stays valid (its owner renews it).
   * probeWorkers: threads the TCP probes are sharded over (0 = one per core, at most 4).
   */
  discovery: { maxConcurrent: number; probeWorkers: number; timeoutMs: number; cleanupDays: number; snmpV2cEnabled: boolean; scanLeaseMs: number };
  /** Outbound requests (webhooks, CIMD fetches): which non-public targets are allowed. */
  ssrf: { allowPrivate: boolean; allowLoopback: boolean };
  /** Webhook delivery: the worker, its retry schedule (full-jitter exponential backoff) and limits. */
  webhooks: { workerEnabled: boolean; retryBaseMs: number; retryCapMs: number; maxAttempts: number; timeoutMs: number; concurrency: number };
  mcp: {
    allowedOrigins: string[];
    /** Extra Host values /mcp answers to (MCP_ALLOWED_HOSTS), besides its own (see mcp/http.ts). */
    allowedHosts: string[];
    /** The server's public origin (issuer); empty means http://localhost:<port>, fixed once listening. */
    issuerUrl: string;
  };
  oauth: {
    enabled: boolean;
    accessTokenTtlMs: number;
    refreshTokenTtlMs: number;
    /** Private-use redirect URI schemes accepted at registration (e.g. cursor). */
    allowedRedirectSchemes: string[];
  };
}

export interface ConfigOverrides {
  devMode?: boolean;
  dataDir?: string;
  listenAddr?: string;
  logLevel?: string;
  logFormat?: string;
}

/** Reads KEY=VALUE pairs from ./.env; real environment variables win over the file. */
export function loadEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Record<string, string | undefined> {
  const file = `${cwd}/.env`;
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  return { ...fromFile, ...env };
}

export function parseConfig(env: Record<string, string | undefined>, overrides: ConfigOverrides = {}): Config {
  const input: Record<string, string | undefined> = { ...env };
  if (overrides.dataDir !== undefined) input.DATA_DIR = overrides.dataDir;
  if (overrides.listenAddr !== undefined) input.LISTEN_ADDR = overrides.listenAddr;
  if (overrides.logLevel !== undefined) input.LOG_LEVEL = overrides.logLevel;
  if (overrides.logFormat !== undefined) input.LOG_FORMAT = overrides.logFormat;
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(EnvSchema.shape)) picked[key] = input[key];
  const parsed = EnvSchema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(String(issue.path[0] ?? 'config'), issue.message);
  }
  const e = parsed.data;
  const devMode = overrides.devMode ?? false;
  if (e.TRUST_PROXY && e.TRUSTED_PROXIES.length === 0) {
    throw new ConfigError('TRUSTED_PROXIES', 'must list the proxy addresses or CIDRs when TRUST_PROXY=true');
  }
  // The same policy as every other path that sets a password, checked here so that start-up
  // names the variable instead of failing later inside the bootstrap.
  const adminPasswordProblem = e.INITIAL_ADMIN_USERNAME ? passwordPolicyError(e.INITIAL_ADMIN_PASSWORD) : undefined;
  if (adminPasswordProblem) {
    throw new ConfigError('INITIAL_ADMIN_PASSWORD', `${adminPasswordProblem} when INITIAL_ADMIN_USERNAME is set`);
  }
  const issuerProblem = e.MCP_OAUTH_ISSUER_URL ? issuerUrlProblem(e.MCP_OAUTH_ISSUER_URL, devMode) : undefined;
  if (issuerProblem) throw new ConfigError('MCP_OAUTH_ISSUER_URL', issuerProblem);
  return {
    devMode,
    dataDir: e.DATA_DIR,
    listen: e.LISTEN_ADDR,
    requestTimeoutMs: e.REQUEST_TIMEOUT,
    log: { format: e.LOG_FORMAT, level: e.LOG_LEVEL },
    trustProxy: e.TRUST_PROXY,
    trustedProxies: e.TRUSTED_PROXIES,
    // --dev-mode turns off exactly these two and nothing else.
    cookieSecure: devMode ? false : e.COOKIE_SECURE,
    rateLimit: {
      enabled: devMode ? false : e.RATE_LIMIT_ENABLED,
      requests: e.RATE_LIMIT_REQUESTS,
      windowMs: e.RATE_LIMIT_WINDOW,
      loginRequests: e.LOGIN_RATE_LIMIT_REQUESTS,
      loginWindowMs: e.LOGIN_RATE_LIMIT_WINDOW,
      store: e.RATE_LIMIT_STORE_TYPE,
    },
    session: { ttlMs: e.SESSION_TTL, store: e.SESSION_STORE_TYPE },
    valkeyUrl: e.VALKEY_URL,
    initialAdmin: {
      username: e.INITIAL_ADMIN_USERNAME,
      password: e.INITIAL_ADMIN_PASSWORD,
      email: e.INITIAL_ADMIN_EMAIL,
      fullName: e.INITIAL_ADMIN_FULL_NAME,
    },
    audit: { enabled: e.AUDIT_ENABLED, reads: e.AUDIT_READS, retentionDays: e.AUDIT_RETENTION_DAYS },
    encryptionKey: e.ENCRYPTION_KEY,
    passwords: { cost: e.PASSWORD_HASH_COST, workers: e.PASSWORD_HASH_WORKERS, queue: e.PASSWORD_HASH_QUEUE },
    discovery: {
      maxConcurrent: e.DISCOVERY_MAX_CONCURRENT,
      probeWorkers: e.DISCOVERY_PROBE_WORKERS,
      timeoutMs: e.DISCOVERY_TIMEOUT,
      cleanupDays: e.DISCOVERY_CLEANUP_DAYS,
      snmpV2cEnabled: e.DISCOVERY_SNMPV2C_ENABLED,
      scanLeaseMs: e.DISCOVERY_SCAN_LEASE,
    },
    ssrf: { allowPrivate: e.SSRF_ALLOW_PRIVATE_TARGETS, allowLoopback: e.SSRF_ALLOW_LOOPBACK_TARGETS },
    webhooks: {
      workerEnabled: e.WEBHOOK_WORKER_ENABLED,
      retryBaseMs: e.WEBHOOK_RETRY_BASE,
      retryCapMs: Math.max(e.WEBHOOK_RETRY_CAP, e.WEBHOOK_RETRY_BASE),
      maxAttempts: e.WEBHOOK_RETRY_MAX_ATTEMPTS,
      timeoutMs: e.WEBHOOK_TIMEOUT,
      concurrency: e.WEBHOOK_CONCURRENCY,
    },
    mcp: { allowedOrigins: e.MCP_ALLOWED_ORIGINS, allowedHosts: e.MCP_ALLOWED_HOSTS, issuerUrl: e.MCP_OAUTH_ISSUER_URL },
    oauth: {
      enabled: e.MCP_OAUTH_ENABLED,
      accessTokenTtlMs: e.MCP_OAUTH_ACCESS_TOKEN_TTL,
      refreshTokenTtlMs: e.MCP_OAUTH_REFRESH_TOKEN_TTL,
      allowedRedirectSchemes: e.OAUTH_ALLOWED_REDIRECT_SCHEMES,
    },
  };
}
