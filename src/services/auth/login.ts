// Password login: constant work for unknown and inactive users, a fresh random session token
// whose SHA-256 alone is stored, and an audit entry either way.
import type { z } from 'zod';
import { EmptyInputSchema } from '../../../schemas/common.ts';
import { LoginInputSchema, type CurrentUser } from '../../../schemas/users.ts';
import type { CallerContext } from '../../auth/context.ts';
import { users } from '../../db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { randomToken, sha256Hex } from '../../platform/ids.ts';
import { recordEvent } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { findUserByUsername, toCurrentUser } from '../users/internal.ts';
import { eq } from 'drizzle-orm';
import { syncWrite } from '../../db/sync-write.ts';

/** The REST binding sends `token` as the session cookie only (response kind `session`). */
export interface LoginResult {
  token: string;
  expires_at: string;
  user: CurrentUser;
}

const invalid = () => new AppError('INVALID_CREDENTIALS', 'Invalid username or password');

export async function login(env: ServiceEnv, ctx: CallerContext, raw: unknown, rc: { userAgent?: string } = {}): Promise<LoginResult> {
  const userAgent = rc.userAgent ?? '';
  const parsed = LoginInputSchema.safeParse(raw);
  if (!parsed.success || !parsed.data.username || !parsed.data.password) {
    throw new AppError('INVALID_INPUT', 'username and password are required');
  }
  const input: z.infer<typeof LoginInputSchema> = parsed.data;
  const meta = { action: 'auth.login', resource: 'session' };
  const user = findUserByUsername(env.db, input.username);
  const ok = user && user.isActive ? await env.passwords.verify(input.password, user.passwordHash) : await env.passwords.verifyDummy(input.password);
  if (!user || !ok) {
    await recordEvent(env, ctx, meta, 'failure', { extra: { username: input.username } }, { code: 'INVALID_CREDENTIALS', message: 'Invalid username or password' });
    throw invalid();
  }
  const token = randomToken(32);
  const now = env.clock.now();
  const expiresAt = new Date(now.getTime() + env.config.session.ttlMs).toISOString();
  await env.sessions.create({
    tokenHash: sha256Hex(token),
    userId: user.id,
    createdAt: now.toISOString(),
    expiresAt,
    ipAddress: ctx.ip,
    userAgent: userAgent.slice(0, 512),
  });
  await syncWrite(env, (tx) => tx.update(users).set({ lastLoginAt: now.toISOString() }).where(eq(users.id, user.id)).run());
  const authed: CallerContext = { ...ctx, actor: { kind: 'session', userId: user.id, username: user.username, sessionHash: '' } };
  await recordEvent(env, authed, { ...meta, resourceId: user.id }, 'success');
  return { token, expires_at: expiresAt, user: toCurrentUser(env.db, { ...user, lastLoginAt: now.toISOString() }) };
}

export async function logout(env: ServiceEnv, ctx: CallerContext, raw: unknown = {}): Promise<void> {
  if (ctx.actor.kind !== 'session') throw new AppError('UNAUTHORIZED', 'Logout requires a session; API keys have no session to end');
  EmptyInputSchema.parse(raw);
  await env.sessions.delete(ctx.actor.sessionHash);
  await recordEvent(env, ctx, { action: 'auth.logout', resource: 'session', resourceId: ctx.actor.userId }, 'success');
}
