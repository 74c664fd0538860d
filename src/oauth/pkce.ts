// PKCE (RFC 7636), S256 only: `plain` and a missing method are refused at the authorization
// endpoint, and the verifier is compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';

/** An S256 challenge is the base64url of a SHA-256: exactly 43 characters. */
export const isS256Challenge = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);

/** RFC 7636 §4.1: 43–128 unreserved characters. */
export const isCodeVerifier = (value: string): boolean => /^[A-Za-z0-9._~-]{43,128}$/.test(value);

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export function verifyPkce(verifier: string | undefined, challenge: string): boolean {
  if (!verifier || !isCodeVerifier(verifier)) return false;
  const a = Buffer.from(s256(verifier));
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}
