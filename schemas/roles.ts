import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';

export const PermissionSchema = z.object({
  id: IdSchema,
  name: z.string().describe('Permission name, also usable as an OAuth scope, e.g. device:list'),
  resource: z.string(),
  action: z.string(),
  description: z.string(),
});
export type Permission = z.infer<typeof PermissionSchema>;

export const RoleSchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string(),
  is_system: z.boolean(),
  created_at: TimestampSchema,
  updated_at: TimestampSchema,
  permissions: z.array(PermissionSchema).optional(),
});
export type Role = z.infer<typeof RoleSchema>;

const RoleName = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64)
  .regex(/^[A-Za-z0-9._ -]+$/, 'may contain letters, digits, space, dot, underscore and hyphen');

/** Permissions are given by id or by name. */
const PermissionRefs = z.array(z.string().min(1).max(64)).max(500).describe('Permission ids or names');

const RoleDescription = z.string().max(1024).describe('What the role is for');

export const CreateRoleInputSchema = z
  .object({ name: RoleName.describe('Unique role name (case-insensitive)'), description: RoleDescription.optional(), permissions: PermissionRefs.optional() })
  .strict();
// The name is not changeable; `permissions`, when given, replaces the whole set.
export const UpdateRoleInputSchema = z
  .object({ description: RoleDescription.optional(), permissions: PermissionRefs.optional().describe('The complete new permission set (ids or names)') })
  .strict();
export type CreateRoleInput = z.infer<typeof CreateRoleInputSchema>;
export type UpdateRoleInput = z.infer<typeof UpdateRoleInputSchema>;

export const ListRolesInputSchema = z
  .object({
    name: z.string().max(64).optional().describe('Case-insensitive substring of the role name'),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

// The catalogue has 118 entries, so the default page returns all of them.
export const ListPermissionsInputSchema = z
  .object({
    resource: z.string().max(64).optional().describe('Exact resource, e.g. devices'),
    action: z.string().max(64).optional().describe('Exact action, e.g. list'),
    limit: z.coerce.number().int().min(1).max(1000).default(1000),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const RolePermissionsSchema = z
  .object({ role: RoleSchema, permissions: z.array(PermissionSchema) })
  .describe('A role and the permissions it grants');
export type RolePermissions = z.infer<typeof RolePermissionsSchema>;
