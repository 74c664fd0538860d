// First-run setup: creates the first administrator, only while no user exists and only for a
// caller holding a live setup token (see tokens.ts). This verb is public by design: the token is
// its permission. A claim in app_state serialises two attempts racing past the checks, because
// the password hash (async) cannot run inside the write transaction.
import { count, eq } from 'drizzle-orm';
import { SetupInputSchema } from '../../../schemas/setup.ts';
import type { User } from '../../../schemas/users.ts';
import { systemContext, type CallerContext } from '../../auth/context.ts';
import { roles, users } from '../../db/schema/index.ts';
import type { DbOrTx } from '../../db/client.ts';
import { AppError, toAppError } from '../../platform/errors.ts';
import { getAppState, setAppState } from '../app-state.ts';
import { recordEvent } from '../audit/record.ts';
import type { ServiceEnv } from '../env.ts';
import { createUser } from '../users/create.ts';
import { login, type LoginResult } from '../auth/login.ts';
import { assertPasswordPolicy } from '../users/password-policy.ts';
import { clearSetupTokens, setupTokenValid } from './tokens.ts';
import { syncWrite } from '../../db/sync-write.ts';

const CLAIM_KEY = 'setup.claim';
/** A claim older than this is a crashed attempt and no longer blocks. */
const CLAIM_MS = 120_000;
const META = { action: 'setup.complete', resource: 'user' };

const alreadyDone = () => new AppError('CONFLICT', 'Setup is already complete: sign in instead');
const badToken = () =>
  new AppError('FORBIDDEN', 'The setup token is wrong or has expired. Use the token printed in the server log at its last start (restart the server to print a new one).');

const countUsers = (db: DbOrTx): number => db.select({ n: count() }).from(users).get()!.n;

/** True while the database has no user (what GET /api/setup answers). */
export const setupNeeded = (env: ServiceEnv): boolean => countUsers(env.db) === 0;

/** setup_status: public by design (the web UI asks before anyone has signed in). */
export async function setupStatus(env: ServiceEnv): Promise<{ needed: boolean }> {
  return { needed: setupNeeded(env) };
}

function claimed(db: DbOrTx, now: Date): boolean {
  const at = getAppState(db, CLAIM_KEY);
  return !!at && now.getTime() - Date.parse(at) < CLAIM_MS;
}

/** setup_complete: creates the first administrator and signs it in (the result carries the session token). */
export async function completeSetup(env: ServiceEnv, ctx: CallerContext, raw: unknown, rc: { userAgent?: string } = {}): Promise<LoginResult> {
  const input = SetupInputSchema.parse(raw);
  const user = await createFirstAdmin(env, ctx, input);
  return login(env, ctx, { username: user.username, password: input.password }, rc);
}

async function createFirstAdmin(env: ServiceEnv, ctx: CallerContext, raw: unknown): Promise<User> {
  try {
    const input = SetupInputSchema.parse(raw);
    assertPasswordPolicy(input.password);
    const start = env.clock.now();
    if (!setupNeeded(env)) throw alreadyDone();
    if (!setupTokenValid(env.db, input.token, start)) throw badToken();
    await syncWrite(env, (tx) => {
        if (countUsers(tx) > 0) throw alreadyDone();
        if (!setupTokenValid(tx, input.token, start)) throw badToken();
        if (claimed(tx, start)) throw new AppError('CONFLICT', 'Another setup is in progress; try again in a minute');
        setAppState(tx, CLAIM_KEY, start.toISOString(), start.toISOString());
      });
    let user: User;
    try {
      const adminRole = env.db.select().from(roles).where(eq(roles.name, 'admin')).get()!;
      user = await createUser(env, systemContext('setup', ctx.requestId), {
        username: input.username,
        email: input.email,
        full_name: input.full_name,
        password: input.password,
        is_admin: true,
        role_id: adminRole.id,
      });
    } finally {
      const now = env.clock.now().toISOString();
      await syncWrite(env, (tx) => {
          setAppState(tx, CLAIM_KEY, '', now);
          if (countUsers(tx) > 0) clearSetupTokens(tx, now);
        });
    }
    env.logger.info('first-run setup created the first administrator', { username: user.username });
    await recordEvent(env, ctx, { ...META, resourceId: user.id }, 'success', { after: { username: user.username } });
    return user;
  } catch (err) {
    const app = toAppError(err);
    await recordEvent(env, ctx, META, 'failure', {}, { code: app.code, message: app.message });
    throw err;
  }
}
