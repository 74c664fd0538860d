// Small SQL helpers shared by list verbs.
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';

/** Case-insensitive substring match with LIKE wildcards in the input taken literally. */
export function containsText(column: AnyColumn, text: string): SQL {
  const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql`${column} LIKE ${pattern} ESCAPE '\\'`;
}
