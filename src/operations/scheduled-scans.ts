import { DeletedSchema, IdInputSchema } from '../../schemas/datacenters.ts';
import { ListScheduledScansInputSchema, SaveScheduledScanInputSchema, ScheduledScanPageSchema, ScheduledScanSchema } from '../../schemas/schedules.ts';
import { deleteScheduledScan } from '../services/scheduled-scans/delete.ts';
import { getScheduledScan } from '../services/scheduled-scans/get.ts';
import { listScheduledScans } from '../services/scheduled-scans/list.ts';
import { saveScheduledScan } from '../services/scheduled-scans/save.ts';
import { defineOperation } from './types.ts';

export const scheduledScanOperations = [
  defineOperation({
    name: 'scheduled_scan_list',
    title: 'List scheduled scans',
    description: 'List cron-scheduled scans with their last and next run, sorted by name. Filter by network_id or enabled.',
    permission: 'scheduled-scan:list',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: ListScheduledScansInputSchema,
    output: ScheduledScanPageSchema,
    run: (env, ctx, input) => listScheduledScans(env, ctx, input),
    http: { method: 'GET', path: '/api/scheduled-scans', response: 'items' },
  }),
  defineOperation({
    name: 'scheduled_scan_get',
    title: 'Get a scheduled scan',
    description: 'Get one scheduled scan by id, with last_run_at, last_scan_id and next_run_at.',
    permission: 'scheduled-scan:read',
    annotations: { readOnly: true, destructive: false, idempotent: true },
    input: IdInputSchema,
    output: ScheduledScanSchema,
    run: (env, ctx, input) => getScheduledScan(env, ctx, input.id),
    http: { method: 'GET', path: '/api/scheduled-scans/:id' },
  }),
  defineOperation({
    name: 'scheduled_scan_save',
    title: 'Create or update a scheduled scan',
    description:
      'Create a scheduled scan (omit id; name, network_id, profile_id and cron_expression required) or update one (give id; only the fields sent change). cron_expression is 5-field cron in UTC, at most every 5 minutes, e.g. "0 2 * * *". The server runs it and records last_run_at/last_scan_id; next_run_at is computed.',
    permission: ['scheduled-scan:create', 'scheduled-scan:update'],
    annotations: { readOnly: false, destructive: false, idempotent: false },
    input: SaveScheduledScanInputSchema,
    output: ScheduledScanSchema,
    run: (env, ctx, input) => saveScheduledScan(env, ctx, input),
    http: [
      { method: 'POST', path: '/api/scheduled-scans', status: 201, forbid: ['id'] },
      { method: 'PUT', path: '/api/scheduled-scans/:id' },
    ],
  }),
  defineOperation({
    name: 'scheduled_scan_delete',
    title: 'Delete a scheduled scan',
    description: 'Delete a scheduled scan. Scans it already started are kept.',
    permission: 'scheduled-scan:delete',
    annotations: { readOnly: false, destructive: true, idempotent: true },
    input: IdInputSchema,
    output: DeletedSchema,
    run: (env, ctx, input) => deleteScheduledScan(env, ctx, input.id),
    http: { method: 'DELETE', path: '/api/scheduled-scans/:id', status: 204 },
  }),
];
