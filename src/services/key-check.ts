// Every process on one database must hold the same master key: secrets sealed by one and opened
// by another would fail, and a process with another key would seal new secrets nobody else can
// open (replicas behind one address, or a DATA_DIR started with a different ENCRYPTION_KEY). The
// database keeps the key's fingerprint (app_state `keys.fingerprint`, platform/keys.ts); a process
// whose key does not match refuses to start. A database from before the fingerprint gets it on the
// first start whose key opens a secret already sealed there (or, with none sealed, any key).
import { ne } from 'drizzle-orm';
import { credentials, webhooks } from '../db/schema/index.ts';
import { keyFingerprint, type KeyMaterial } from '../platform/keys.ts';
import type { DbOrTx } from '../db/client.ts';
import { getAppState, setAppState } from './app-state.ts';
import { unsealCredentialSecrets } from './credentials/internal.ts';
import { openSecret } from './webhooks/internal.ts';
import type { ServiceEnv } from './env.ts';
import { syncWrite } from '../db/sync-write.ts';

export const KEY_FINGERPRINT = 'keys.fingerprint';

export class KeyMismatchError extends Error {}

const MISMATCH =
  'this database was sealed with another master key: every rackd process on one database needs the same key ' +
  '(ENCRYPTION_KEY, or the DATA_DIR/master.key the data was written with); refusing to start rather than seal secrets nobody else can open';

/** True when env.keys opens a secret already sealed in the database (or none is sealed). */
function opensSealedSecret(env: ServiceEnv, db: DbOrTx): boolean {
  const cred = db.select({ id: credentials.id, name: credentials.name, secret: credentials.secret }).from(credentials).where(ne(credentials.secret, '')).limit(1).get();
  const hook = cred ? undefined : db.select({ id: webhooks.id, secret: webhooks.secret }).from(webhooks).where(ne(webhooks.secret, '')).limit(1).get();
  try {
    if (cred) unsealCredentialSecrets(env.keys, cred);
    else if (hook) openSecret(env, hook);
    return true;
  } catch {
    return false;
  }
}

/** Throws KeyMismatchError when env.keys is not the key this database's data was sealed with. */
export async function verifyKeyMaterial(env: ServiceEnv): Promise<void> {
  const mine = keyFingerprint(env.keys);
  await syncWrite(env, (tx) => {
      const stored = getAppState(tx, KEY_FINGERPRINT);
      if (stored === mine) return;
      if (stored !== undefined || !opensSealedSecret(env, tx)) throw new KeyMismatchError(MISMATCH);
      setAppState(tx, KEY_FINGERPRINT, mine, env.clock.now().toISOString());
    });
}

/** Records `next` as the database's key (in the transaction that re-seals its secrets). */
export function recordKeyFingerprint(tx: DbOrTx, next: KeyMaterial, now: string): void {
  setAppState(tx, KEY_FINGERPRINT, keyFingerprint(next), now);
}
