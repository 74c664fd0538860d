// User administration. Passwords never travel through MCP (a tool call's arguments end up in a
// model's context), so creating users and setting passwords are REST only.
import { NoOutputSchema } from '../../schemas/common.ts';
import { DeletedSchema } from '../../schemas/common.ts';
import { PermissionPageSchema, RolePageSchema } from '../../schemas/roles.ts';
import {
  ChangePasswordInputSchema,
  CreateUserInputSchema,
  GrantResultSchema,
  ListUsersInputSchema,
  ResetPasswordInputSchema,
  RevokeResultSchema,
  RoleGrantInputSchema,
  UpdateUserInputSchema,
  UserPageSchema,
  UserSchema,
} from '../../schemas/users.ts';
import { changePassword } from '../services/users/change-password.ts';
import { createUser } from '../services/users/create.ts';
import { deleteUser } from '../services/users/delete.ts';
import { getUser } from '../services/users/get.ts';
import { grantRole } from '../services/users/grant-role.ts';
import { listUsers } from '../services/users/list.ts';
import { listPermissionsOfUser } from '../services/users/permissions-of-user.ts';
import { resetPassword } from '../services/users/reset-password.ts';
import { revokeRole } from '../services/users/revoke-role.ts';
import { listRolesOfUser } from '../services/users/roles-of-user.ts';
import { updateUser } from '../services/users/update.ts';
import { crud, READ, WRITE } from './crud.ts';
import { defineOperation } from './types.ts';
import { IdInputSchema } from '../../schemas/common.ts';

const user = crud({ entity: 'user', permission: 'user', path: '/api/users', toolset: 'admin' });
const ADMIN_RULE = ' Administrators, or granting a system role, need administrator rights.';

export const userOperations = [
  user.list({
    title: 'List users',
    description: 'Users sorted by username; filter by username or email substring.',
    input: ListUsersInputSchema,
    output: UserPageSchema,
    run: listUsers,
  }),
  defineOperation({
    name: 'user_create',
    title: 'Create a user',
    description: `Creates a user (password at least 12 characters), optionally granting one role.${ADMIN_RULE}`,
    permission: 'user:create',
    annotations: WRITE,
    input: CreateUserInputSchema,
    output: UserSchema,
    run: createUser,
    http: { method: 'POST', path: '/api/users', status: 201, requireBody: true },
  }),
  user.get({ title: 'Get a user', description: 'One user by id, with roles.', output: UserSchema, run: getUser }),
  user.update({
    title: 'Update a user',
    description:
      'Partial update of a user. Your own username, email and full name need no permission (never your own is_active or is_admin); others need user:update, and administrator rights for administrators or is_admin. Deactivating ends the user\'s sessions.',
    input: UpdateUserInputSchema,
    output: UserSchema,
    run: updateUser,
    http: { requireBody: true },
  }),
  user.remove({
    title: 'Delete a user',
    description: 'Deletes a user with their keys and ends their sessions. You cannot delete yourself (400 CANNOT_DELETE_SELF) or the last administrator.',
    output: DeletedSchema,
    run: deleteUser,
  }),
  defineOperation({
    name: 'user_change_password',
    title: 'Change a password',
    description: "Your own password (old_password required, no permission) or another user's (user:update). Every session of the user ends.",
    permission: 'user:update',
    annotations: WRITE,
    input: ChangePasswordInputSchema,
    output: NoOutputSchema,
    run: changePassword,
    http: { method: 'POST', path: '/api/users/:id/password', status: 204, requireBody: true },
  }),
  defineOperation({
    name: 'user_reset_password',
    title: 'Reset a password',
    description: 'Sets a new password for another user without the old one. Every session of the user ends.',
    permission: 'user:update',
    annotations: WRITE,
    input: ResetPasswordInputSchema,
    output: NoOutputSchema,
    run: resetPassword,
    http: { method: 'POST', path: '/api/users/:id/reset-password', status: 204, requireBody: true },
  }),
  defineOperation({
    name: 'user_grant_role',
    title: 'Grant a role',
    description: `Grants a role to a user (created false when they already held it; REST answers 201 or 200). A custom role only if you hold all its permissions.${ADMIN_RULE}`,
    permission: 'role:update',
    annotations: { readOnly: false, destructive: false, idempotent: true },
    input: RoleGrantInputSchema,
    output: GrantResultSchema,
    run: grantRole,
    http: { method: 'POST', path: '/api/users/grant-role', status: 201, unchangedStatus: 200, response: 'empty', requireBody: true },
    toolset: 'admin',
  }),
  defineOperation({
    name: 'user_revoke_role',
    title: 'Revoke a role',
    description: 'Revokes a role from a user (revoked false when they did not hold it). System roles need administrator rights; the last administrator keeps theirs.',
    permission: 'role:update',
    annotations: { readOnly: false, destructive: true, idempotent: true },
    input: RoleGrantInputSchema,
    output: RevokeResultSchema,
    run: revokeRole,
    http: { method: 'POST', path: '/api/users/revoke-role', status: 204, requireBody: true },
    toolset: 'admin',
  }),
  defineOperation({
    name: 'user_roles',
    title: "A user's roles",
    description: 'The roles granted to a user, with their permissions.',
    permission: { allOf: ['role:list', 'user:read'] },
    annotations: READ,
    input: IdInputSchema,
    output: RolePageSchema,
    run: listRolesOfUser,
    http: { method: 'GET', path: '/api/users/:id/roles', response: 'items' },
    toolset: 'admin',
  }),
  defineOperation({
    name: 'user_permissions',
    title: "A user's permissions",
    description: "The union of the permissions of a user's roles.",
    permission: { allOf: ['role:list', 'user:read'] },
    annotations: READ,
    input: IdInputSchema,
    output: PermissionPageSchema,
    run: listPermissionsOfUser,
    http: { method: 'GET', path: '/api/users/:id/permissions', response: 'items' },
    toolset: 'admin',
  }),
];
