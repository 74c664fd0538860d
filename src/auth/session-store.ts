// Session storage behind a small interface: SQLite (default) or Valkey for several replicas.
// Only the SHA-256 of a session token is ever stored.
import { and, eq, lt } from 'drizzle-orm';
import type { Redis } from 'iovalkey';
import type { Db } from '../db/client.ts';
import { sessions } from '../db/schema/index.ts';

export interface SessionRecord {
  tokenHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  ipAddress: string;
  userAgent: string;
}

export interface SessionStore {
  readonly kind: 'sqlite' | 'valkey';
  create(rec: SessionRecord): Promise<void>;
  get(tokenHash: string): Promise<SessionRecord | undefined>;
  extend(tokenHash: string, expiresAt: string): Promise<void>;
  delete(tokenHash: string): Promise<void>;
  deleteForUser(userId: string): Promise<number>;
  purgeExpired(now: Date): Promise<number>;
  ping(): Promise<void>;
}

export function createSqliteSessionStore(db: Db): SessionStore {
  return {
    kind: 'sqlite',
    async create(rec) {
      db.insert(sessions).values(rec).run();
    },
    async get(tokenHash) {
      return db.select().from(sessions).where(eq(sessions.tokenHash, tokenHash)).get();
    },
    async extend(tokenHash, expiresAt) {
      db.update(sessions).set({ expiresAt }).where(eq(sessions.tokenHash, tokenHash)).run();
    },
    async delete(tokenHash) {
      db.delete(sessions).where(eq(sessions.tokenHash, tokenHash)).run();
    },
    async deleteForUser(userId) {
      return db.delete(sessions).where(eq(sessions.userId, userId)).run().changes;
    },
    async purgeExpired(now) {
      return db.delete(sessions).where(and(lt(sessions.expiresAt, now.toISOString()))).run().changes;
    },
    async ping() {
      db.$client.prepare('SELECT 1').get();
    },
  };
}

const K_SESSION = 'rackd:session:';
const K_USER = 'rackd:user_sessions:';

export function createValkeySessionStore(redis: Redis): SessionStore {
  const ttl = (expiresAt: string): number => Math.max(1, Date.parse(expiresAt) - Date.now());
  return {
    kind: 'valkey',
    async create(rec) {
      await redis
        .multi()
        .set(K_SESSION + rec.tokenHash, JSON.stringify(rec), 'PX', ttl(rec.expiresAt))
        .sadd(K_USER + rec.userId, rec.tokenHash)
        .pexpire(K_USER + rec.userId, ttl(rec.expiresAt))
        .exec();
    },
    async get(tokenHash) {
      const raw = await redis.get(K_SESSION + tokenHash);
      return raw ? (JSON.parse(raw) as SessionRecord) : undefined;
    },
    async extend(tokenHash, expiresAt) {
      const raw = await redis.get(K_SESSION + tokenHash);
      if (!raw) return;
      const rec = { ...(JSON.parse(raw) as SessionRecord), expiresAt };
      await redis
        .multi()
        .set(K_SESSION + tokenHash, JSON.stringify(rec), 'PX', ttl(expiresAt), 'XX')
        .pexpire(K_USER + rec.userId, ttl(expiresAt), 'GT')
        .exec();
    },
    async delete(tokenHash) {
      const raw = await redis.get(K_SESSION + tokenHash);
      const multi = redis.multi().del(K_SESSION + tokenHash);
      if (raw) multi.srem(K_USER + (JSON.parse(raw) as SessionRecord).userId, tokenHash);
      await multi.exec();
    },
    async deleteForUser(userId) {
      const hashes = await redis.smembers(K_USER + userId);
      if (hashes.length === 0) return 0;
      const res = await redis
        .multi()
        .del(...hashes.map((h: string) => K_SESSION + h))
        .del(K_USER + userId)
        .exec();
      return Number(res?.[0]?.[1] ?? 0);
    },
    async purgeExpired() {
      return 0; // Valkey expires keys itself.
    },
    async ping() {
      await redis.ping();
    },
  };
}
