// The access-token signing key: an Ed25519 key whose 32-byte seed is derived (HKDF) from the
// server's key material, so every process on the same DATA_DIR / ENCRYPTION_KEY, and every restart,
// signs and verifies with the same key. The public half is published at jwks_uri; kid is its
// RFC 7638 thumbprint. Access tokens are RFC 9068 JWTs (typ at+jwt).
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { KeyMaterial } from '../platform/keys.ts';

export const ACCESS_TOKEN_TYP = 'at+jwt';
export const SIGNING_ALG = 'EdDSA';

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string;
  client_id: string;
  scope: string;
  jti: string;
  /** The grant ("token family") the token belongs to; revoking it revokes the token. */
  fid: string;
  iat: number;
  exp: number;
}

export interface TokenSigner {
  readonly kid: string;
  readonly jwks: { keys: JWK[] };
  sign(claims: AccessTokenClaims): Promise<string>;
  /** Signature, alg, typ, iss, exp and the exact single audience; throws on any failure. */
  verify(token: string, expect: { issuer: string; audience: string; now: Date }): Promise<AccessTokenClaims>;
}

function deriveKeyPair(keys: KeyMaterial): { privateKey: KeyObject; publicKey: KeyObject } {
  const seed = keys.derive('token-signing');
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

const signers = new WeakMap<KeyMaterial, Promise<TokenSigner>>();

/** One signer per key material (the derivation and JWK export run once). */
export function tokenSigner(keys: KeyMaterial): Promise<TokenSigner> {
  let signer = signers.get(keys);
  if (!signer) {
    signer = buildSigner(keys);
    signers.set(keys, signer);
  }
  return signer;
}

async function buildSigner(keys: KeyMaterial): Promise<TokenSigner> {
  const { privateKey, publicKey } = deriveKeyPair(keys);
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
  const jwk: JWK = { ...publicJwk, kid, alg: SIGNING_ALG, use: 'sig' };
  return {
    kid,
    jwks: { keys: [jwk] },
    sign(claims) {
      const { iat, ...rest } = claims;
      return new SignJWT(rest as unknown as JWTPayload)
        .setProtectedHeader({ alg: SIGNING_ALG, typ: ACCESS_TOKEN_TYP, kid })
        .setIssuedAt(iat)
        .sign(privateKey);
    },
    async verify(token, expect) {
      const { payload } = await jwtVerify(token, publicKey, {
        algorithms: [SIGNING_ALG],
        typ: ACCESS_TOKEN_TYP,
        issuer: expect.issuer,
        currentDate: expect.now,
        requiredClaims: ['sub', 'aud', 'exp', 'iat', 'jti', 'client_id', 'scope', 'fid'],
      });
      // jose's `audience` option is a membership test; a token for us must name us and only us.
      if (payload.aud !== expect.audience) throw new Error('audience mismatch');
      for (const k of ['sub', 'client_id', 'scope', 'fid', 'jti'] as const) {
        if (typeof payload[k] !== 'string') throw new Error(`claim ${k} is not a string`);
      }
      return payload as unknown as AccessTokenClaims;
    },
  };
}
