import { z } from 'zod';
import { IdSchema, LimitSchema, OffsetSchema, plainText, TimestampSchema } from './common.ts';
import { listOutput } from './paging.ts';

export const PermissionSchema = z.object({
  id: IdSchema,
  name: z.string().describe('Permission name, also usable as an OAuth or API-key scope, e.g. device:list'),
  resource: z.string().describe('Resource, e.g. devices'),
  action: z.string().describe('Action, e.g. list'),
  description: z.string().describe('What it allows'),
});
export type Permission = z.infer<typeof PermissionSchema>;
export const PermissionPageSchema = listOutput(PermissionSchema);

export const RoleSchema = z.object({
  id: IdSchema,
  name: z.string().describe('Role name'),
  description: z.string().describe('What the role is for'),
  is_system: z.boolean().describe('Built-in role: cannot be changed or deleted'),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  permissions: z.array(PermissionSchema).optional().describe('Permissions the role grants'),
});
export type Role = z.infer<typeof RoleSchema>;
export const RolePageSchema = listOutput(RoleSchema);

const RoleName = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64)
  .regex(/^[A-Za-z0-9._ -]+$/, 'may contain letters, digits, space, dot, underscore and hyphen');

/** Permissions are given by id or by name. */
const PermissionRefs = z.array(z.string().min(1).max(64)).max(500).describe('Permission ids or names');

const RoleDescription = plainText().max(1024).describe('What the role is for');

export const CreateRoleInputSchema = z
  .object({ name: RoleName.describe('Unique role name (case-insensitive)'), description: RoleDescription.optional(), permissions: PermissionRefs.optional() })
  .strict();
// The name is not changeable; `permissions`, when given, replaces the whole set.
export const UpdateRoleInputSchema = z
  .object({ id: IdSchema.describe('The role'), description: RoleDescription.optional(), permissions: PermissionRefs.optional().describe('The complete new permission set (ids or names)') })
  .strict();
export type CreateRoleInput = z.infer<typeof CreateRoleInputSchema>;
export type UpdateRoleInput = z.infer<typeof UpdateRoleInputSchema>;

export const ListRolesInputSchema = z
  .object({
    name: z.string().max(64).optional().describe('Case-insensitive substring of the role name'),
    limit: LimitSchema,
    offset: OffsetSchema,
  })
  .strict();

// The default page holds the whole catalogue.
export const ListPermissionsInputSchema = z
  .object({
    resource: z.string().max(64).optional().describe('Exact resource, e.g. devices'),
    action: z.string().max(64).optional().describe('Exact action, e.g. list'),
    limit: LimitSchema.default(1000).describe('Maximum number of items to return (1–1000, default all)'),
    offset: OffsetSchema,
  })
  .strict();

export const RolePermissionsSchema = z
  .object({ role: RoleSchema, permissions: z.array(PermissionSchema).describe('Permissions the role grants') })
  .describe('A role and the permissions it grants');
export type RolePermissions = z.infer<typeof RolePermissionsSchema>;
