// What the audit read verbs share: the wire shape of a stored row, the filter → SQL translation,
// and the one ordering (newest first, id as tie-break) that list and the export's keyset both use.
import { and, desc, eq, gte, lte, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { AuditEntry, AuditFilterSchema } from '../../../schemas/audit.ts';
import { auditLogs } from '../../db/schema/index.ts';
import { validationError } from '../../platform/errors.ts';

export type AuditRow = typeof auditLogs.$inferSelect;
export type AuditFilter = z.infer<typeof AuditFilterSchema>;

/** Stored `changes` is JSON text ('' when there were none); a row that is not JSON keeps its text. */
export function parseChanges(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export const toAuditEntry = (r: AuditRow): AuditEntry => ({
  id: r.id,
  timestamp: r.timestamp,
  action: r.action,
  resource: r.resource,
  resource_id: r.resourceId,
  user_id: r.userId,
  username: r.username,
  ip_address: r.ipAddress,
  source: r.source,
  status: r.status,
  error: r.error,
  error_code: r.errorCode,
  changes: parseChanges(r.changes),
  request_id: r.requestId,
});

/**
 * Stored timestamps are `Date.toISOString()` text, so a bound given with an offset or without
 * milliseconds is normalised to that form before the string comparison.
 */
const isoInstant = (s: string): string => new Date(s).toISOString();

/** Translates the validated filters into one WHERE condition (undefined = everything). */
export function auditWhere(f: AuditFilter): SQL | undefined {
  const start = f.start_time === undefined ? undefined : isoInstant(f.start_time);
  const end = f.end_time === undefined ? undefined : isoInstant(f.end_time);
  if (start !== undefined && end !== undefined && start > end) {
    throw validationError('end_time', 'must not be before start_time');
  }
  const where: SQL[] = [];
  if (f.action !== undefined) where.push(eq(auditLogs.action, f.action));
  if (f.resource !== undefined) where.push(eq(auditLogs.resource, f.resource));
  if (f.resource_id !== undefined) where.push(eq(auditLogs.resourceId, f.resource_id));
  if (f.user_id !== undefined) where.push(eq(auditLogs.userId, f.user_id));
  if (f.source !== undefined) where.push(eq(auditLogs.source, f.source));
  if (f.status !== undefined) where.push(eq(auditLogs.status, f.status));
  if (start !== undefined) where.push(gte(auditLogs.timestamp, start));
  if (end !== undefined) where.push(lte(auditLogs.timestamp, end));
  return where.length ? and(...where) : undefined;
}

/** Newest first; the id breaks ties between entries of the same millisecond. */
export const NEWEST_FIRST = [desc(auditLogs.timestamp), desc(auditLogs.id)] as const;

/** The filter fields of a parsed input, without paging or format keys (for the export's own entry). */
export function filterFields(input: AuditFilter): AuditFilter {
  const { action, resource, resource_id, user_id, source, status, start_time, end_time } = input;
  const all = { action, resource, resource_id, user_id, source, status, start_time, end_time };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as AuditFilter;
}
