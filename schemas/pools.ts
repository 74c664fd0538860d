// Wire contracts of IP pools, next-free IP, the heatmap and ip_allocate. Leaf module.
import { z } from 'zod';
import { displayText, IdSchema, plainText, TimestampInput, TimestampSchema } from './common.ts';
import { PageInputShape, pageOutput } from './paging.ts';

export const PoolUtilizationSchema = z
  .object({
    total: z.number().describe('Addresses in the pool range (rounded above 2^53; see total_exact)'),
    used: z.number().int().describe('Addresses in use: device addresses plus active reservations'),
    available: z.number().describe('total − used (rounded above 2^53; see available_exact)'),
    utilization: z.number().describe('used / total × 100'),
    total_exact: z.string().describe('total as an exact decimal string'),
    available_exact: z.string().describe('available as an exact decimal string'),
  })
  .describe('How much of the pool is in use');

export const PoolSchema = z
  .object({
    id: IdSchema,
    network_id: IdSchema.describe('Network the pool belongs to'),
    name: z.string().describe('Pool name'),
    start_ip: z.string().describe('First address of the range (canonical text)'),
    end_ip: z.string().describe('Last address of the range (canonical text)'),
    description: z.string(),
    tags: z.array(z.string()).describe('Tags'),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .describe('An IP pool: an inclusive address range inside a network');
export type Pool = z.infer<typeof PoolSchema>;

export const PoolDetailSchema = PoolSchema.extend({ utilization: PoolUtilizationSchema }).describe('An IP pool with its utilization');
export type PoolDetail = z.infer<typeof PoolDetailSchema>;

const Tag = displayText().trim().min(1, 'must not be blank').max(128);
const IpText = z.string().trim().min(1, 'is required').max(64);

export const SavePoolInputSchema = z
  .object({
    id: IdSchema.optional().describe('Give to update; omit to create'),
    network_id: IdSchema.optional().describe('Network of the pool (required on create; cannot change)'),
    name: displayText().trim().min(1, 'is required').max(255).optional().describe('Pool name (required on create)'),
    start_ip: IpText.optional().describe('First address (required on create)'),
    end_ip: IpText.optional().describe('Last address (required on create)'),
    description: plainText().max(4096).optional().describe('Description'),
    tags: z.array(Tag).max(100).optional().describe('Tags; replace the whole list'),
  })
  .strict();
export type SavePoolInput = z.infer<typeof SavePoolInputSchema>;

export const ListPoolsInputSchema = z
  .object({ network_id: IdSchema.optional().describe('Only pools of this network'), ...PageInputShape })
  .strict();
export const PoolPageSchema = pageOutput(PoolSchema);

export const PoolIdInputSchema = z.object({ pool_id: IdSchema.describe('Pool id') }).strict();

export const NextIpSchema = z.object({ ip: z.string().describe('The lowest address of the pool that is free right now') });

export const HeatmapEntrySchema = z.object({
  ip: z.string(),
  status: z.enum(['available', 'used', 'reserved']).describe('used: a device address; reserved: an active reservation'),
  device_id: IdSchema.optional().describe('Device holding the address (status used)'),
});
export const HeatmapSchema = z.object({
  pool_id: IdSchema,
  total: z.number().describe('Addresses in the pool range'),
  truncated: z.boolean().describe('True when the pool is larger than the 65,536 entries returned'),
  items: z.array(HeatmapEntrySchema).describe('One entry per address from start_ip, at most 65,536'),
});

export const AllocateIpInputSchema = z
  .object({
    pool_id: IdSchema.describe('Pool to allocate from'),
    device_id: IdSchema.optional().describe('Add the address to this device; omit for a reservation'),
    label: displayText().max(128).optional().describe('Label of the device address'),
    hostname: displayText().max(253).optional().describe('Reservation hostname'),
    purpose: plainText().max(1024).optional().describe('Reservation purpose'),
    notes: plainText().max(4096).optional().describe('Reservation notes'),
    expires_at: TimestampInput.optional().describe('Reservation expiry (RFC 3339, without device_id)'),
    expires_in_days: z.int().min(1).max(365).optional().describe('Reservation expiry in days (without device_id)'),
    idempotency_key: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .describe('Retry key: the same key on the same pool returns the first result'),
  })
  .strict();
export type AllocateIpInput = z.infer<typeof AllocateIpInputSchema>;

export const AllocationSchema = z
  .object({
    ip: z.string().describe('The allocated address'),
    pool_id: IdSchema,
    network_id: IdSchema,
    device_id: IdSchema.optional().describe('Device the address was attached to'),
    address_id: IdSchema.optional().describe('The new device address'),
    reservation_id: IdSchema.optional().describe('The reservation created when no device_id was given'),
    idempotent_replay: z.boolean().describe('True when this answers a retry of an earlier call with the same idempotency_key'),
  })
  .describe('Result of ip_allocate');
export type Allocation = z.infer<typeof AllocationSchema>;
