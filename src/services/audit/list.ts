// audit:list — one page of the audit log, newest first, with the total for X-Total-Count.
import { count } from 'drizzle-orm';
import { ListAuditInputSchema, type AuditEntry } from '../../../schemas/audit.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { auditLogs } from '../../db/schema/index.ts';
import type { ServiceEnv } from '../env.ts';
import { auditWhere, NEWEST_FIRST, toAuditEntry } from './internal.ts';
import { audited } from './record.ts';
import { syncWrite } from '../../db/sync-write.ts';

export async function listAuditEntries(
  env: ServiceEnv,
  ctx: CallerContext,
  raw: unknown,
): Promise<{ items: AuditEntry[]; total: number }> {
  return audited(env, ctx, { action: 'audit.list', resource: 'audit', read: true }, () => {
    requirePermission(ctx, 'audit:list');
    const input = ListAuditInputSchema.parse(raw);
    const cond = auditWhere(input);
    // Page and count read one snapshot, so X-Total-Count agrees with the page beside it.
    return syncWrite(env, (tx) => {
      const rows = tx
        .select()
        .from(auditLogs)
        .where(cond)
        .orderBy(...NEWEST_FIRST)
        .limit(input.limit)
        .offset(input.offset)
        .all();
      const total = tx.select({ n: count() }).from(auditLogs).where(cond).get()!.n;
      return { items: rows.map(toAuditEntry), total };
    });
  });
}
