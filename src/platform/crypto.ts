// AES-256-GCM for secrets that must be read back (device credentials, webhook secrets).
// Format: "v1." + base64url(iv[12] | ciphertext | tag[16]). The associated data binds a
// ciphertext to its row and field, so a value copied into another row does not decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'v1.';

export class DecryptionError extends Error {
  constructor() {
    super('secret could not be decrypted (wrong key or tampered value)');
    this.name = 'DecryptionError';
  }
}

export function encryptSecret(key: Buffer, plaintext: string, aad = ''): string {
  if (key.length !== 32) throw new TypeError('AES-256-GCM needs a 32-byte key');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64url');
}

export function decryptSecret(key: Buffer, sealed: string, aad = ''): string {
  if (!sealed.startsWith(PREFIX)) throw new DecryptionError();
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64url');
  if (raw.length < 28) throw new DecryptionError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
  } catch {
    throw new DecryptionError();
  }
}

export const isSealed = (value: string): boolean => value.startsWith(PREFIX);
