// audit:read — one audit entry by id.
import { IdInputSchema } from '../../../schemas/common.ts';
import { eq } from 'drizzle-orm';
import type { AuditEntry } from '../../../schemas/audit.ts';
import { requirePermission, type CallerContext } from '../../auth/context.ts';
import { auditLogs } from '../../db/schema/index.ts';
import { notFound } from '../../platform/errors.ts';
import type { ServiceEnv } from '../env.ts';
import { rawString } from '../input.ts';
import { toAuditEntry } from './internal.ts';
import { audited } from './record.ts';

export async function getAuditEntry(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<AuditEntry> {
  return audited(env, ctx, { action: 'audit.read', resource: 'audit', resourceId: rawString(raw), read: true }, () => {
    requirePermission(ctx, 'audit:read');
    const { id } = IdInputSchema.parse(raw);
    const row = env.db.select().from(auditLogs).where(eq(auditLogs.id, id)).get();
    if (!row) throw notFound('Audit entry', id);
    return toAuditEntry(row);
  });
}
