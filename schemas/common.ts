// Wire contracts shared by every surface. Leaf module: imports nothing from src/.
import { z } from 'zod';

export const IdSchema = z.string().min(1).max(64).describe('Identifier (UUIDv7)');
export const TimestampSchema = z.string().describe('ISO-8601 timestamp in UTC');

export const LimitSchema = z.int()
  .min(1)
  .max(1000)
  .default(100)
  .describe('Page size');
export const OffsetSchema = z.int().min(0).default(0).describe('Items to skip');

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

/**
 * An RFC 3339 date-time with its offset (`Z` or `±hh:mm`), checked for real: 2026-02-30,
 * T24:00:00 and :60 seconds are refused instead of rolling over into another day.
 */
export const TimestampInput = z.iso.datetime({ offset: true, error: 'must be an RFC 3339 date-time, e.g. 2026-01-31T00:00:00Z' }).describe('RFC 3339 timestamp, e.g. 2026-01-31T00:00:00Z');

// Characters a person cannot see or that reorder what they see: C0/C1 controls, and the Unicode
// bidirectional formatting characters (LRM, RLM, ALM, LRE…RLO, LRI…PDI) that make
// "Rackd CLI \u202egpj.exe" read as "Rackd CLI exe.jpg".
const NAME_FORBIDDEN = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const TEXT_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** True when a one-line text a person reads (a name, a label) holds no control or bidi character. */
export const isDisplayText = (s: string): boolean => !NAME_FORBIDDEN.test(s);
/** True when a free text (a description) holds no control character but tab and newlines, and no bidi character. */
export const isPlainText = (s: string): boolean => !TEXT_FORBIDDEN.test(s);

/** A one-line text a person reads (a name, a label): no control characters, no bidi overrides. Chain `.trim().max(n)`. */
export const displayText = () => z.string().refine(isDisplayText, 'must not contain control characters or bidirectional-override characters');
/** A free text a person reads (tabs and line breaks allowed): no other control characters, no bidi overrides. */
export const plainText = () => z.string().refine(isPlainText, 'must not contain control characters (other than tab and line breaks) or bidirectional-override characters');
