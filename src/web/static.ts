// Static assets of the server-rendered pages, read once at start-up and served with a strong
// content type (nosniff is on for every response).
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import type { AppEnv } from '../http/types.ts';
import { OAUTH_CSS_PATH } from './html.ts';

const OAUTH_CSS = readFileSync(new URL('./assets/oauth.css', import.meta.url), 'utf8');

export function staticRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get(OAUTH_CSS_PATH, (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(OAUTH_CSS);
  });
  return app;
}
