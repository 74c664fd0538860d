// rackd credentials rotate-key: moves every sealed secret (discovery credentials, webhook
// secrets) to a new master key, offline, then installs the new key. The database changes in one
// transaction; the new key file is written beside the old one first and renamed into place
// after the commit, so at no moment is the only copy of the key that opens the data lost.
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { keyMaterialFromSecret, MASTER_KEY_FILE } from '../platform/keys.ts';
import { serverRunning } from '../runtime.ts';
import { rotateSealedSecrets } from '../services/credentials/rotate-key.ts';
import { configFrom, parseFlags, UsageError } from './common.ts';
import { cliCaller, noPositionals, openOfflineRuntime, readFirstLine, requireFlag } from './offline.ts';

export const credentialsHelp = `Usage: rackd credentials rotate-key --new-key HEX [options]

Re-encrypts every secret sealed under the server's master key (discovery credentials and webhook
secrets) with a new master key, in one transaction, then installs the new key:
  - when the current key comes from DATA_DIR/${MASTER_KEY_FILE}, the new key replaces that file (0600);
  - when it comes from ENCRYPTION_KEY, you must set ENCRYPTION_KEY to the new key before the
    server starts again (the command cannot change your environment).
Refused while a rackd server runs on DATA_DIR. OAuth access tokens signed with a key derived from
the old master key stop verifying; clients get new ones with their refresh tokens.

Options:
  --new-key HEX     the new master key: 64 hex characters (e.g. from: openssl rand -hex 32).
                    Give "-" to read it from the first line of stdin instead of the command line.
  --data-dir DIR    overrides DATA_DIR

Exit codes: 0 done, 1 failed (nothing changed), 2 usage error.
`;

const HEX_KEY = /^[0-9a-f]{64}$/i;

async function rotateKeyCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { 'new-key': { type: 'string' }, 'data-dir': { type: 'string' } });
  noPositionals(positionals);
  let newHex = requireFlag(values['new-key'], 'new-key').trim();
  if (newHex === '-') newHex = ((await readFirstLine()) ?? '').trim();
  if (!HEX_KEY.test(newHex)) throw new UsageError('--new-key must be 64 hex characters (32 bytes)');
  const config = configFrom({ dataDir: values['data-dir'] });
  const pid = serverRunning(config.dataDir);
  if (pid) throw new Error(`a rackd server (pid ${pid}) is running on ${config.dataDir}; stop it before rotating the key`);

  const keyFile = join(config.dataDir, MASTER_KEY_FILE);
  const source = config.encryptionKey ? 'env' : existsSync(keyFile) ? 'file' : undefined;
  if (!source) throw new Error(`no current key: neither ENCRYPTION_KEY nor ${keyFile} exists, so there is nothing to rotate from`);
  const oldHex = source === 'env' ? config.encryptionKey! : readFileSync(keyFile, 'utf8').trim();
  if (oldHex.toLowerCase() === newHex.toLowerCase()) throw new UsageError('--new-key is the key already in use');

  const pending = `${keyFile}.new`;
  if (source === 'file') writeFileSync(pending, newHex.toLowerCase() + '\n', { mode: 0o600 });
  let counts: { credentials: number; webhooks: number };
  try {
    const runtime = await openOfflineRuntime(config);
    try {
      counts = await rotateSealedSecrets(runtime.env, cliCaller(), keyMaterialFromSecret(Buffer.from(newHex, 'hex'), source));
    } finally {
      await runtime.close();
    }
  } catch (err) {
    if (source === 'file') rmSync(pending, { force: true });
    throw err;
  }
  if (source === 'file') {
    renameSync(pending, keyFile);
    chmodSync(keyFile, 0o600);
  }
  process.stdout.write(`re-encrypted ${counts.credentials} credential(s) and ${counts.webhooks} webhook secret(s) under the new key\n`);
  if (source === 'file') process.stdout.write(`${keyFile} now holds the new key\n`);
  else process.stdout.write('the current key came from ENCRYPTION_KEY: set ENCRYPTION_KEY to the new key before starting the server\n');
  return 0;
}

export async function credentialsCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'rotate-key') return rotateKeyCommand(rest);
  throw new UsageError(sub ? `unknown subcommand "credentials ${sub}" (try rotate-key)` : 'missing subcommand (try: rackd credentials rotate-key --new-key HEX)');
}
