// What every request passes through before its route, as one middleware: the request id and
// client IP, the security headers, the general and sensitive rate limits, the body cap, the
// request timeout, closing connections whose body was never read, and the access log.
//
// One function rather than six chained middlewares because each link of Hono's chain is an async
// function, a dispatch closure and a promise per request, and these steps are fixed: nothing
// registers between them. The steps themselves live beside it (request-context.ts,
// security-headers.ts, rate-limit.ts, limits.ts); the order here is the order they take effect.
import type { MiddlewareHandler } from 'hono';
import type { RateLimitStore } from '../../auth/rate-limit-store.ts';
import type { Logger } from '../../platform/logger.ts';
import { onError } from '../errors.ts';
import type { AppEnv } from '../types.ts';
import { bodyLimiter, closeIfBodyUnread, withTimeout } from './limits.ts';
import { rateLimiter, setRateLimitHeaders, type RateLimitOptions, type RateLimitVerdict } from './rate-limit.ts';
import { requestIdentity, type ClientIpOptions } from './request-context.ts';
import { finishSecurityHeaders, startSecurityHeaders } from './security-headers.ts';

export interface EdgeOptions {
  logger: Logger;
  clientIp: ClientIpOptions;
  rateLimitStore: RateLimitStore;
  rateLimit: RateLimitOptions;
  maxBodyBytes: number;
  /** 0 = no timeout. */
  requestTimeoutMs: number;
}

export function edge(opts: EdgeOptions): MiddlewareHandler<AppEnv> {
  const identify = requestIdentity(opts.clientIp);
  const limitRate = rateLimiter(opts.rateLimitStore, opts.rateLimit);
  const limitBody = bodyLimiter(opts.maxBodyBytes);
  const { logger, requestTimeoutMs } = opts;
  return async function edgeMiddleware(c, next) {
    const requestId = identify(c);
    const log = logger.child({ request_id: requestId });
    c.set('log', log);
    const started = log.enabled('debug') ? performance.now() : 0;
    const api = c.req.path.startsWith('/api/');
    const onNode = startSecurityHeaders(c, api);

    let verdict: RateLimitVerdict | undefined;
    try {
      let limited = limitRate(c);
      if (limited instanceof Promise) limited = await limited;
      if (limited instanceof Response) c.res = limited;
      else {
        verdict = limited;
        // On node the budget goes on the response now; otherwise onto the finished Response below.
        if (verdict && onNode) setRateLimitHeaders(c, verdict);
        const run = limitBody(c, next);
        // A 413 from the limiter, or what the chain resolved to (a Response only from hono's
        // bodyLimit; the chain's own answer is already on c.res).
        const answer = run instanceof Response ? run : await (requestTimeoutMs > 0 ? withTimeout(run, requestTimeoutMs) : run);
        if (answer instanceof Response) c.res = answer;
      }
    } catch (err) {
      // The route's own errors were answered inside the chain; what arrives here is this
      // middleware's (the request timeout, an unreachable rate-limit store), answered the same way.
      c.res = onError(err, c);
    }

    closeIfBodyUnread(c);
    if (!onNode) {
      if (verdict) setRateLimitHeaders(c, verdict);
      finishSecurityHeaders(c, api);
      c.res.headers.set('X-Request-Id', requestId);
    }
    if (started) log.debug('request', { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - started) * 10) / 10, ip: c.get('ip') });
  };
}

