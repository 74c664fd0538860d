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
    description: 'Cron-scheduled scans with last and next run, by name; filter by network_id or enabled.',
    input: ListScheduledScansInputSchema,
    output: ScheduledScanPageSchema,
    run: listScheduledScans,
  }),
  c.get({
    title: 'Get a scheduled scan',
    description: 'One scheduled scan with last_run_at, last_scan_id, next_run_at.',
    output: ScheduledScanSchema,
    run: getScheduledScan,
  }),
  c.save({
    title: 'Create or update a scheduled scan',
    description: 'Create (name, network_id, profile_id, cron_expression required) or update a scheduled scan: 5-field cron in UTC, at most every 5 minutes.',
    input: SaveScheduledScanInputSchema,
    output: ScheduledScanSchema,
    run: saveScheduledScan,
  }),
  c.remove({
    title: 'Delete a scheduled scan',
    description: 'Delete a scheduled scan; the scans it started stay.',
    output: DeletedSchema,
    run: deleteScheduledScan,
  }),
];
