// /healthz (liveness) and /readyz (database, and Valkey when configured); no authentication.
import { Hono } from 'hono';
import type { AppEnv } from './types.ts';

export type ReadinessCheck = () => Promise<void> | void;

export function healthRoutes(checks: Record<string, ReadinessCheck>): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/healthz', (c) => c.text('ok'));
  app.get('/readyz', async (c) => {
    const results: Record<string, string> = {};
    let ready = true;
    for (const [name, check] of Object.entries(checks)) {
      try {
        await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())]);
        results[name] = 'ok';
      } catch (err) {
        ready = false;
        c.get('log').warn('readiness check failed', { check: name, err: String((err as Error)?.message ?? err) });
        results[name] = 'unavailable';
      }
    }
    return c.json({ status: ready ? 'ready' : 'not_ready', checks: results }, ready ? 200 : 503);
  });
  return app;
}
