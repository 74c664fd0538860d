// Wire contracts of IP reservations. Leaf module: imports nothing from src/.
import { z } from 'zod';
import { displayText, IdSchema, plainText, TimestampInput, TimestampSchema } from './common.ts';
import { PageInputShape, pageOutput } from './paging.ts';

export const ReservationStatusSchema = z.enum(['active', 'expired', 'claimed', 'released']);

export const ReservationSchema = z
  .object({
    id: IdSchema,
    pool_id: IdSchema.describe('Pool the address is reserved in'),
    ip_address: z.string().describe('Reserved address (canonical text)'),
    hostname: z.string(),
    purpose: z.string(),
    notes: z.string(),
    reserved_by: z.string().describe('User id of the caller who reserved it, or "system"'),
    reserved_at: TimestampSchema,
    expires_at: TimestampSchema.nullable().describe('When the reservation lapses (status becomes expired and the address is free again); null = never'),
    status: ReservationStatusSchema.describe('active holds the address; released and expired no longer do'),
    released_at: TimestampSchema.nullable().describe('When it was released or expired'),
    created_at: TimestampSchema,
    updated_at: TimestampSchema,
  })
  .describe('An IP address reservation in a pool');
export type Reservation = z.infer<typeof ReservationSchema>;

const Hostname = displayText().max(253).describe('Hostname it is for');
const Purpose = plainText().max(1024).describe('Why the address is reserved');
const Notes = plainText().max(4096).describe('Notes');
const ExpiresAt = TimestampInput.describe('Expiry (RFC 3339, future)');
const ExpiresInDays = z.int().min(1).max(365).describe('Expiry in days from now (instead of expires_at)');

export const CreateReservationInputSchema = z
  .object({
    pool_id: IdSchema.describe('Pool to reserve in'),
    ip_address: z.string().trim().min(1).max(64).optional().describe('Address to reserve; omit for the lowest free one'),
    hostname: Hostname.optional(),
    purpose: Purpose.optional(),
    notes: Notes.optional(),
    expires_at: ExpiresAt.optional(),
    expires_in_days: ExpiresInDays.optional(),
  })
  .strict();
export type CreateReservationInput = z.infer<typeof CreateReservationInputSchema>;

export const UpdateReservationInputSchema = z
  .object({
    id: IdSchema.describe('Reservation id'),
    hostname: Hostname.optional(),
    purpose: Purpose.optional(),
    notes: Notes.optional(),
    expires_at: ExpiresAt.nullable().optional().describe('New expiry (RFC 3339); null removes it'),
    expires_in_days: ExpiresInDays.optional(),
  })
  .strict();
export type UpdateReservationInput = z.infer<typeof UpdateReservationInputSchema>;

export const ListReservationsInputSchema = z
  .object({
    pool_id: IdSchema.optional().describe('Only reservations of this pool'),
    status: ReservationStatusSchema.optional().describe('Only reservations with this status'),
    reserved_by: z.string().max(64).optional().describe('Only reservations made by this user id'),
    ip: z.string().max(64).optional().describe('Only reservations of this exact address'),
    ip_address: z.string().max(64).optional().describe('Same as ip (MCP name)'),
    ...PageInputShape,
  })
  .strict();
export const ReservationPageSchema = pageOutput(ReservationSchema);

export const ReleasedSchema = z.object({
  status: z.literal('released'),
  id: IdSchema,
  message: z.string().describe('Human-readable confirmation'),
});
