// Resolves limit/cursor/offset into a window and builds the page envelope.
import { decodeCursor, encodeCursor } from '../../schemas/paging.ts';
import { validationError } from '../platform/errors.ts';

export interface PageInput {
  limit: number;
  cursor?: string;
  offset?: number;
}

export function pageWindow(input: PageInput): { limit: number; offset: number } {
  if (input.cursor !== undefined) {
    if (input.offset !== undefined) throw validationError('cursor', 'give either cursor or offset, not both');
    const offset = decodeCursor(input.cursor);
    if (offset === undefined) throw validationError('cursor', 'is not a cursor this server issued');
    return { limit: input.limit, offset };
  }
  return { limit: input.limit, offset: input.offset ?? 0 };
}

export function page<T>(items: T[], total: number, window: { limit: number; offset: number }) {
  const next = window.offset + items.length;
  return { items, total, next_cursor: next < total && items.length > 0 ? encodeCursor(next) : null };
}
