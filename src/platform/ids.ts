// Identifiers: UUIDv7 (time-ordered, as Rackd uses) and high-entropy secrets.
import { hash, randomBytes, randomFillSync, timingSafeEqual } from 'node:crypto';

let lastMs = 0;
let seq = 0;

// Random bytes for ids come from a pool refilled 4 KiB at a time: one randomBytes call per id
// (two with the sequence seed) was a visible share of every request (bench/healthz).
const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let poolAt = POOL_BYTES;

function randomFromPool(n: number): number {
  if (poolAt + n > POOL_BYTES) {
    randomFillSync(pool);
    poolAt = 0;
  }
  const at = poolAt;
  poolAt += n;
  return at;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const hex = (b: Uint8Array, from: number, to: number): string => {
  let out = '';
  for (let i = from; i < to; i++) out += HEX[b[i]!]!;
  return out;
};

/** RFC 9562 UUIDv7 with a monotonic counter in rand_a for ids made in the same millisecond. */
export function newId(): string {
  let ms = Date.now();
  if (ms <= lastMs) {
    seq = (seq + 1) & 0xfff;
    if (seq === 0) lastMs += 1;
    ms = lastMs;
  } else {
    lastMs = ms;
    const at = randomFromPool(2);
    seq = pool.readUInt16BE(at) & 0x7ff;
  }
  const b = Buffer.allocUnsafe(16);
  pool.copy(b, 6, randomFromPool(10), poolAt);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | ((seq >> 8) & 0x0f);
  b[7] = seq & 0xff;
  b[8] = (b[8]! & 0x3f) | 0x80;
  return `${hex(b, 0, 4)}-${hex(b, 4, 6)}-${hex(b, 6, 8)}-${hex(b, 8, 10)}-${hex(b, 10, 16)}`;
}

/**
 * A request id (X-Request-Id, audit and log correlation): unique, not secret and not a database
 * key, so a UUIDv7 from the same pooled randomness is enough; kept as its own name so the two
 * uses can diverge.
 */
export const newRequestId = newId;

/** A random secret of `bytes` bytes, base64url without padding. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** One-shot `crypto.hash` (Node ≥ 20.12): a third of createHash's cost, and this runs on every API-key request. */
export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

/** Constant-time equality of two hex digests (or any equal-length strings). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) {
    timingSafeEqual(ab, ab);
    return false;
  }
  return timingSafeEqual(ab, bb);
}
