// Shared by the credential verbs, the scanner and `rackd credentials rotate-key`: row mapping
// (secrets become has_* booleans), sealing and unsealing the secret JSON. The sealed value is
// bound to its row by the associated data `credential:<id>`, so a ciphertext copied into
// another row does not decrypt.
import { eq } from 'drizzle-orm';
import type { Credential, CredentialType } from '../../../schemas/credentials.ts';
import type { DbOrTx } from '../../db/client.ts';
import { credentials } from '../../db/schema/index.ts';
import { decryptSecret, encryptSecret } from '../../platform/crypto.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { KeyMaterial } from '../../platform/keys.ts';

export type CredentialRow = typeof credentials.$inferSelect;

/** The sealed fields; which ones a row holds follows from its type (enforced on every write). */
export interface CredentialSecrets {
  community?: string;
  user?: string;
  auth_key?: string;
  priv_key?: string;
  password?: string;
  private_key?: string;
}

export interface CredentialOptions {
  auth_protocol?: 'sha' | 'sha256' | 'md5';
  priv_protocol?: 'aes' | 'des';
}

/** Secret fields each type must hold. */
export const REQUIRED_SECRETS: Record<CredentialType, readonly (keyof CredentialSecrets)[]> = {
  snmp_v2c: ['community'],
  snmp_v3: ['user', 'auth_key', 'priv_key'],
  ssh_password: ['password'],
  ssh_key: ['private_key'],
};

export const credentialAad = (id: string): string => `credential:${id}`;

export const sealCredentialSecrets = (keys: KeyMaterial, id: string, secrets: CredentialSecrets): string =>
  encryptSecret(keys.derive('credential-encryption'), JSON.stringify(secrets), credentialAad(id));

export function unsealCredentialSecrets(keys: KeyMaterial, row: Pick<CredentialRow, 'id' | 'name' | 'secret'>): CredentialSecrets {
  if (row.secret === '') return {};
  try {
    return JSON.parse(decryptSecret(keys.derive('credential-encryption'), row.secret, credentialAad(row.id))) as CredentialSecrets;
  } catch (err) {
    // Not a 500: the request is fine, the stored credential is not usable. The way out is to send
    // its secrets again (a full update), or to restore the key it was sealed under.
    throw new AppError(
      'CONFLICT',
      `Credential ${row.name} cannot be decrypted with this server's key (was the master key changed without ` +
        `'rackd credentials rotate-key'?); update it with all of its secrets to replace them`,
      { cause: err },
    );
  }
}

export function parseOptions(row: Pick<CredentialRow, 'options'>): CredentialOptions {
  try {
    return JSON.parse(row.options) as CredentialOptions;
  } catch {
    return {};
  }
}

export function toCredential(r: CredentialRow): Credential {
  const type = r.type as CredentialType;
  const sealed = r.secret !== '';
  const opts = type === 'snmp_v3' ? parseOptions(r) : {};
  return {
    id: r.id,
    name: r.name,
    type,
    ssh_username: r.sshUsername,
    snmp_v3_auth_protocol: type === 'snmp_v3' ? (opts.auth_protocol ?? 'sha') : null,
    snmp_v3_priv_protocol: type === 'snmp_v3' ? (opts.priv_protocol ?? 'aes') : null,
    datacenter_id: r.datacenterId ?? null,
    description: r.description,
    has_secret: sealed,
    has_community: sealed && type === 'snmp_v2c',
    has_snmp_v3_user: sealed && type === 'snmp_v3',
    has_auth_key: sealed && type === 'snmp_v3',
    has_priv_key: sealed && type === 'snmp_v3',
    has_password: sealed && type === 'ssh_password',
    has_private_key: sealed && type === 'ssh_key',
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

export function getCredentialOrThrow(db: DbOrTx, id: string): CredentialRow {
  const row = db.select().from(credentials).where(eq(credentials.id, id)).get();
  if (!row) throw notFound('Credential', id);
  return row;
}
