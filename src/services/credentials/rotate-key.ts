// Re-seals every secret that is encrypted under the master key (discovery credentials, webhook
// secrets) with a new master key, in one transaction: either every row moves to the new key or
// none does. Used by `rackd credentials rotate-key` with the server stopped.
import { eq, ne } from 'drizzle-orm';
import { requireAdmin, type CallerContext } from '../../auth/context.ts';
import { credentials, webhooks } from '../../db/schema/index.ts';
import { decryptSecret, encryptSecret } from '../../platform/crypto.ts';
import { AppError } from '../../platform/errors.ts';
import type { KeyMaterial } from '../../platform/keys.ts';
import { audited } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { recordKeyFingerprint } from '../key-check.ts';
import { webhookAad } from '../webhooks/internal.ts';
import { credentialAad } from './internal.ts';
import { syncWrite } from '../../db/sync-write.ts';

function reseal(from: Buffer, to: Buffer, sealed: string, aad: string, what: string): string {
  let plain: string;
  try {
    plain = decryptSecret(from, sealed, aad);
  } catch (err) {
    throw new AppError('CONFLICT', `${what} cannot be decrypted with the current key; nothing was changed`, { cause: err });
  }
  return encryptSecret(to, plain, aad);
}

/** Moves all sealed secrets from env.keys to `next`. Returns how many rows were re-sealed. */
export async function rotateSealedSecrets(env: ServiceEnv, ctx: CallerContext, next: KeyMaterial): Promise<{ credentials: number; webhooks: number }> {
  return audited(env, ctx, { action: 'credential.rotate_key', resource: 'credential' }, (audit) => {
    requireAdmin(ctx, 'rotate the encryption key');
    const now = env.clock.now().toISOString();
    return syncWrite(env, (tx) => {
        const credFrom = env.keys.derive('credential-encryption');
        const credTo = next.derive('credential-encryption');
        const creds = tx.select({ id: credentials.id, name: credentials.name, secret: credentials.secret }).from(credentials).where(ne(credentials.secret, '')).all();
        for (const c of creds) {
          const secret = reseal(credFrom, credTo, c.secret, credentialAad(c.id), `Credential ${c.name} (${c.id})`);
          tx.update(credentials).set({ secret, updatedAt: now }).where(eq(credentials.id, c.id)).run();
        }
        const hookFrom = env.keys.derive('webhook-secret-encryption');
        const hookTo = next.derive('webhook-secret-encryption');
        const hooks = tx.select({ id: webhooks.id, name: webhooks.name, secret: webhooks.secret }).from(webhooks).where(ne(webhooks.secret, '')).all();
        for (const h of hooks) {
          const secret = reseal(hookFrom, hookTo, h.secret, webhookAad(h.id), `Webhook ${h.name} (${h.id}) secret`);
          tx.update(webhooks).set({ secret, updatedAt: now }).where(eq(webhooks.id, h.id)).run();
        }
        recordKeyFingerprint(tx, next, now);
        audit.record(tx, { extra: { rows: creds.length, webhook_rows: hooks.length } });
        return { credentials: creds.length, webhooks: hooks.length };
      });
  });
}
