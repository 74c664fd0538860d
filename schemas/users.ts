import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';

const Username = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, 'may contain letters, digits, dot, underscore, @ and hyphen')
  .describe('Login name (unique, case-insensitive)');
// Deliberately loose: local addresses such as admin@localhost are valid here.
const Email = z.string().trim().max(254).regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address').describe('Email address (unique)');
const FullName = z.string().trim().max(255).describe('Display name');
const Password = z.string().describe('Password: at least 12 characters, at most 72 bytes');

export const RoleRefSchema = z.object({ id: IdSchema, name: z.string(), description: z.string(), is_system: z.boolean() });

export const UserSchema = z
  .object({
    id: IdSchema,
    username: z.string(),
    email: z.string(),
    full_name: z.string(),
    is_active: z.boolean(),
    is_admin: z.boolean(),
    last_login_at: TimestampSchema.nullable(),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
    roles: z.array(RoleRefSchema).optional(),
  })
  .describe('A user account (never includes the password hash)');
export type User = z.infer<typeof UserSchema>;

export const CurrentUserSchema = UserSchema.extend({
  roles: z.array(RoleRefSchema),
  permissions: z.array(z.string()).describe('Effective permission names'),
});
export type CurrentUser = z.infer<typeof CurrentUserSchema>;

export const CreateUserInputSchema = z
  .object({
    username: Username,
    email: Email,
    full_name: FullName.optional(),
    password: Password,
    is_admin: z.boolean().optional(),
    role_id: IdSchema.optional().describe('A role to grant on creation'),
  })
  .strict();
export type CreateUserInput = z.infer<typeof CreateUserInputSchema>;

export const UpdateUserInputSchema = z
  .object({
    username: Username.optional(),
    email: Email.optional(),
    full_name: FullName.optional(),
    is_active: z.boolean().optional(),
    is_admin: z.boolean().optional(),
  })
  .strict();
export type UpdateUserInput = z.infer<typeof UpdateUserInputSchema>;

export const ListUsersInputSchema = z
  .object({
    username: z.string().max(64).optional(),
    email: z.string().max(254).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
export type ListUsersInput = z.infer<typeof ListUsersInputSchema>;

export const ChangePasswordInputSchema = z
  .object({
    old_password: z.string().max(1024).optional().describe('The current password; required when changing your own'),
    new_password: Password,
  })
  .strict();
export type ChangePasswordInput = z.infer<typeof ChangePasswordInputSchema>;
export const ResetPasswordInputSchema = z.object({ new_password: Password }).strict();
export type ResetPasswordInput = z.infer<typeof ResetPasswordInputSchema>;
export const RoleGrantInputSchema = z
  .object({ user_id: IdSchema.describe('The user'), role_id: IdSchema.describe('The role to grant or revoke') })
  .strict();
export type RoleGrantInput = z.infer<typeof RoleGrantInputSchema>;

export const LoginInputSchema = z
  .object({ username: z.string().max(256), password: z.string().max(1024) })
  .strict();
export const LoginResultSchema = z.object({ user: CurrentUserSchema, expires_at: TimestampSchema });
