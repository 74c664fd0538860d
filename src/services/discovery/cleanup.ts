// The discovery-cleanup job: discovered hosts not seen for DISCOVERY_CLEANUP_DAYS are deleted,
// unless promoted (then the record is the link to the inventory device and stays). A run that
// deleted something leaves one audit entry, as the system caller.
import { and, isNull, lt } from 'drizzle-orm';
import { systemContext } from '../../auth/context.ts';
import { discoveredDevices } from '../../db/schema/index.ts';
import { recordEvent } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';

export const DISCOVERY_CLEANUP_JOB = 'discovery-cleanup';

export function cleanupDiscovered(env: ServiceEnv): { deleted: number; cutoff: string } {
  const days = env.config.discovery.cleanupDays;
  const cutoff = new Date(env.clock.now().getTime() - days * 86_400_000).toISOString();
  return env.db.transaction(
    () => {
      const where = and(lt(discoveredDevices.lastSeen, cutoff), isNull(discoveredDevices.promotedToDeviceId));
      const deleted = env.db.delete(discoveredDevices).where(where).run().changes;
      if (deleted > 0) {
        recordEvent(env, systemContext(DISCOVERY_CLEANUP_JOB), { action: 'discovered_device.cleanup', resource: 'discovered_device' }, 'success', {
          extra: { deleted, cutoff, days },
        });
      }
      return { deleted, cutoff };
    },
    { behavior: 'immediate' },
  );
}
