// Permissions are a typed union derived from the catalogue: `npx tsc --noEmit` (run by CI) fails
// on a misspelt name, because each @ts-expect-error below must meet a type error or be an error
// itself. The runtime half checks that the names the type allows are the catalogue's.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasPermission, requirePermission, systemContext } from '../../src/auth/context.ts';
import { isPermission, PERMISSIONS, SYSTEM_ROLES, type Permission } from '../../src/auth/permissions.ts';
import { OPERATIONS } from '../../src/operations/index.ts';
import { defineOperation, permissionsOf } from '../../src/operations/types.ts';
import { IdInputSchema } from '../../schemas/common.ts';

// Never called: only the type checker reads these.
export function typoesDoNotCompile(): void {
  const ctx = systemContext('types');
  // @ts-expect-error 'device:lsit' is not a permission
  requirePermission(ctx, 'device:lsit');
  // @ts-expect-error 'search:read' guarded nothing and left the catalogue
  hasPermission(ctx, 'search:read');
  // @ts-expect-error a descriptor cannot name an unknown permission
  const bad: Permission = 'dns:read';
  void bad;
  defineOperation({
    name: 'typed_example',
    title: 'Typed',
    description: 'An operation whose permission must be a Permission.',
    // @ts-expect-error misspelt group
    permission: 'devices:read',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: IdInputSchema,
    output: IdInputSchema,
    run: async (_env, _ctx, input) => input,
  });
}

describe('typed permissions', () => {
  it('isPermission narrows exactly to the catalogue', () => {
    for (const p of PERMISSIONS) assert.ok(isPermission(p.name));
    for (const name of ['device:lsit', 'search:read', 'apikey:update', 'dns:read', 'logs:list', '']) assert.ok(!isPermission(name), name);
  });

  it('built-in roles hold only catalogue permissions, admin all of them', () => {
    for (const role of SYSTEM_ROLES) for (const p of role.permissions) assert.ok(isPermission(p), `${role.name}: ${p}`);
    assert.equal(SYSTEM_ROLES.find((r) => r.name === 'admin')!.permissions.length, PERMISSIONS.length);
  });

  it('every permission guards an operation of the catalogue (none is dead)', () => {
    const used = new Set(OPERATIONS.flatMap((op) => permissionsOf(op)));
    assert.deepEqual(PERMISSIONS.map((p) => p.name).filter((p) => !used.has(p)), []);
  });
});
