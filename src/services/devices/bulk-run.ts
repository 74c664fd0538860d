// All-or-nothing bulk execution: every item runs in its own savepoint inside the caller's single
// transaction, so one failing item cannot disturb the next; all failures are collected and then
// thrown as one VALIDATION_ERROR, which rolls the whole transaction back — nothing is written.
import type { z } from 'zod';
import type { DbOrTx } from '../../db/client.ts';
import { AppError, fromZodIssues, toAppError, type ErrorDetail } from '../../platform/errors.ts';

/** ['devices', 3, 'addresses', 0, 'ip'] → ['devices[3]', 'addresses[0]', 'ip'] (joined: devices[3].addresses[0].ip). */
export function bracketIndexes(path: ReadonlyArray<PropertyKey>): string[] {
  const out: string[] = [];
  for (const seg of path) {
    if (typeof seg === 'number' && out.length > 0) out[out.length - 1] += `[${seg}]`;
    else out.push(String(seg));
  }
  return out;
}

/** Parses a bulk input, naming failing items `devices[i].field`. */
export function parseBulk<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw fromZodIssues(parsed.error.issues.map((i) => ({ ...i, path: bracketIndexes(i.path) })));
  return parsed.data;
}

function prefixed(err: AppError, at: string): ErrorDetail[] {
  const label = (m: string) => (err.code === 'VALIDATION_ERROR' ? m : `${err.code}: ${m}`);
  if (!err.details?.length) return [{ field: at, message: label(err.message) }];
  return err.details.map((d) => ({ field: d.field ? `${at}.${d.field}` : at, message: label(d.message) }));
}

export function runItems<T, R>(tx: DbOrTx, key: string, items: readonly T[], fn: (sp: DbOrTx, item: T, index: number) => R): R[] {
  const details: ErrorDetail[] = [];
  const out: R[] = [];
  let failed = 0;
  items.forEach((item, i) => {
    try {
      out.push(tx.transaction((sp) => fn(sp, item, i)));
    } catch (err) {
      const app = toAppError(err);
      if (app.code === 'INTERNAL_ERROR') throw err;
      failed++;
      details.push(...prefixed(app, `${key}[${i}]`));
    }
  });
  if (failed > 0) {
    const first = details.slice(0, 3).map((d) => `${d.field}: ${d.message}`).join('; ');
    throw new AppError('VALIDATION_ERROR', `${failed} of ${items.length} item(s) failed, nothing was written: ${first}`, { details });
  }
  return out;
}

export const bulkResult = (ids: string[]) => ({ total: ids.length, success: ids.length, failed: 0, errors: [] as string[], ids });
