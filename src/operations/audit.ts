// The audit log: list and get (also as MCP tools, as in Rackd's audit_list) and the streamed
// export, which is REST only (a CSV or JSON attachment of the whole filtered log).
import { AuditEntrySchema, AuditExportSchema, AuditPageSchema, ExportAuditInputSchema, ListAuditInputSchema } from '../../schemas/audit.ts';
import { exportAuditEntries } from '../services/audit/export.ts';
import { getAuditEntry } from '../services/audit/get.ts';
import { listAuditEntries } from '../services/audit/list.ts';
import { READ } from './crud.ts';
import { defineOperation } from './types.ts';
import { IdInputSchema } from '../../schemas/common.ts';

export const auditOperations = [
  defineOperation({
    name: 'audit_list',
    title: 'List audit entries',
    description: 'Audit entries, newest first: who did what to which object, from where, and whether it failed. Filters combine with AND.',
    permission: 'audit:list',
    annotations: READ,
    input: ListAuditInputSchema,
    output: AuditPageSchema,
    run: listAuditEntries,
    http: { method: 'GET', path: '/api/audit', response: 'items' },
    toolset: 'admin',
  }),
  defineOperation({
    name: 'audit_export',
    title: 'Export the audit log',
    description: 'The whole filtered audit log as a CSV (default) or JSON attachment, streamed without a row cap.',
    permission: 'audit:export',
    annotations: READ,
    input: ExportAuditInputSchema,
    output: AuditExportSchema,
    run: exportAuditEntries,
    http: { method: 'GET', path: '/api/audit/export', response: 'export', documentItem: AuditEntrySchema },
  }),
  defineOperation({
    name: 'audit_get',
    title: 'Get an audit entry',
    description: 'One audit entry by id.',
    permission: 'audit:read',
    annotations: READ,
    input: IdInputSchema,
    output: AuditEntrySchema,
    run: getAuditEntry,
    http: { method: 'GET', path: '/api/audit/:id' },
    toolset: 'admin',
  }),
];
