// The discovery-cleanup job: discovered hosts not seen for DISCOVERY_CLEANUP_DAYS are deleted,
// unless promoted (then the record is the link to the inventory device and stays). A run that
// deleted something leaves one audit entry and one discovery.devices_deleted event, as the
// system caller.
import { and, isNull, lt } from 'drizzle-orm';
import { systemContext } from '../../auth/context.ts';
import { discoveredDevices } from '../../db/schema/index.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { syncWrite } from '../../db/sync-write.ts';

export const DISCOVERY_CLEANUP_JOB = 'discovery-cleanup';

export async function cleanupDiscovered(env: ServiceEnv): Promise<{ deleted: number; cutoff: string }> {
  const days = env.config.discovery.cleanupDays;
  const cutoff = new Date(env.clock.now().getTime() - days * 86_400_000).toISOString();
  // read: true — a run that deleted nothing records nothing.
  return audited(env, systemContext(DISCOVERY_CLEANUP_JOB), { action: 'discovered_device.cleanup', resource: 'discovered_device', read: true }, (audit) =>
    syncWrite(env, (tx) => {
        const where = and(lt(discoveredDevices.lastSeen, cutoff), isNull(discoveredDevices.promotedToDeviceId));
        const deleted = tx.delete(discoveredDevices).where(where).run().changes;
        if (deleted > 0) audit.record(tx, { extra: { deleted, cutoff, days } });
        return { deleted, cutoff };
      }),
  );
}
