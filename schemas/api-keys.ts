import { z } from 'zod';
import { IdSchema, LimitSchema, OffsetSchema, OptionalTimestampInput, TimestampSchema } from './common.ts';
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
});
export type ApiKey = z.infer<typeof ApiKeySchema>;
export const ApiKeyPageSchema = listOutput(ApiKeySchema);

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().describe('The secret key. Shown once; only its SHA-256 is stored.'),
});

export const CreateApiKeyInputSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(255).describe('Name of the key'),
    description: z.string().max(4096).optional().describe('What the key is for'),
    expires_at: OptionalTimestampInput.optional().describe('When it stops working (RFC 3339, in the future); omit for never'),
  })
  .strict();

export const ListApiKeysInputSchema = z
  .object({
    name: z.string().max(255).optional().describe('Case-insensitive substring of the name'),
    limit: LimitSchema,
    offset: OffsetSchema,
  })
  .strict();
