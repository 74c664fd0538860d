import { z } from 'zod';
import { IdSchema, OptionalTimestampInput, TimestampSchema } from './common.ts';

export const ApiKeySchema = z.object({
  id: IdSchema,
  name: z.string(),
  description: z.string(),
  prefix: z.string().describe('The first characters of the key, to recognise it'),
  user_id: IdSchema.nullable(),
  created_at: TimestampSchema,
  last_used_at: TimestampSchema.nullable(),
  expires_at: TimestampSchema.nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const CreatedApiKeySchema = ApiKeySchema.extend({
  key: z.string().describe('The secret key. Shown once; only its SHA-256 is stored.'),
});

export const CreateApiKeyInputSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(255),
    description: z.string().max(4096).optional(),
    expires_at: OptionalTimestampInput.optional(),
  })
  .strict();

export const ListApiKeysInputSchema = z
  .object({
    name: z.string().max(255).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
