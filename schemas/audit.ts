import { z } from 'zod';
import { IdSchema, OptionalTimestampInput, TimestampSchema } from './common.ts';

export const AuditEntrySchema = z.object({
  id: IdSchema,
  timestamp: TimestampSchema,
  action: z.string().describe('entity.verb, e.g. device.create or auth.login'),
  resource: z.string(),
  resource_id: z.string(),
  user_id: z.string(),
  username: z.string(),
  ip_address: z.string(),
  source: z.string().describe('api, mcp, oauth, cli, web or system'),
  status: z.enum(['success', 'failure']),
  error: z.string(),
  error_code: z.string(),
  changes: z.unknown().nullable().describe('before/after snapshots with secrets removed'),
  request_id: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

export const AuditFilterSchema = z
  .object({
    action: z.string().max(128).optional(),
    resource: z.string().max(128).optional(),
    resource_id: z.string().max(128).optional(),
    user_id: z.string().max(128).optional(),
    source: z.enum(['api', 'mcp', 'oauth', 'cli', 'system', 'web']).optional(),
    status: z.enum(['success', 'failure']).optional(),
    start_time: OptionalTimestampInput.optional(),
    end_time: OptionalTimestampInput.optional(),
  })
  .strict();

export const ListAuditInputSchema = AuditFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
}).strict();

export const ExportAuditInputSchema = AuditFilterSchema.extend({
  format: z.enum(['csv', 'json']).default('csv').describe('csv (default) or json'),
}).strict();
