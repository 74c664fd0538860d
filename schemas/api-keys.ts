import { z } from 'zod';
import { displayText, IdSchema, LimitSchema, OffsetSchema, plainText, TimestampInput, TimestampSchema } from './common.ts';
import { listOutput } from './paging.ts';

export const ApiKeySchema = z.object({
  id: IdSchema,
  name: z.string().describe('Name of the key'),
  description: z.string().describe('What the key is for'),
  prefix: z.string().describe('The first characters of the key, to recognise it'),
  user_id: IdSchema.nullable().describe('The user the key acts as'),
  created_at: TimestampSchema,
  last_used_at: TimestampSchema.nullable().describe('Last request made with it (updated at most once a minute)'),
  expires_at: TimestampSchema.nullable().describe('When it stops working; null for never'),
  scopes: z.array(z.string()).nullable().describe("Scopes the key is narrowed to (it acts with the owner's permissions ∩ these); null: all of the owner's permissions"),
  created_by: IdSchema.nullable().describe('The administrator who created the key for its owner (a service account); null when the owner did'),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;
export const ApiKeyPageSchema = listOutput(ApiKeySchema);

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().describe('The secret key. Shown once; only its SHA-256 is stored.'),
});

export const CreateApiKeyInputSchema = z
  .object({
    name: displayText().trim().min(1, 'is required').max(255).describe('Name of the key'),
    description: plainText().max(4096).optional().describe('What the key is for'),
    expires_at: TimestampInput.optional().describe('When it stops working (RFC 3339, in the future); omit for never'),
    scopes: z
      .array(z.string().max(64))
      .min(1)
      .max(100)
      .optional()
      .describe("Narrow the key to these scopes: rackd:read (read-only), rackd:write, rackd:admin or single permission names; omit for all of the owner's permissions"),
    user_id: IdSchema.optional().describe('Create the key for this user (a service account) instead of yourself; administrators only'),
  })
  .strict();

export const ListApiKeysInputSchema = z
  .object({
    name: z.string().max(255).optional().describe('Case-insensitive substring of the name'),
    limit: LimitSchema,
    offset: OffsetSchema,
  })
  .strict();
