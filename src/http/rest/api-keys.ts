// /api/keys — list, create (the key is returned once), get, delete.
import { Hono } from 'hono';
import { createApiKey } from '../../services/api-keys/create.ts';
import { deleteApiKey } from '../../services/api-keys/delete.ts';
import { getApiKey } from '../../services/api-keys/get.ts';
import { listApiKeys } from '../../services/api-keys/list.ts';
import type { ServiceEnv } from '../../services/env.ts';
import { readJson } from '../errors.ts';
import { listResponse, queryObject } from '../query.ts';
import type { AppEnv } from '../types.ts';

export function apiKeyRoutes(env: ServiceEnv): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => listResponse(c, await listApiKeys(env, c.get('caller'), queryObject(c))));
  app.post('/', async (c) => c.json(await createApiKey(env, c.get('caller'), await readJson(c)), 201));
  app.get('/:id', async (c) => c.json(await getApiKey(env, c.get('caller'), c.req.param('id'))));
  app.delete('/:id', async (c) => {
    await deleteApiKey(env, c.get('caller'), c.req.param('id'));
    return c.body(null, 204);
  });
  return app;
}
