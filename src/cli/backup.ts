// rackd backup: an online-consistent copy of the database, safe while the server runs.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MASTER_KEY_FILE } from '../platform/keys.ts';
import { backupDataDir } from '../services/maintenance/backup.ts';
import { configFrom, parseFlags } from './common.ts';
import { noPositionals } from './offline.ts';

export const backupHelp = `Usage: rackd backup [options]

Copies DATA_DIR/rackd.db with SQLite's online backup API: consistent even while a server is
running and writing. The file is created with mode 0600 and is never overwritten.

Options:
  --output FILE     where to write (default ./rackd-backup-YYYYMMDD-HHMMSS.db, local time)
  --data-dir DIR    overrides DATA_DIR

The backup does not contain DATA_DIR/master.key (the key that encrypts device credentials and
webhook secrets, unless ENCRYPTION_KEY is set): keep a copy of it separately from the backups.

Restore with: rackd restore --input FILE (with the server stopped).
`;

const pad = (n: number) => String(n).padStart(2, '0');

export function defaultBackupName(d = new Date()): string {
  const date = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
  return `rackd-backup-${date}-${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}.db`;
}

export async function backupCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { output: { type: 'string' }, 'data-dir': { type: 'string' } });
  noPositionals(positionals);
  const config = configFrom({ dataDir: values['data-dir'] });
  const output = resolve(values.output?.trim() || defaultBackupName());
  const result = await backupDataDir(config.dataDir, output);
  process.stdout.write(`backup written to ${result.file} (${result.bytes} bytes)\n`);
  const keyFile = join(config.dataDir, MASTER_KEY_FILE);
  if (!config.encryptionKey && existsSync(keyFile)) {
    process.stderr.write(`note: the backup does not include ${keyFile}; keep a copy of it, or encrypted secrets cannot be read after a restore\n`);
  }
  return 0;
}
