// /api/users — CRUD, password change/reset, role grants and a user's roles and permissions.
import { Hono } from 'hono';
import type { ServiceEnv } from '../../services/env.ts';
import { changePassword } from '../../services/users/change-password.ts';
import { createUser } from '../../services/users/create.ts';
import { deleteUser } from '../../services/users/delete.ts';
import { getUser } from '../../services/users/get.ts';
import { grantRole } from '../../services/users/grant-role.ts';
import { listUsers } from '../../services/users/list.ts';
import { listPermissionsOfUser } from '../../services/users/permissions-of-user.ts';
import { resetPassword } from '../../services/users/reset-password.ts';
import { revokeRole } from '../../services/users/revoke-role.ts';
import { listRolesOfUser } from '../../services/users/roles-of-user.ts';
import { updateUser } from '../../services/users/update.ts';
import { readJson } from '../errors.ts';
import { listResponse, queryObject } from '../query.ts';
import type { AppEnv } from '../types.ts';

export function userRoutes(env: ServiceEnv): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', async (c) => listResponse(c, await listUsers(env, c.get('caller'), queryObject(c))));
  app.post('/', async (c) => c.json(await createUser(env, c.get('caller'), await readJson(c)), 201));
  // Granting a role already held answers 200 instead of 201: idempotent, nothing was created.
  app.post('/grant-role', async (c) => c.body(null, (await grantRole(env, c.get('caller'), await readJson(c))).created ? 201 : 200));
  app.post('/revoke-role', async (c) => {
    await revokeRole(env, c.get('caller'), await readJson(c));
    return c.body(null, 204);
  });
  app.get('/:id', async (c) => c.json(await getUser(env, c.get('caller'), c.req.param('id'))));
  app.put('/:id', async (c) => c.json(await updateUser(env, c.get('caller'), c.req.param('id'), await readJson(c))));
  app.delete('/:id', async (c) => {
    await deleteUser(env, c.get('caller'), c.req.param('id'));
    return c.body(null, 204);
  });
  app.post('/:id/password', async (c) => {
    await changePassword(env, c.get('caller'), c.req.param('id'), await readJson(c));
    return c.body(null, 204);
  });
  app.post('/:id/reset-password', async (c) => {
    await resetPassword(env, c.get('caller'), c.req.param('id'), await readJson(c));
    return c.body(null, 204);
  });
  app.get('/:id/roles', async (c) => listResponse(c, await listRolesOfUser(env, c.get('caller'), c.req.param('id'))));
  app.get('/:id/permissions', async (c) => listResponse(c, await listPermissionsOfUser(env, c.get('caller'), c.req.param('id'))));
  return app;
}
