import { z } from 'zod';
import { IdSchema, LimitSchema, OffsetSchema, TimestampInput, TimestampSchema } from './common.ts';
import { listOutput } from './paging.ts';

export const AuditEntrySchema = z.object({
  id: IdSchema,
  timestamp: TimestampSchema,
  action: z.string().describe('entity.verb, e.g. device.create or auth.login'),
  resource: z.string().describe('Entity type, e.g. device'),
  resource_id: z.string().describe('The entity (empty when none)'),
  user_id: z.string().describe('Who (empty for system jobs and the offline CLI)'),
  username: z.string().describe('Who, by name (system:<job>, cli:<os user>)'),
  ip_address: z.string().describe('Client address'),
  source: z.string().describe('api, mcp, oauth, cli, web or system'),
  status: z.enum(['success', 'failure']).describe('Outcome'),
  error: z.string().describe('Error message of a failure'),
  error_code: z.string().describe('Error code of a failure'),
  changes: z.unknown().nullable().describe('before/after snapshots with secrets removed'),
  request_id: z.string().describe('Request id (X-Request-Id)'),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export const AuditPageSchema = listOutput(AuditEntrySchema);

export const AuditFilterSchema = z
  .object({
    action: z.string().max(128).optional().describe('Exact action, e.g. device.delete'),
    resource: z.string().max(128).optional().describe('Exact entity type, e.g. device'),
    resource_id: z.string().max(128).optional().describe('Exact entity id'),
    user_id: z.string().max(128).optional().describe('Exact user id'),
    source: z.enum(['api', 'mcp', 'oauth', 'cli', 'system', 'web']).optional().describe('Where the call came from'),
    status: z.enum(['success', 'failure']).optional().describe('Only successes or only failures'),
    start_time: TimestampInput.optional().describe('Entries at or after this time (RFC 3339)'),
    end_time: TimestampInput.optional().describe('Entries at or before this time (RFC 3339)'),
  })
  .strict();

export const ListAuditInputSchema = AuditFilterSchema.extend({
  limit: LimitSchema,
  offset: OffsetSchema,
}).strict();

/** What the export verb hands the REST layer: a streamed document (response kind `export`). */
export const AuditExportSchema = z.object({
  format: z.enum(['csv', 'json']).describe('The document format'),
  filename: z.string().describe('Attachment file name'),
  contentType: z.string().describe('Content-Type of the document'),
  chunks: z.custom<AsyncIterable<string>>().describe('The document, one page of entries per chunk'),
});

export const ExportAuditInputSchema = AuditFilterSchema.extend({
  format: z.enum(['csv', 'json']).default('csv').describe('csv (default) or json'),
}).strict();
