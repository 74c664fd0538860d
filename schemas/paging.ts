// Paging for list operations: `limit` + opaque `cursor` (Rackd's `offset` still accepted).
import { z } from 'zod';

export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 1000;

export const PageInputShape = {
  limit: z.int()
    .min(1)
    .max(PAGE_MAX)
    .default(PAGE_DEFAULT)
    .describe('Page size'),
  cursor: z.string().max(200).optional().describe('From next_cursor'),
  offset: z.int().min(0).optional().describe('Skip n (instead of cursor)'),
};

export const pageOutput = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item).describe('The items of this page'),
    total: z.number().int().describe('Number of items matching the filters, across all pages'),
    next_cursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page'),
  });

/** The output of the administration lists, which page with limit and offset (Rackd's shape). */
export const listOutput = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item).describe('The items of this page'),
    total: z.number().int().describe('Number of items matching the filters, across all pages'),
  });

export const encodeCursor = (offset: number): string => Buffer.from(JSON.stringify({ o: offset })).toString('base64url');

export function decodeCursor(cursor: string): number | undefined {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { o?: unknown };
    return typeof v.o === 'number' && Number.isInteger(v.o) && v.o >= 0 ? v.o : undefined;
  } catch {
    return undefined;
  }
}
