// POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me
import { Hono } from 'hono';
import { getCurrentUser } from '../../services/auth/me.ts';
import { login, logout } from '../../services/auth/login.ts';
import type { ServiceEnv } from '../../services/env.ts';
import { readJson } from '../errors.ts';
import { clearSessionCookie, setSessionCookie } from '../middleware/authenticate.ts';
import type { AppEnv } from '../types.ts';

export function authRoutes(env: ServiceEnv): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/login', async (c) => {
    const body = await readJson(c);
    const result = await login(env, c.get('caller'), body, c.req.header('user-agent') ?? '');
    setSessionCookie(c, result.token, result.expiresAt, env.config.cookieSecure);
    return c.json({ user: result.user, expires_at: result.expiresAt });
  });
  app.post('/logout', async (c) => {
    await logout(env, c.get('caller'));
    clearSessionCookie(c, env.config.cookieSecure);
    return c.body(null, 204);
  });
  app.get('/me', (c) => c.json(getCurrentUser(env, c.get('caller'))));
  return app;
}
