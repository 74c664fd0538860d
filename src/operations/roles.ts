// Custom roles and the permission catalogue. Built-in roles (admin, operator, viewer) are defined
// by code and cannot change; a role can only hand out permissions its creator holds.
import { IdInputSchema } from '../../schemas/common.ts';
import { DeletedSchema } from '../../schemas/common.ts';
import {
  CreateRoleInputSchema,
  ListPermissionsInputSchema,
  ListRolesInputSchema,
  PermissionPageSchema,
  RolePageSchema,
  RolePermissionsSchema,
  RoleSchema,
  UpdateRoleInputSchema,
} from '../../schemas/roles.ts';
import { createRole } from '../services/roles/create.ts';
import { deleteRole } from '../services/roles/delete.ts';
import { getRole } from '../services/roles/get.ts';
import { listPermissions } from '../services/roles/list-permissions.ts';
import { listRoles } from '../services/roles/list.ts';
import { getRolePermissions } from '../services/roles/role-permissions.ts';
import { updateRole } from '../services/roles/update.ts';
import { crud, READ } from './crud.ts';
import { defineOperation } from './types.ts';

const role = crud({ entity: 'role', permission: 'role', path: '/api/roles', toolset: 'admin' });

export const roleOperations = [
  role.list({ title: 'List roles', description: 'Roles with their permissions; filter by name substring.', input: ListRolesInputSchema, output: RolePageSchema, run: listRoles }),
  role.create({
    title: 'Create a role',
    description: 'Creates a custom role with permissions given by id or name. You can only hand out permissions you hold.',
    input: CreateRoleInputSchema,
    output: RoleSchema,
    run: createRole,
    http: { requireBody: true },
  }),
  role.get({ title: 'Get a role', description: 'One role by id, with its permissions.', output: RoleSchema, run: getRole }),
  role.update({
    title: 'Update a role',
    description: "Changes a custom role's description and/or replaces its whole permission set (only permissions you hold). System roles cannot change (400 SYSTEM_ROLE).",
    input: UpdateRoleInputSchema,
    output: RoleSchema,
    run: updateRole,
    http: { requireBody: true },
  }),
  role.remove({ title: 'Delete a role', description: 'Deletes a custom role; users holding it lose it. System roles cannot be deleted (400 SYSTEM_ROLE).', output: DeletedSchema, run: deleteRole }),
  defineOperation({
    name: 'role_permissions',
    title: "A role's permissions",
    description: 'A role and the permissions it grants.',
    permission: 'role:read',
    annotations: READ,
    input: IdInputSchema,
    output: RolePermissionsSchema,
    run: getRolePermissions,
    http: { method: 'GET', path: '/api/roles/:id/permissions' },
    toolset: 'admin',
  }),
  defineOperation({
    name: 'permission_list',
    title: 'List permissions',
    description: 'The permission catalogue; names double as OAuth and API-key scopes. Filter by exact resource or action.',
    permission: 'role:list',
    annotations: READ,
    input: ListPermissionsInputSchema,
    output: PermissionPageSchema,
    run: listPermissions,
    http: { method: 'GET', path: '/api/permissions', response: 'items' },
    toolset: 'admin',
  }),
];
