// /api/roles — custom role CRUD and a role's permissions; /api/permissions — the catalogue.
import { Hono } from 'hono';
import type { ServiceEnv } from '../../services/env.ts';
import { createRole } from '../../services/roles/create.ts';
import { deleteRole } from '../../services/roles/delete.ts';
import { getRole } from '../../services/roles/get.ts';
import { listPermissions } from '../../services/roles/list-permissions.ts';
import { listRoles } from '../../services/roles/list.ts';
import { getRolePermissions } from '../../services/roles/role-permissions.ts';
import { updateRole } from '../../services/roles/update.ts';
import { readJson } from '../errors.ts';
import { listResponse, queryObject } from '../query.ts';
import type { AppEnv } from '../types.ts';

export function roleRoutes(env: ServiceEnv): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => listResponse(c, await listRoles(env, c.get('caller'), queryObject(c))));
  app.post('/', async (c) => c.json(await createRole(env, c.get('caller'), await readJson(c)), 201));
  app.get('/:id', async (c) => c.json(await getRole(env, c.get('caller'), c.req.param('id'))));
  app.put('/:id', async (c) => c.json(await updateRole(env, c.get('caller'), c.req.param('id'), await readJson(c))));
  app.delete('/:id', async (c) => {
    await deleteRole(env, c.get('caller'), c.req.param('id'));
    return c.body(null, 204);
  });
  app.get('/:id/permissions', async (c) => c.json(await getRolePermissions(env, c.get('caller'), c.req.param('id'))));
  return app;
}

/** Mounted at /api/permissions. */
export function permissionRoutes(env: ServiceEnv): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => listResponse(c, await listPermissions(env, c.get('caller'), queryObject(c))));
  return app;
}
