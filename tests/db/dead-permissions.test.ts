// Migration 0010 on a database created by the migrations before it: the permissions that guard
// nothing leave every role (built-in and custom) and the catalogue table; every grant of a real
// permission stays exactly as it was.
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { PERMISSIONS } from '../../src/auth/permissions.ts';
import { MIGRATIONS_DIR, openDatabase } from '../../src/db/client.ts';
import { tempDir } from '../helpers/server.ts';

const BEFORE = '0009_search_names';
const DEAD_GROUPS: Record<string, string[]> = {
  conflict: ['list', 'read', 'resolve', 'detect', 'delete'],
  'custom-fields': ['list', 'read', 'create', 'update', 'delete'],
  circuits: ['list', 'read', 'create', 'update', 'delete'],
  nat: ['list', 'read', 'create', 'update', 'delete'],
  'dns-provider': ['list', 'read', 'create', 'update', 'delete', 'test'],
  'dns-zone': ['list', 'read', 'create', 'update', 'delete', 'sync', 'import'],
  dns: ['list', 'read', 'create', 'update', 'delete', 'sync', 'import'],
  logs: ['list', 'read', 'export'],
};
const DEAD = [...Object.entries(DEAD_GROUPS).flatMap(([g, actions]) => actions.map((a) => `${g}:${a}`)), 'apikey:update', 'search:read'];

/** A copy of the shipped migrations that stops after `last`. */
function migrationsUpTo(dir: string, last: string): string {
  const copy = join(dir, 'migrations');
  cpSync(MIGRATIONS_DIR, copy, { recursive: true });
  const file = join(copy, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(file, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag === last);
  assert.ok(at >= 0, `migration ${last} exists`);
  journal.entries = journal.entries.slice(0, at + 1);
  writeFileSync(file, JSON.stringify(journal));
  return copy;
}

describe('migration 0010_drop_dead_permissions', () => {
  const dir = tempDir('rackd-migrate-perms-');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('drops the dead permissions from every role and keeps every other grant', () => {
    const file = join(dir, 'rackd.db');
    const old = openDatabase(file, { migrate: false });
    migrate(old, { migrationsFolder: migrationsUpTo(dir, BEFORE) });
    const db = old.$client;
    // The catalogue as the previous version synced it: the 118 names of Rackd.
    const names = [...PERMISSIONS.map((p) => p.name), ...DEAD];
    assert.equal(names.length, 118);
    const insertPerm = db.prepare("INSERT INTO permissions (id, name, resource, action, description, created_at) VALUES (?, ?, ?, ?, '', '2026-01-01T00:00:00Z')");
    names.forEach((n, i) => insertPerm.run(`p${i}`, n, n.split(':')[0], n.split(':')[1]));
    const insertRole = db.prepare("INSERT INTO roles (id, name, description, is_system, created_at, updated_at) VALUES (?, ?, '', ?, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
    insertRole.run('r-viewer', 'viewer', 1);
    insertRole.run('r-custom', 'netops', 0);
    insertRole.run('r-dead', 'dns-only', 0);
    const grant = db.prepare('INSERT INTO role_permissions (role_id, permission_id) SELECT ?, id FROM permissions WHERE name = ?');
    for (const n of ['device:list', 'device:read', 'search:read', 'dns:read', 'conflict:list', 'dashboard:read']) grant.run('r-viewer', n);
    for (const n of ['network:update', 'apikey:update', 'apikey:create', 'nat:create', 'logs:export', 'webhooks:read', 'audit:export']) grant.run('r-custom', n);
    for (const n of ['dns-zone:sync', 'dns-provider:test']) grant.run('r-dead', n);
    db.prepare("INSERT INTO users (id, username, email, password_hash, created_at, updated_at) VALUES ('u1', 'u', 'u@example.test', 'x', '2026-01-01', '2026-01-01')").run();
    db.prepare("INSERT INTO user_roles (user_id, role_id, created_at) VALUES ('u1', 'r-dead', '2026-01-01')").run();
    old.$client.close();

    const now = openDatabase(file);
    const grants = (role: string) =>
      (now.$client.prepare('SELECT p.name FROM role_permissions rp JOIN permissions p ON p.id = rp.permission_id WHERE rp.role_id = ? ORDER BY p.name').all(role) as { name: string }[]).map((r) => r.name);
    assert.deepEqual(grants('r-viewer'), ['dashboard:read', 'device:list', 'device:read']);
    assert.deepEqual(grants('r-custom'), ['apikey:create', 'audit:export', 'network:update', 'webhooks:read']);
    assert.deepEqual(grants('r-dead'), []);
    // The roles and their members stay; only the grants of dead permissions went.
    assert.equal((now.$client.prepare("SELECT count(*) AS n FROM roles WHERE id IN ('r-viewer', 'r-custom', 'r-dead')").get() as { n: number }).n, 3);
    assert.equal((now.$client.prepare("SELECT count(*) AS n FROM user_roles WHERE role_id = 'r-dead'").get() as { n: number }).n, 1);
    const left = (now.$client.prepare('SELECT name FROM permissions ORDER BY name').all() as { name: string }[]).map((r) => r.name);
    assert.deepEqual(left, PERMISSIONS.map((p) => p.name).sort());
    // Rows of real permissions keep their ids, so nothing that refers to them changed.
    const ids = now.$client.prepare("SELECT id FROM permissions WHERE name = 'device:list'").get() as { id: string };
    assert.equal(ids.id, `p${names.indexOf('device:list')}`);
    now.$client.close();
  });

  it('names exactly the permissions the catalogue no longer has', () => {
    const sql = readFileSync(join(MIGRATIONS_DIR, '0010_drop_dead_permissions.sql'), 'utf8');
    const listed = [...sql.matchAll(/'([a-z-]+:[a-z]+)'/g)].map((m) => m[1]!);
    assert.deepEqual([...new Set(listed)].sort(), [...DEAD].sort());
    for (const p of PERMISSIONS) assert.ok(!DEAD.includes(p.name), `${p.name} is not dead`);
  });
});
