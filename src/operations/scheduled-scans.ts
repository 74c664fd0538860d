import { DeletedSchema } from '../../schemas/common.ts';
import { ListScheduledScansInputSchema, SaveScheduledScanInputSchema, ScheduledScanPageSchema, ScheduledScanSchema } from '../../schemas/schedules.ts';
import { deleteScheduledScan } from '../services/scheduled-scans/delete.ts';
import { getScheduledScan } from '../services/scheduled-scans/get.ts';
import { listScheduledScans } from '../services/scheduled-scans/list.ts';
import { saveScheduledScan } from '../services/scheduled-scans/save.ts';
import { crud } from './crud.ts';

const c = crud({ entity: 'scheduled_scan', permission: 'scheduled-scan', path: '/api/scheduled-scans', toolset: 'discovery' });

export const scheduledScanOperations = [
  c.list({
    title: 'List scheduled scans',
    description: 'List cron-scheduled scans with their last and next run, sorted by name. Filter by network_id or enabled.',
    input: ListScheduledScansInputSchema,
    output: ScheduledScanPageSchema,
    run: listScheduledScans,
  }),
  c.get({
    title: 'Get a scheduled scan',
    description: 'Get one scheduled scan by id, with last_run_at, last_scan_id and next_run_at.',
    output: ScheduledScanSchema,
    run: getScheduledScan,
  }),
  c.save({
    title: 'Create or update a scheduled scan',
    description:
      'Create a scheduled scan (omit id; name, network_id, profile_id and cron_expression required) or update one (give id; only the fields sent change). cron_expression is 5-field cron in UTC, at most every 5 minutes, e.g. "0 2 * * *". The server runs it and records last_run_at/last_scan_id; next_run_at is computed.',
    input: SaveScheduledScanInputSchema,
    output: ScheduledScanSchema,
    run: saveScheduledScan,
  }),
  c.remove({
    title: 'Delete a scheduled scan',
    description: 'Delete a scheduled scan. Scans it already started are kept.',
    output: DeletedSchema,
    run: deleteScheduledScan,
  }),
];
