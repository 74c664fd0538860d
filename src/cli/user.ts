// rackd user create|reset-password: offline user administration straight on DATA_DIR, through the
// same service verbs (password policy, audit with source "cli") as the API.
import { createUser } from '../services/users/create.ts';
import { resolveRole } from '../services/users/cli-roles.ts';
import { grantRole } from '../services/users/grant-role.ts';
import { databaseExists } from '../services/maintenance/migrations.ts';
import { resetPasswordOffline } from '../services/users/offline-reset.ts';
import { configFrom, parseFlags, UsageError } from './common.ts';
import { cliCaller, noPositionals, openOfflineRuntime, readNewPassword, requireFlag } from './offline.ts';

export const userHelp = `Usage: rackd user <subcommand> [options]

Offline user administration: works directly on DATA_DIR (a running server may share it).

Subcommands:
  create          create a user and print its id
    --username U      login name (required)
    --email E         email address (required)
    --full-name N     display name
    --role R          grant a role, by name or id (repeatable)
    --admin           make an administrator (sets is_admin and grants the admin role)
    --data-dir DIR    overrides DATA_DIR

  reset-password  set a user's password and end all of their sessions
    --username U      the user (required)
    --data-dir DIR    overrides DATA_DIR

The password is asked twice without echo on a terminal; otherwise it is read from the first
line of stdin, e.g.  printf '%s\\n' "$PW" | rackd user create --username alice --email a@x.org
Passwords need at least 12 characters (at most 72 bytes); reset-password also refuses leading
or trailing whitespace.

Exit codes: 0 done, 1 failed (nothing changed), 2 usage error.
`;

async function createCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    username: { type: 'string' },
    email: { type: 'string' },
    'full-name': { type: 'string' },
    role: { type: 'string', multiple: true },
    admin: { type: 'boolean' },
    'data-dir': { type: 'string' },
  });
  noPositionals(positionals);
  const username = requireFlag(values.username, 'username');
  const email = requireFlag(values.email, 'email');
  const config = configFrom({ dataDir: values['data-dir'] });
  const password = await readNewPassword();
  const runtime = await openOfflineRuntime(config);
  try {
    const { env } = runtime;
    const ctx = cliCaller();
    // Resolve every role before creating anything, so an unknown role leaves no half-made user.
    const wanted = [...(values.admin ? ['admin'] : []), ...(values.role ?? [])].map((r) => resolveRole(env, ctx, r));
    const roleIds = [...new Set(wanted.map((r) => r.id))];
    const user = await createUser(env, ctx, {
      username,
      email,
      full_name: values['full-name'],
      password,
      is_admin: values.admin ?? false,
      role_id: roleIds[0],
    });
    for (const roleId of roleIds.slice(1)) await grantRole(env, ctx, { user_id: user.id, role_id: roleId });
    process.stdout.write(`${user.id}\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}

async function resetPasswordCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    username: { type: 'string' },
    'data-dir': { type: 'string' },
  });
  noPositionals(positionals);
  const username = requireFlag(values.username, 'username');
  const config = configFrom({ dataDir: values['data-dir'] });
  if (!databaseExists(config.dataDir)) throw new Error(`no rackd database in ${config.dataDir}`);
  const password = await readNewPassword();
  const runtime = await openOfflineRuntime(config);
  try {
    await resetPasswordOffline(runtime.env, cliCaller(), { username, new_password: password });
    process.stdout.write(`password reset for ${username}; all of their sessions were ended\n`);
    return 0;
  } finally {
    await runtime.close();
  }
}

const SUBCOMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  create: createCommand,
  'reset-password': resetPasswordCommand,
};

export async function userCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const run = sub ? SUBCOMMANDS[sub] : undefined;
  if (!run) throw new UsageError(sub ? `unknown user subcommand "${sub}" (expected create or reset-password)` : 'expected a subcommand: create or reset-password');
  return run(rest);
}
