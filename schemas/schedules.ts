// Wire contracts of scheduled scans (cron) and discovery rules (every N hours per network): both
// are run by the in-process scheduler, which starts a scan when next_run_at has passed.
// Leaf module: imports nothing from src/.
import { z } from 'zod';
import { displayText, IdSchema, plainText, TimestampSchema } from './common.ts';
import { PageInputShape, pageOutput } from './paging.ts';
import { ScanTypeSchema } from './scan-profiles.ts';

const NullableTime = TimestampSchema.nullable();

export const ScheduledScanSchema = z
  .object({
    id: IdSchema,
    name: z.string().describe('Name of the schedule'),
    network_id: IdSchema.describe('Network scanned'),
    profile_id: IdSchema.describe('Scan profile used'),
    cron_expression: z.string().describe('5-field cron expression, evaluated in UTC'),
    enabled: z.boolean().describe('Disabled schedules never run'),
    description: z.string().describe('Description'),
    last_run_at: NullableTime.describe('When the scheduler last started a scan for it (null: never)'),
    last_scan_id: IdSchema.nullable().describe('The scan it started last (null: never)'),
    next_run_at: NullableTime.describe('When it runs next (null when disabled)'),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .describe('A scan that runs on a cron schedule');
export type ScheduledScan = z.infer<typeof ScheduledScanSchema>;

const Cron = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(200)
  .describe(
    '5-field cron in UTC (minute hour day month weekday), e.g. "0 2 * * *"; lists, ranges, steps, names; at most every 5 minutes',
  );

export const SaveScheduledScanInputSchema = z
  .object({
    id: IdSchema.optional().describe('Give to update; omit to create'),
    name: displayText().trim().min(1, 'is required').max(255).optional().describe('Name (required on create)'),
    network_id: IdSchema.optional().describe('Network to scan (required on create)'),
    profile_id: IdSchema.optional().describe('Scan profile, e.g. default-quick (required on create)'),
    cron_expression: Cron.optional(),
    enabled: z.boolean().optional().describe('Default true'),
    description: plainText().max(4096).optional().describe('Description'),
  })
  .strict();

export const ListScheduledScansInputSchema = z
  .object({
    network_id: IdSchema.optional().describe('Only schedules of this network'),
    enabled: z
      .boolean()
      .optional()
      .describe('Only enabled (true) or disabled (false) schedules'),
    ...PageInputShape,
  })
  .strict();
export const ScheduledScanPageSchema = pageOutput(ScheduledScanSchema);

export const DiscoveryRuleSchema = z
  .object({
    id: IdSchema,
    network_id: IdSchema.describe('Network scanned (one rule per network)'),
    enabled: z.boolean().describe('Disabled rules never run'),
    scan_type: ScanTypeSchema.describe('Scan type used when no profile is set'),
    profile_id: IdSchema.nullable().describe('Scan profile used (null: scan_type alone)'),
    interval_hours: z.number().int().describe('Hours between runs'),
    exclude_ips: z.array(z.string()).describe('Addresses or CIDRs never probed'),
    last_run_at: NullableTime.describe('When the scheduler last started a scan for it (null: never)'),
    next_run_at: NullableTime.describe('When it runs next (null when disabled)'),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .describe('A rule that scans one network every interval_hours');
export type DiscoveryRule = z.infer<typeof DiscoveryRuleSchema>;

export const SaveDiscoveryRuleInputSchema = z
  .object({
    id: IdSchema.optional().describe('Give to update; omit to create (or update the network\'s rule)'),
    network_id: IdSchema.optional().describe('Network to scan (required on create)'),
    enabled: z.boolean().optional().describe('Default true'),
    scan_type: z.enum(['quick', 'full', 'deep']).optional().describe('quick (default), full or deep'),
    profile_id: IdSchema.nullable().optional().describe('Scan profile (must exist); null clears it'),
    interval_hours: z.number().int().min(1).max(8760).optional().describe('Hours between runs, 1–8760 (default 24)'),
    exclude_ips: z.array(z.string().trim().min(1).max(64)).max(1024).optional().describe('IP addresses or CIDRs never probed'),
  })
  .strict();

export const ListDiscoveryRulesInputSchema = z
  .object({
    network_id: IdSchema.optional().describe('Only the rule of this network'),
    ...PageInputShape,
  })
  .strict();
export const DiscoveryRulePageSchema = pageOutput(DiscoveryRuleSchema);
