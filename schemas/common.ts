// Wire contracts shared by every surface. Leaf module: imports nothing from src/.
import { z } from 'zod';

export const IdSchema = z.string().min(1).max(64).describe('Identifier (UUIDv7)');
export const TimestampSchema = z.string().describe('ISO-8601 timestamp in UTC');

export const LimitSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(1000)
  .default(100)
  .describe('Page size');
export const OffsetSchema = z.coerce.number().int().min(0).default(0).describe('Items to skip');

/** The output of an operation whose REST route answers 204 (no tool has it). */
export const NoOutputSchema = z.void();

/** The input of an operation that takes no arguments. */
export const EmptyInputSchema = z.object({}).strict();

/** The input of every operation that names one record by id. */
export const IdInputSchema = z.object({ id: IdSchema.describe('Identifier') }).strict();
export const DeletedSchema = z.object({ status: z.literal('deleted'), id: IdSchema.describe('What was deleted') });

export const ErrorEnvelopeSchema = z
  .object({
    error: z.string().describe('Human-readable message'),
    code: z.string().describe('Stable machine-readable error code'),
    details: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('Per-field problems'),
    request_id: z.string().optional(),
  })
  .describe('Error response');

/** Parses an optional RFC 3339 timestamp. */
export const OptionalTimestampInput = z
  .string()
  .refine((s) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}/.test(s), 'must be an RFC 3339 timestamp')
  .describe('RFC 3339 timestamp, e.g. 2026-01-31T00:00:00Z');
