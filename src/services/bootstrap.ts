// Start-up work on the database: keep the permission catalogue and the built-in roles exactly as
// the code defines them, seed the "Default" datacenter once, make the first admin from
// INITIAL_ADMIN_*, or say how to make one.
import { and, count, eq, notInArray } from 'drizzle-orm';
import { PERMISSIONS, SYSTEM_ROLES } from '../auth/permissions.ts';
import { datacenters, permissions, rolePermissions, roles, users } from '../db/schema/index.ts';
import { newId } from '../platform/ids.ts';
import type { ServiceEnv } from './env.ts';
import { createUser } from './users/create.ts';
import { systemContext } from '../auth/context.ts';
import { audited } from './audit/record.ts';
import { getAppState, setAppState } from './app-state.ts';
import { insertDatacenter, toDatacenter } from './datacenters/internal.ts';
import { issueSetupToken } from './setup/tokens.ts';
import { syncWrite } from '../db/sync-write.ts';

export async function syncPermissionCatalogue(env: ServiceEnv): Promise<void> {
  const now = env.clock.now().toISOString();
  await syncWrite(env, (tx) => {
      const existing = new Map(tx.select().from(permissions).all().map((p) => [p.name, p]));
      for (const p of PERMISSIONS) {
        const row = existing.get(p.name);
        if (!row) {
          tx.insert(permissions).values({ id: newId(), ...p, createdAt: now }).run();
        } else if (row.description !== p.description || row.resource !== p.resource || row.action !== p.action) {
          tx.update(permissions).set({ description: p.description, resource: p.resource, action: p.action }).where(eq(permissions.id, row.id)).run();
        }
      }
      const names = PERMISSIONS.map((p) => p.name);
      tx.delete(permissions).where(notInArray(permissions.name, names)).run();
      const ids = new Map(tx.select().from(permissions).all().map((p) => [p.name, p.id]));
      for (const def of SYSTEM_ROLES) {
        let role = tx.select().from(roles).where(eq(roles.name, def.name)).get();
        if (!role) {
          role = { id: newId(), name: def.name, description: def.description, isSystem: true, createdAt: now, updatedAt: now };
          tx.insert(roles).values(role).run();
        } else if (!role.isSystem || role.description !== def.description) {
          tx.update(roles).set({ isSystem: true, description: def.description, updatedAt: now }).where(eq(roles.id, role.id)).run();
        }
        const want = new Set(def.permissions.map((n) => ids.get(n)!));
        const have = new Set(
          tx.select({ id: rolePermissions.permissionId }).from(rolePermissions).where(eq(rolePermissions.roleId, role.id)).all().map((r) => r.id),
        );
        for (const id of want) if (!have.has(id)) tx.insert(rolePermissions).values({ roleId: role.id, permissionId: id }).run();
        for (const id of have) {
          if (!want.has(id)) tx.delete(rolePermissions).where(and(eq(rolePermissions.roleId, role.id), eq(rolePermissions.permissionId, id))).run();
        }
      }
    });
}

const DEFAULT_DC_SEED = 'seed.default_datacenter';

/**
 * Creates the "Default" datacenter (Rackd's name and description) when the database has never
 * been seeded and has no datacenter. It happens once per database: the seed is remembered in
 * app_state, so an operator who deletes or renames it is not overruled at the next start (unlike
 * Rackd, which re-creates it whenever the table is empty). Returns whether it created one.
 */
export async function seedDefaultDatacenter(env: ServiceEnv): Promise<boolean> {
  if (getAppState(env.db, DEFAULT_DC_SEED) !== undefined) return false;
  return audited(env, systemContext('bootstrap'), { action: 'datacenter.create', resource: 'datacenter' }, (audit) =>
    syncWrite(env, (tx) => {
        const now = env.clock.now().toISOString();
        // Re-checked under the write lock: another process on the same DATA_DIR may have seeded it.
        if (getAppState(tx, DEFAULT_DC_SEED) !== undefined) return false;
        setAppState(tx, DEFAULT_DC_SEED, now, now);
        if (tx.select({ n: count() }).from(datacenters).get()!.n > 0) return false;
        const row = insertDatacenter(tx, now, { name: 'Default', description: 'Default datacenter' });
        audit.record(tx, { resourceId: row.id, after: toDatacenter(row) });
        env.logger.info('created the "Default" datacenter on the new database', { id: row.id });
        return true;
      }),
  );
}

export const userCount = (env: ServiceEnv): number => env.db.select({ n: count() }).from(users).get()!.n;

export async function bootstrapInitialAdmin(env: ServiceEnv): Promise<void> {
  if (userCount(env) > 0) return;
  const a = env.config.initialAdmin;
  if (a.username && a.password) {
    const adminRole = env.db.select().from(roles).where(eq(roles.name, 'admin')).get()!;
    const user = await createUser(env, systemContext('bootstrap'), {
      username: a.username,
      email: a.email,
      full_name: a.fullName,
      password: a.password,
      is_admin: true,
      role_id: adminRole.id,
    });
    env.logger.info('created the initial admin user from INITIAL_ADMIN_USERNAME', { username: user.username });
    return;
  }
  // No user and no INITIAL_ADMIN_*: the web UI's /setup page creates the first admin with this
  // one-time token (only its hash is stored; every start prints a new one).
  const token = await issueSetupToken(env);
  const origin = env.config.mcp.issuerUrl || `http://localhost:${env.config.listen.port}`;
  env.logger.warn(
    `no users exist yet. Open ${origin}/setup and enter this one-time setup token to create the first administrator: ${token} ` +
      '(it works until an administrator exists, for 24 hours at most). Or restart with INITIAL_ADMIN_USERNAME and ' +
      'INITIAL_ADMIN_PASSWORD (at least 12 characters) set, or create one offline with: ' +
      `rackd user create --data-dir ${env.config.dataDir} --username admin --email admin@example.com --role admin ` +
      '(the password is prompted for, or read from stdin)',
    { setup_url: `${origin}/setup` },
  );
}
