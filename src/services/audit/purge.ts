import { lt } from 'drizzle-orm';
import { auditLogs } from '../../db/schema/index.ts';
import type { ServiceEnv } from '../env.ts';

/** Deletes audit entries older than AUDIT_RETENTION_DAYS; returns how many went. */
export function purgeAuditLog(env: ServiceEnv): number {
  const cutoff = new Date(env.clock.now().getTime() - env.config.audit.retentionDays * 86_400_000).toISOString();
  return env.db.delete(auditLogs).where(lt(auditLogs.timestamp, cutoff)).run().changes;
}
