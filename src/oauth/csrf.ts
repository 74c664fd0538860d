// CSRF tokens of the sign-in and consent forms: HMACs under the server's `csrf` key. The consent
// token is bound to the session and to the exact authorization request it was shown for, so a
// token lifted from one page cannot approve another request or another user's session. The
// sign-in token is bound to a random cookie of the browser that loaded the page (double submit).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { KeyMaterial } from '../platform/keys.ts';

function mac(keys: KeyMaterial, parts: readonly string[]): string {
  return createHmac('sha256', keys.derive('csrf')).update(parts.join('\n')).digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const consentToken = (keys: KeyMaterial, sessionHash: string, request: Readonly<Record<string, string>>): string =>
  mac(keys, ['consent', sessionHash, ...Object.keys(request).sort().map((k) => `${k}=${request[k]}`)]);

export const checkConsentToken = (keys: KeyMaterial, sessionHash: string, request: Readonly<Record<string, string>>, token: string | undefined): boolean =>
  !!token && same(consentToken(keys, sessionHash, request), token);

export const loginToken = (keys: KeyMaterial, browserNonce: string): string => mac(keys, ['login', browserNonce]);

export const checkLoginToken = (keys: KeyMaterial, browserNonce: string | undefined, token: string | undefined): boolean =>
  !!browserNonce && !!token && same(loginToken(keys, browserNonce), token);
