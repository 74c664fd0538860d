// Fixed-window rate-limit counters behind a small interface: in-process (default) or Valkey,
// so that several rackd processes behind a load balancer share one budget per client.
import type { Redis } from 'iovalkey';
import { AppError } from '../platform/errors.ts';

export interface RateLimitHit {
  count: number;
  /** Epoch milliseconds at which the current window ends. */
  resetAt: number;
}

export interface RateLimitStore {
  readonly kind: 'memory' | 'valkey';
  /** The in-process store answers at once (no promise on every request); Valkey answers later. */
  hit(key: string, windowMs: number): RateLimitHit | Promise<RateLimitHit>;
}

export function createMemoryRateLimitStore(now: () => number = Date.now): RateLimitStore & { size(): number } {
  const buckets = new Map<string, RateLimitHit>();
  let nextPurge = 0;
  return {
    kind: 'memory',
    hit(key, windowMs) {
      const t = now();
      if (t >= nextPurge) {
        for (const [k, b] of buckets) if (b.resetAt <= t) buckets.delete(k);
        nextPurge = t + windowMs;
      }
      let b = buckets.get(key);
      if (!b || b.resetAt <= t) {
        b = { count: 0, resetAt: t + windowMs };
        buckets.set(key, b);
      }
      b.count += 1;
      return { ...b };
    },
    size: () => buckets.size,
  };
}

const HIT_SCRIPT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
`;

export function createValkeyRateLimitStore(redis: Redis): RateLimitStore {
  return {
    kind: 'valkey',
    async hit(key, windowMs) {
      const [count, ttl] = (await redis.eval(HIT_SCRIPT, 1, `rackd:ratelimit:${key}`, String(windowMs)).catch((err: unknown) => {
        // Fail closed, as 503: without its counters the limiter cannot tell who is over budget.
        throw new AppError('SERVICE_UNAVAILABLE', 'Rate-limit store unavailable', { cause: err });
      })) as [number, number];
      return { count: Number(count), resetAt: Date.now() + Number(ttl) };
    },
  };
}
