// /api/oauth — OAuth client management (list, register a confidential agent client, delete) and
// the caller's own authorizations (list, revoke one).
import { Hono } from 'hono';
import { listOAuthAuthorizations, revokeOAuthAuthorization } from '../../services/oauth/authorizations.ts';
import { createOAuthClient } from '../../services/oauth/create-client.ts';
import { deleteOAuthClient } from '../../services/oauth/delete-client.ts';
import { listOAuthClients } from '../../services/oauth/list-clients.ts';
import type { ServiceEnv } from '../../services/env.ts';
import { readJson } from '../errors.ts';
import { listResponse, queryObject } from '../query.ts';
import type { AppEnv } from '../types.ts';

export function oauthClientRoutes(env: ServiceEnv): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/clients', async (c) => listResponse(c, await listOAuthClients(env, c.get('caller'), queryObject(c))));
  app.post('/clients', async (c) => c.json(await createOAuthClient(env, c.get('caller'), await readJson(c)), 201));
  app.delete('/clients/:id', async (c) => {
    await deleteOAuthClient(env, c.get('caller'), c.req.param('id'));
    return c.body(null, 204);
  });
  app.get('/authorizations', async (c) => listResponse(c, await listOAuthAuthorizations(env, c.get('caller'))));
  app.delete('/authorizations/:id', async (c) => {
    await revokeOAuthAuthorization(env, c.get('caller'), c.req.param('id'));
    return c.body(null, 204);
  });
  return app;
}
