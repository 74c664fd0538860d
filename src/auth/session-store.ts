// Session storage behind a small interface: SQLite (default) or Valkey for several replicas.
// Only the SHA-256 of a session token is ever stored.
import { eq, lt } from 'drizzle-orm';
import type { ChainableCommander, Redis } from 'iovalkey';
import type { Engine } from '../db/engine.ts';
import { AppError } from '../platform/errors.ts';

export interface SessionRecord {
  tokenHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  ipAddress: string;
  userAgent: string;
}

export interface SessionStore {
  readonly kind: 'sqlite' | 'postgres' | 'valkey';
  create(rec: SessionRecord): Promise<void>;
  get(tokenHash: string): Promise<SessionRecord | undefined>;
  extend(tokenHash: string, expiresAt: string): Promise<void>;
  delete(tokenHash: string): Promise<void>;
  deleteForUser(userId: string): Promise<number>;
  purgeExpired(now: Date): Promise<number>;
  ping(): Promise<void>;
}

/**
 * Sessions in the database, written once on the engine contract both dialects share (db/engine.ts):
 * reads on the engine's reader (committed rows), writes through its writer queue.
 */
export function createDatabaseSessionStore(engine: Engine): SessionStore {
  const t = engine.tables.sessions;
  return {
    kind: engine.dialect,
    async create(rec) {
      await engine.write((tx) => tx.insert(t).values(rec));
    },
    async get(tokenHash) {
      const [row] = await engine.reader.select().from(t).where(eq(t.tokenHash, tokenHash)).limit(1);
      return row;
    },
    async extend(tokenHash, expiresAt) {
      await engine.write((tx) => tx.update(t).set({ expiresAt }).where(eq(t.tokenHash, tokenHash)));
    },
    async delete(tokenHash) {
      await engine.write((tx) => tx.delete(t).where(eq(t.tokenHash, tokenHash)));
    },
    async deleteForUser(userId) {
      return engine.write(async (tx) => (await tx.delete(t).where(eq(t.userId, userId)).returning({ h: t.tokenHash })).length);
    },
    async purgeExpired(now) {
      return engine.write(async (tx) => (await tx.delete(t).where(lt(t.expiresAt, now.toISOString())).returning({ h: t.tokenHash })).length);
    },
    async ping() {
      await engine.reader.select({ h: t.tokenHash }).from(t).limit(1);
    },
  };
}

const K_SESSION = 'rackd:session:';
const K_USER = 'rackd:user_sessions:';

/** A Valkey failure means the store is unavailable (503, retry later), not a server bug (500). */
function unavailable(err: unknown): never {
  throw new AppError('SERVICE_UNAVAILABLE', 'Session store unavailable', { cause: err });
}

/** MULTI/EXEC reports a failed command inside its result array; surface it as a thrown error. */
async function execOrThrow(multi: ChainableCommander): Promise<[Error | null, unknown][]> {
  const res = await multi.exec().catch(unavailable);
  if (!res) unavailable(new Error('valkey transaction aborted'));
  const failed = res.find(([err]) => err);
  if (failed) unavailable(failed[0]);
  return res;
}

export function createValkeySessionStore(redis: Redis): SessionStore {
  const ttl = (expiresAt: string): number => Math.max(1, Date.parse(expiresAt) - Date.now());
  return {
    kind: 'valkey',
    async create(rec) {
      await execOrThrow(
        redis
          .multi()
          .set(K_SESSION + rec.tokenHash, JSON.stringify(rec), 'PX', ttl(rec.expiresAt))
          .sadd(K_USER + rec.userId, rec.tokenHash)
          // The user's index lives as long as their longest session: set a TTL on a new
          // index, only ever lengthen an existing one.
          .pexpire(K_USER + rec.userId, ttl(rec.expiresAt), 'NX')
          .pexpire(K_USER + rec.userId, ttl(rec.expiresAt), 'GT'),
      );
    },
    async get(tokenHash) {
      const raw = await redis.get(K_SESSION + tokenHash).catch(unavailable);
      return raw ? (JSON.parse(raw) as SessionRecord) : undefined;
    },
    async extend(tokenHash, expiresAt) {
      const raw = await redis.get(K_SESSION + tokenHash).catch(unavailable);
      if (!raw) return;
      const rec = { ...(JSON.parse(raw) as SessionRecord), expiresAt };
      await execOrThrow(
        redis
          .multi()
          .set(K_SESSION + tokenHash, JSON.stringify(rec), 'PX', ttl(expiresAt), 'XX')
          .pexpire(K_USER + rec.userId, ttl(expiresAt), 'GT'),
      );
    },
    async delete(tokenHash) {
      const raw = await redis.get(K_SESSION + tokenHash).catch(unavailable);
      const multi = redis.multi().del(K_SESSION + tokenHash);
      if (raw) multi.srem(K_USER + (JSON.parse(raw) as SessionRecord).userId, tokenHash);
      await execOrThrow(multi);
    },
    async deleteForUser(userId) {
      const hashes = await redis.smembers(K_USER + userId).catch(unavailable);
      if (hashes.length === 0) return 0;
      // SREM exactly the members read, not DEL of the index: a session created meanwhile
      // stays indexed, so a later revocation still finds it.
      const res = await execOrThrow(
        redis
          .multi()
          .del(...hashes.map((h: string) => K_SESSION + h))
          .srem(K_USER + userId, ...hashes),
      );
      return Number(res[0]?.[1] ?? 0);
    },
    async purgeExpired() {
      return 0; // Valkey expires keys itself.
    },
    async ping() {
      await redis.ping().catch(unavailable);
    },
  };
}
