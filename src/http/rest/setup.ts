// /api/setup — first-run setup, reachable without credentials: GET tells the UI whether the
// database still needs its first administrator; POST creates it with the setup token from the
// server log (on the login rate limit) and signs the new administrator in.
import { Hono } from 'hono';
import { login } from '../../services/auth/login.ts';
import type { ServiceEnv } from '../../services/env.ts';
import { completeSetup, setupNeeded } from '../../services/setup/complete.ts';
import { readJson } from '../errors.ts';
import { setSessionCookie } from '../middleware/authenticate.ts';
import type { AppEnv } from '../types.ts';

export const SETUP_PATH = '/api/setup';

export function setupRoutes(env: ServiceEnv): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', (c) => c.json({ needed: setupNeeded(env) }));
  app.post('/', async (c) => {
    const body = (await readJson(c)) as Record<string, unknown>;
    const user = await completeSetup(env, c.get('caller'), body);
    const session = await login(env, c.get('caller'), { username: user.username, password: body.password }, c.req.header('user-agent') ?? '');
    setSessionCookie(c, session.token, session.expiresAt, env.config.cookieSecure);
    return c.json({ user: session.user, expires_at: session.expiresAt }, 201);
  });
  return app;
}
