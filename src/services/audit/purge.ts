import { lt } from 'drizzle-orm';
import { auditLogs } from '../../db/schema/index.ts';
import type { ServiceEnv } from '../env.ts';
import { syncWrite } from '../../db/sync-write.ts';

/** Deletes audit entries older than AUDIT_RETENTION_DAYS; returns how many went. */
export function purgeAuditLog(env: ServiceEnv): Promise<number> {
  const cutoff = new Date(env.clock.now().getTime() - env.config.audit.retentionDays * 86_400_000).toISOString();
  return syncWrite(env, (tx) => tx.delete(auditLogs).where(lt(auditLogs.timestamp, cutoff)).run().changes);
}
