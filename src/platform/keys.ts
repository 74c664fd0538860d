// Server key material: one 32-byte master secret (ENCRYPTION_KEY or DATA_DIR/master.key, 0600),
// from which every purpose-specific key is derived with HKDF-SHA256. No key is used for two purposes.
import { createHash, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type KeyPurpose = 'credential-encryption' | 'webhook-secret-encryption' | 'token-signing' | 'csrf' | 'key-check';

export interface KeyMaterial {
  /** Where the master secret came from, for the start-up log (never the secret itself). */
  readonly source: 'env' | 'file' | 'generated';
  derive(purpose: KeyPurpose, version?: number): Buffer;
}

export const MASTER_KEY_FILE = 'master.key';

export function keyMaterialFromSecret(master: Buffer, source: KeyMaterial['source']): KeyMaterial {
  if (master.length !== 32) throw new Error('master key must be 32 bytes');
  const cache = new Map<string, Buffer>();
  return {
    source,
    derive(purpose, version = 1) {
      const id = `${purpose}/v${version}`;
      let key = cache.get(id);
      if (!key) {
        key = Buffer.from(hkdfSync('sha256', master, Buffer.from('rackd'), Buffer.from(`rackd ${id}`), 32));
        cache.set(id, key);
      }
      return key;
    },
  };
}

/** Loads the master key from ENCRYPTION_KEY, else DATA_DIR/master.key, creating it (0600) on first start. */
export function loadKeyMaterial(dataDir: string, encryptionKeyHex?: string): KeyMaterial {
  if (encryptionKeyHex) return keyMaterialFromSecret(Buffer.from(encryptionKeyHex, 'hex'), 'env');
  const file = join(dataDir, MASTER_KEY_FILE);
  if (existsSync(file)) {
    const hex = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error(`${file} does not hold a 64-hex-character key`);
    chmodSync(file, 0o600);
    return keyMaterialFromSecret(Buffer.from(hex, 'hex'), 'file');
  }
  const secret = randomBytes(32);
  writeFileSync(file, secret.toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return keyMaterialFromSecret(secret, 'generated');
}

/**
 * A public fingerprint of the master key: SHA-256 of a key derived for nothing but this check.
 * Stored beside the data, it tells whether a process holds the key the data was sealed with,
 * without revealing anything about the keys that seal or sign.
 */
export const keyFingerprint = (keys: KeyMaterial): string => createHash('sha256').update(keys.derive('key-check')).digest('hex');
