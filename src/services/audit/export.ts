// audit:export — the WHOLE filtered audit log as CSV or JSON, without a row cap. Rows are read in
// keyset pages on (timestamp, id) and handed out one page at a time, so memory stays flat however
// large the log is, and an entry written while the export runs cannot shift the pages under it.
import { and, sql, type SQL } from 'drizzle-orm';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ExportAuditInputSchema } from '../../../schemas/audit.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { auditLogs } from '../../db/schema/index.ts';
import type { ServiceEnv } from '../env.ts';
import { auditWhere, filterFields, NEWEST_FIRST, toAuditEntry, type AuditRow } from './internal.ts';
import { audited } from './record.ts';
import { syncWrite } from '../../db/sync-write.ts';

export const EXPORT_PAGE_SIZE = 1000;

export const AUDIT_CSV_COLUMNS = [
  'id',
  'timestamp',
  'action',
  'resource',
  'resource_id',
  'user_id',
  'username',
  'ip_address',
  'source',
  'status',
  'error_code',
  'error',
  'request_id',
  'changes',
] as const;

// A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); a leading
// apostrophe makes it text. Usernames, resource ids and error texts can all come from a caller.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula-guarded, then quoted per RFC 4180 when it holds a quote, comma or line break. */
export function csvCell(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** One CSV record, CRLF-terminated as RFC 4180 asks. */
export const csvRow = (cells: readonly string[]): string => `${cells.map(csvCell).join(',')}\r\n`;

const csvCells = (r: AuditRow): string[] => [
  r.id,
  r.timestamp,
  r.action,
  r.resource,
  r.resourceId,
  r.userId,
  r.username,
  r.ipAddress,
  r.source,
  r.status,
  r.errorCode,
  r.error,
  r.requestId,
  r.changes,
];

export interface AuditExport {
  format: 'csv' | 'json';
  filename: string;
  contentType: string;
  /** The document, one page of entries per chunk. Iterate once; stopping early is safe (no cursor stays open). */
  chunks: AsyncIterable<string>;
}

function readPage(env: ServiceEnv, cond: SQL | undefined, after?: AuditRow): AuditRow[] {
  // Row-value comparison continues strictly below the last row sent, in the NEWEST_FIRST order.
  const cursor = after ? sql`(${auditLogs.timestamp}, ${auditLogs.id}) < (${after.timestamp}, ${after.id})` : undefined;
  return env.db
    .select()
    .from(auditLogs)
    .where(and(cond, cursor))
    .orderBy(...NEWEST_FIRST)
    .limit(EXPORT_PAGE_SIZE)
    .all();
}

async function* pages(env: ServiceEnv, cond: SQL | undefined, first: AuditRow[]): AsyncGenerator<AuditRow[]> {
  let page = first;
  while (page.length > 0) {
    yield page;
    if (page.length < EXPORT_PAGE_SIZE) return;
    // Each page is a synchronous read; give other requests the event loop between them.
    await nextTurn();
    page = readPage(env, cond, page[page.length - 1]);
  }
}

async function* csvDocument(rows: AsyncIterable<AuditRow[]>): AsyncGenerator<string> {
  yield csvRow(AUDIT_CSV_COLUMNS);
  for await (const page of rows) yield page.map((r) => csvRow(csvCells(r))).join('');
}

async function* jsonDocument(rows: AsyncIterable<AuditRow[]>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const page of rows) {
    let out = '';
    for (const r of page) {
      out += `${first ? '\n' : ',\n'}${JSON.stringify(toAuditEntry(r))}`;
      first = false;
    }
    yield out;
  }
  yield first ? ']\n' : '\n]\n';
}

async function* logged(env: ServiceEnv, chunks: AsyncIterable<string>): AsyncGenerator<string> {
  try {
    yield* chunks;
  } catch (err) {
    // The status line has gone out already: the log is the only place this failure can be seen.
    env.logger.error('audit export failed part-way', { err: err as Error });
    throw err;
  }
}

export async function exportAuditEntries(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<AuditExport> {
  return audited(env, ctx, { action: 'audit.export', resource: 'audit' }, async (audit) => {
    requirePermission(ctx, 'audit:export');
    const input = ExportAuditInputSchema.parse(raw);
    const cond = auditWhere(input);
    // The first page is read before this export's own entry is written, and later pages lie below
    // it, so the document is the log as it stood when the export was asked for.
    const first = readPage(env, cond);
    await syncWrite(env, (tx) => audit.record(tx, { extra: { format: input.format, filters: filterFields(input) } }));
    const rows = pages(env, cond, first);
    return input.format === 'json'
      ? { format: 'json', filename: 'audit-log.json', contentType: 'application/json; charset=utf-8', chunks: logged(env, jsonDocument(rows)) }
      : { format: 'csv', filename: 'audit-log.csv', contentType: 'text/csv; charset=utf-8', chunks: logged(env, csvDocument(rows)) };
  });
}
