// GET /api/webhooks/events — the event catalogue, for any authenticated caller (no permission, as
// in Rackd), which is why it is not an operation of the catalogue. Mounted before the catalogue
// routes so that "events" is not taken for a webhook id.
import { Hono } from 'hono';
import { listEventTypes } from '../../services/webhooks/events.ts';
import type { AppEnv } from '../types.ts';

export function webhookEventRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/events', (c) => {
    const types = listEventTypes(c.get('caller'));
    c.header('X-Total-Count', String(types.length));
    return c.json(types);
  });
  return app;
}
