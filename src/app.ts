// createApp(deps): composes every surface. No logic lives here.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { timeout } from 'hono/timeout';
import type { RateLimitStore } from './auth/rate-limit-store.ts';
import { AppError } from './platform/errors.ts';
import { errorResponse, onError } from './http/errors.ts';
import { healthRoutes, type ReadinessCheck } from './http/health.ts';
import { authenticate } from './http/middleware/authenticate.ts';
import { rateLimit } from './http/middleware/rate-limit.ts';
import { requestContext } from './http/middleware/request-context.ts';
import { securityHeaders } from './http/middleware/security-headers.ts';
import { apiKeyRoutes } from './http/rest/api-keys.ts';
import { authRoutes } from './http/rest/auth.ts';
import type { AppEnv } from './http/types.ts';
import type { ServiceEnv } from './services/env.ts';

export const MAX_BODY_BYTES = 1024 * 1024;

export interface AppDeps {
  env: ServiceEnv;
  rateLimitStore: RateLimitStore;
  readiness: Record<string, ReadinessCheck>;
}

export function createApp(deps: AppDeps): Hono<AppEnv> {
  const { env } = deps;
  const { config } = env;
  const app = new Hono<AppEnv>();
  app.onError(onError);
  app.notFound((c) => errorResponse(c, new AppError('NOT_FOUND', 'Not found')));

  app.use('*', requestContext(env.logger, { trustProxy: config.trustProxy, trustedProxies: config.trustedProxies }));
  app.use('*', securityHeaders());
  if (config.requestTimeoutMs > 0) {
    app.use(
      '*',
      timeout(config.requestTimeoutMs, () => new AppError('REQUEST_TIMEOUT', 'Request timeout') as never),
    );
  }
  app.use('*', rateLimit(deps.rateLimitStore, config.rateLimit));
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => errorResponse(c as never, new AppError('PAYLOAD_TOO_LARGE', 'Request body exceeds 1 MiB')),
    }),
  );

  app.route('/', healthRoutes(deps.readiness));

  app.use('/api/*', authenticate(env, { publicPaths: new Set(['/api/auth/login']) }));
  app.route('/api/auth', authRoutes(env));
  app.route('/api/keys', apiKeyRoutes(env));
  return app;
}
