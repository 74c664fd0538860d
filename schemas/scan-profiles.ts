// Wire contracts of scan profiles: which ports a scan probes, whether SNMP/SSH run and with
// which credentials, and its timing. Leaf module: imports nothing from src/.
import { z } from 'zod';
import { displayText, IdSchema, plainText, TimestampSchema } from './common.ts';
import { PageInputShape, pageOutput } from './paging.ts';

export const SCAN_TYPES = ['quick', 'full', 'deep', 'custom'] as const;
export const ScanTypeSchema = z
  .enum(SCAN_TYPES)
  .describe('quick (22, 80, 443, 3389), full (16 common ports), deep (top-100 ports), custom (the profile\'s own ports)');

export const ScanProfileSchema = z
  .object({
    id: IdSchema,
    name: z.string().describe('Unique profile name'),
    scan_type: ScanTypeSchema,
    ports: z.array(z.number().int()).describe('TCP ports probed; empty = the scan type\'s own port set'),
    enable_snmp: z.boolean().describe('Query SNMP on hosts found (needs snmp_credential_id)'),
    enable_ssh: z.boolean().describe('Log in over SSH to hosts whose SSH port is open (needs ssh_credential_id)'),
    snmp_credential_id: IdSchema.nullable().describe('snmp_v2c or snmp_v3 credential used when enable_snmp is true'),
    ssh_credential_id: IdSchema.nullable().describe('ssh_password or ssh_key credential used when enable_ssh is true'),
    snmp_port: z.number().int().describe('UDP port SNMP queries go to (default 161)'),
    ssh_port: z
      .number()
      .int()
      .nullable()
      .describe('TCP port SSH logins go to; it is probed with the scan\'s ports. null: the open port whose banner says SSH, else 22'),
    timeout_sec: z.number().int().describe('Per-probe timeout in seconds'),
    max_workers: z.number().int().describe('Hosts probed in parallel by one scan (bounded by DISCOVERY_MAX_CONCURRENT)'),
    description: z.string().describe('Description'),
    is_builtin: z.boolean().describe('Built-in profiles are re-created at start-up and cannot be deleted'),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .describe('A scan profile');
export type ScanProfile = z.infer<typeof ScanProfileSchema>;

export const MAX_PROFILE_PORTS = 1024;

export const SaveScanProfileInputSchema = z
  .object({
    id: IdSchema.optional().describe('Give to update; omit to create'),
    name: displayText().trim().min(1, 'is required').max(255).optional().describe('Unique profile name (required on create)'),
    scan_type: ScanTypeSchema.optional().describe('Scan type (required on create)'),
    ports: z
      .array(z.number().int().min(1).max(65535))
      .max(MAX_PROFILE_PORTS)
      .optional()
      .describe(`TCP ports 1–65535 (at most ${MAX_PROFILE_PORTS}; duplicates removed); empty = the scan type's set. Required non-empty for scan_type custom`),
    enable_snmp: z.boolean().optional().describe('Query SNMP on hosts found'),
    enable_ssh: z.boolean().optional().describe('Log in over SSH to hosts whose SSH port is open'),
    snmp_credential_id: IdSchema.nullable().optional().describe('An snmp_v2c or snmp_v3 credential id; null clears it'),
    ssh_credential_id: IdSchema.nullable().optional().describe('An ssh_password or ssh_key credential id; null clears it'),
    snmp_port: z.number().int().min(1).max(65535).optional().describe('UDP port of the SNMP agents, 1–65535 (default 161)'),
    ssh_port: z
      .number()
      .int()
      .min(1)
      .max(65535)
      .nullable()
      .optional()
      .describe('SSH port, also probed; null: the port whose banner says SSH, else 22'),
    timeout_sec: z.number().int().min(1).max(60).optional().describe('Per-probe timeout in seconds, 1–60 (default 2)'),
    max_workers: z.number().int().min(1).max(1024).optional().describe('Hosts probed in parallel, 1–1024 (default 64)'),
    description: plainText().max(4096).optional().describe('Description'),
  })
  .strict();
export type SaveScanProfileInput = z.infer<typeof SaveScanProfileInputSchema>;

export const ListScanProfilesInputSchema = z
  .object({
    scan_type: ScanTypeSchema.optional().describe('Only profiles of this scan type'),
    ...PageInputShape,
  })
  .strict();
export const ScanProfilePageSchema = pageOutput(ScanProfileSchema);
