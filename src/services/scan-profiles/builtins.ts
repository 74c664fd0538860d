// The built-in scan profiles, re-created at every start if missing (fixed ids, as in Rackd).
// Their ports are empty so each follows its scan type's own port set; Infrastructure is a
// custom profile for network gear with SNMP and SSH on (attach credentials to use them).
import { scanProfiles } from '../../db/schema/index.ts';
import type { ServiceEnv } from '../env.ts';
import { syncWrite } from '../../db/sync-write.ts';

type Builtin = Pick<
  typeof scanProfiles.$inferInsert,
  'id' | 'name' | 'scanType' | 'ports' | 'enableSnmp' | 'enableSsh' | 'timeoutSec' | 'maxWorkers' | 'description'
>;

export const BUILTIN_SCAN_PROFILES: readonly Builtin[] = [
  { id: 'default-quick', name: 'Quick Scan', scanType: 'quick', ports: '[]', enableSnmp: false, enableSsh: false, timeoutSec: 1, maxWorkers: 256, description: 'Ports 22, 80, 443 and 3389; no SNMP or SSH' },
  { id: 'default-full', name: 'Full Scan', scanType: 'full', ports: '[]', enableSnmp: true, enableSsh: false, timeoutSec: 2, maxWorkers: 128, description: '16 common service ports, SNMP when a credential is attached' },
  { id: 'default-deep', name: 'Deep Scan', scanType: 'deep', ports: '[]', enableSnmp: true, enableSsh: true, timeoutSec: 3, maxWorkers: 64, description: 'Top-100 ports, SNMP and SSH when credentials are attached' },
  {
    id: 'default-infrastructure',
    name: 'Infrastructure',
    scanType: 'custom',
    ports: JSON.stringify([22, 23, 80, 179, 443, 830, 8080, 8443]),
    enableSnmp: true,
    enableSsh: true,
    timeoutSec: 2,
    maxWorkers: 64,
    description: 'Routers, switches and firewalls: management ports, SNMP and SSH when credentials are attached',
  },
];

export const BUILTIN_PROFILE_IDS: ReadonlySet<string> = new Set(BUILTIN_SCAN_PROFILES.map((p) => p.id));

/** Inserts the missing built-ins; an existing row (same id, or a user profile holding the name) is left alone. */
export async function ensureBuiltinScanProfiles(env: ServiceEnv): Promise<void> {
  const now = env.clock.now().toISOString();
  await syncWrite(env, (tx) => {
    for (const p of BUILTIN_SCAN_PROFILES) {
      const res = tx
        .insert(scanProfiles)
        .values({ ...p, isBuiltin: true, createdAt: now, updatedAt: now })
        .onConflictDoNothing()
        .run();
      if (res.changes === 0) continue;
      env.logger.debug('created built-in scan profile', { id: p.id });
    }
  });
}
