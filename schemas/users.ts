import { z } from 'zod';
import { displayText, IdSchema, LimitSchema, OffsetSchema, TimestampSchema } from './common.ts';
import { listOutput } from './paging.ts';

const Username = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(64)
  .regex(/^[A-Za-z0-9._@-]+$/, 'may contain letters, digits, dot, underscore, @ and hyphen')
  .describe('Login name (unique, case-insensitive)');
// Deliberately loose: local addresses such as admin@localhost are valid here.
const Email = z.string().trim().max(254).regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address').describe('Email address (unique)');
const FullName = displayText().trim().max(255).describe('Display name');
const Password = z.string().describe('Password: at least 12 characters, at most 72 bytes');

export const RoleRefSchema = z.object({ id: IdSchema, name: z.string().describe('Role name'), description: z.string().describe('What the role is for'), is_system: z.boolean().describe('Built-in role (admin, operator, viewer)') });

export const UserSchema = z
  .object({
    id: IdSchema,
    username: z.string().describe('Login name'),
    email: z.string().describe('Email address'),
    full_name: z.string().describe('Display name'),
    is_active: z.boolean().describe('False: the account cannot sign in and its credentials are refused'),
    is_admin: z.boolean().describe('Holds the admin role'),
    last_login_at: TimestampSchema.nullable().describe('Last password sign-in'),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
    roles: z.array(RoleRefSchema).optional().describe('Roles granted to the user'),
  })
  .describe('A user account (never includes the password hash)');
export type User = z.infer<typeof UserSchema>;
export const UserPageSchema = listOutput(UserSchema);

export const CurrentUserSchema = UserSchema.extend({
  roles: z.array(RoleRefSchema).describe('Roles granted to the user'),
  permissions: z.array(z.string()).describe('Effective permission names (a key or token: narrowed to its scopes)'),
});
export type CurrentUser = z.infer<typeof CurrentUserSchema>;

export const CreateUserInputSchema = z
  .object({
    username: Username,
    email: Email,
    full_name: FullName.optional(),
    password: Password,
    is_admin: z.boolean().optional().describe('Create an administrator (needs administrator rights)'),
    role_id: IdSchema.optional().describe('A role to grant on creation'),
  })
  .strict();
export type CreateUserInput = z.infer<typeof CreateUserInputSchema>;

const UserId = IdSchema.describe('The user');

export const UpdateUserInputSchema = z
  .object({
    id: UserId,
    username: Username.optional(),
    email: Email.optional(),
    full_name: FullName.optional(),
    is_active: z.boolean().optional().describe('false deactivates the account and ends its sessions (not your own)'),
    is_admin: z.boolean().optional().describe('Grant or take the admin role (administrators only; not your own)'),
  })
  .strict();
export type UpdateUserInput = z.infer<typeof UpdateUserInputSchema>;

export const ListUsersInputSchema = z
  .object({
    username: z.string().max(64).optional().describe('Case-insensitive substring of the username'),
    email: z.string().max(254).optional().describe('Case-insensitive substring of the email address'),
    limit: LimitSchema,
    offset: OffsetSchema,
  })
  .strict();
export type ListUsersInput = z.infer<typeof ListUsersInputSchema>;

export const ChangePasswordInputSchema = z
  .object({
    id: UserId,
    old_password: z.string().max(1024).optional().describe('The current password; required when changing your own'),
    new_password: Password,
  })
  .strict();
export type ChangePasswordInput = z.infer<typeof ChangePasswordInputSchema>;
export const ResetPasswordInputSchema = z.object({ id: UserId, new_password: Password }).strict();
export type ResetPasswordInput = z.infer<typeof ResetPasswordInputSchema>;
export const RoleGrantInputSchema = z
  .object({ user_id: IdSchema.describe('The user'), role_id: IdSchema.describe('The role to grant or revoke') })
  .strict();
export type RoleGrantInput = z.infer<typeof RoleGrantInputSchema>;
export const GrantResultSchema = z.object({ created: z.boolean().describe('False when the user already held the role') });
export const RevokeResultSchema = z.object({ revoked: z.boolean().describe('False when the user did not hold the role') });

export const LoginInputSchema = z
  .object({ username: z.string().max(256).describe('Login name'), password: z.string().max(1024).describe('Password') })
  .strict();
export const LoginResultSchema = z.object({ user: CurrentUserSchema, expires_at: TimestampSchema.describe('When the session ends unless it is used (sliding)') });
