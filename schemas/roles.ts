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

export const CreateRoleInputSchema = z
  .object({ name: RoleName, description: z.string().max(1024).optional(), permissions: PermissionRefs.optional() })
  .strict();
export const UpdateRoleInputSchema = z
  .object({ description: z.string().max(1024).optional(), permissions: PermissionRefs.optional() })
  .strict();
