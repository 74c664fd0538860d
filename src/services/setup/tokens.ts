// One-time setup tokens for a database without users: each server start that finds no user
// issues one, prints it, and stores only its SHA-256 in app_state. Two processes on one DATA_DIR
// each add their own (neither overwrites the other's); tokens lapse after SETUP_TOKEN_TTL_MS and
// all of them are removed once the first administrator exists.
import { randomToken, safeEqual, sha256Hex } from '../../platform/ids.ts';
import type { DbOrTx } from '../../db/client.ts';
import { getAppState, setAppState } from '../app-state.ts';
import type { ServiceEnv } from '../env.ts';
import { syncWrite } from '../../db/sync-write.ts';

export const SETUP_TOKENS_KEY = 'setup.tokens';
export const SETUP_TOKEN_TTL_MS = 24 * 3_600_000;
/** Tokens kept at most (the newest): restarts and parallel processes add one each. */
const MAX_TOKENS = 8;
export const SETUP_TOKEN_PREFIX = 'rackd_setup_';

interface StoredToken {
  hash: string;
  created_at: string;
}

export function storedTokens(db: DbOrTx, now: Date): StoredToken[] {
  const raw = getAppState(db, SETUP_TOKENS_KEY);
  if (!raw) return [];
  try {
    const list = JSON.parse(raw) as StoredToken[];
    return Array.isArray(list) ? list.filter((t) => now.getTime() - Date.parse(t.created_at) < SETUP_TOKEN_TTL_MS) : [];
  } catch {
    return [];
  }
}

/** Adds a new token (under the write lock, so a parallel start's token is kept) and returns it. */
export async function issueSetupToken(env: ServiceEnv): Promise<string> {
  const token = `${SETUP_TOKEN_PREFIX}${randomToken(24)}`;
  const now = env.clock.now();
  await syncWrite(env, (tx) => {
      const list = [...storedTokens(tx, now), { hash: sha256Hex(token), created_at: now.toISOString() }].slice(-MAX_TOKENS);
      setAppState(tx, SETUP_TOKENS_KEY, JSON.stringify(list), now.toISOString());
    });
  return token;
}

/** True when `token` is one of the live tokens; every stored hash is compared in constant time. */
export function setupTokenValid(db: DbOrTx, token: string, now: Date): boolean {
  const hash = sha256Hex(token);
  let ok = false;
  for (const t of storedTokens(db, now)) if (safeEqual(t.hash, hash)) ok = true;
  return ok;
}

export function clearSetupTokens(tx: DbOrTx, now: string): void {
  setAppState(tx, SETUP_TOKENS_KEY, '[]', now);
}
