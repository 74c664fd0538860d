// rackd restore: replaces DATA_DIR's database with a backup, with the server stopped.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MASTER_KEY_FILE } from '../platform/keys.ts';
import { serverRunning } from '../runtime.ts';
import { prepareRestore, type ExistingDatabase } from '../services/maintenance/restore.ts';
import { configFrom, parseFlags } from './common.ts';
import { confirmOnTerminal, noPositionals, requireFlag } from './offline.ts';

export const restoreHelp = `Usage: rackd restore --input FILE [options]

Replaces DATA_DIR/rackd.db with FILE (made by rackd backup). The file must be a SQLite database
that passes PRAGMA integrity_check and has rackd's schema. The swap is atomic (copy into DATA_DIR,
then rename); the old database's -wal/-shm files are removed. Refused while a rackd server runs
on DATA_DIR (DATA_DIR/rackd.pid names a live process). Backups do not hold DATA_DIR/master.key:
copy it back too when restoring onto a new machine (or set ENCRYPTION_KEY).

Options:
  --input FILE      the backup to restore (required)
  --force           overwrite a database that has users without asking
  --data-dir DIR    overrides DATA_DIR

Without --force, replacing a database that has users (or cannot be read) needs a "yes" typed
on the terminal; when stdin is not a terminal the restore is refused.
`;

function assertNoServer(dataDir: string): void {
  const pid = serverRunning(dataDir);
  if (pid) throw new Error(`a rackd server (pid ${pid}) is running on ${dataDir}; stop it before restoring`);
}

const describe = (e: ExistingDatabase): string | undefined =>
  e.kind === 'ok' && e.users > 0
    ? `${e.users} user(s)`
    : e.kind === 'unreadable'
      ? `a database that cannot be read (${e.reason})`
      : undefined;

export async function restoreCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    input: { type: 'string' },
    force: { type: 'boolean' },
    'data-dir': { type: 'string' },
  });
  noPositionals(positionals);
  const input = requireFlag(values.input, 'input');
  const config = configFrom({ dataDir: values['data-dir'] });
  assertNoServer(config.dataDir);
  const prepared = prepareRestore(config.dataDir, input);
  try {
    const holds = describe(prepared.existing);
    if (holds && !values.force) {
      const question = `${config.dataDir} holds ${holds}; replace it with ${input} (${prepared.users} user(s))?`;
      if (!process.stdin.isTTY) throw new Error(`refusing to overwrite ${config.dataDir}: it holds ${holds} (pass --force)`);
      if (!(await confirmOnTerminal(question))) throw new Error('restore cancelled; nothing changed');
      assertNoServer(config.dataDir); // a server may have started while we waited for the answer
    }
    prepared.commit();
  } finally {
    prepared.discard();
  }
  process.stdout.write(`restored ${input} (${prepared.users} user(s)) into ${config.dataDir}\n`);
  if (!config.encryptionKey && !existsSync(join(config.dataDir, MASTER_KEY_FILE))) {
    process.stderr.write(
      `note: ${config.dataDir} has no ${MASTER_KEY_FILE}; put back the one from the backed-up server (or set ENCRYPTION_KEY) before starting it, or encrypted secrets cannot be read\n`,
    );
  }
  return 0;
}
