// The SSH host keys discovery pins (trust on first use), stored in ssh_host_keys: the HostKeyStore
// the SSH probe is handed. `set` keeps an existing pin, so the first key seen for a host:port wins.
import { eq } from 'drizzle-orm';
import { sshHostKeys } from '../../db/schema/index.ts';
import type { HostKeyStore } from '../../discovery/types.ts';
import type { ServiceEnv } from '../env.ts';
import { syncWrite } from '../../db/sync-write.ts';

export function hostKeyStore(env: ServiceEnv): HostKeyStore {
  return {
    async get(hostPort) {
      const row = env.db.select().from(sshHostKeys).where(eq(sshHostKeys.host, hostPort)).get();
      return row ? { keyType: row.keyType, fingerprint: row.fingerprint } : undefined;
    },
    async set(hostPort, v) {
      const now = env.clock.now().toISOString();
      await syncWrite(env, (tx) =>
        tx.insert(sshHostKeys).values({ host: hostPort, keyType: v.keyType, fingerprint: v.fingerprint, createdAt: now, updatedAt: now }).onConflictDoNothing().run(),
      );
    },
  };
}
