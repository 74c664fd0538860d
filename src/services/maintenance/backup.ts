// `rackd backup`: an online-consistent copy of DATA_DIR/rackd.db through SQLite's backup API, safe
// while a server writes to the same file (WAL readers do not block the writer).
import { closeSync, existsSync, openSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE, openDatabase } from '../../db/client.ts';

export interface BackupResult {
  file: string;
  bytes: number;
}

export async function backupDataDir(dataDir: string, output: string): Promise<BackupResult> {
  const source = join(dataDir, DB_FILE);
  if (!existsSync(source)) throw new Error(`no database to back up at ${source}`);
  // Create the file ourselves: exclusive (never overwrite, least of all the live database) and
  // 0600 from the first byte, not chmod-ed after the data is already in it.
  try {
    closeSync(openSync(output, 'wx', 0o600));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Error(`${output} already exists; choose another --output`);
    if (code === 'ENOENT') throw new Error(`cannot create ${output}: its directory does not exist`);
    throw err;
  }
  const db = openDatabase(source, { migrate: false });
  try {
    // All pages in one step: the default 100-page steps restart whenever the server writes in
    // between, and on a busy server a larger database would never finish.
    await db.$client.backup(output, { progress: () => 0x7fffffff });
  } catch (err) {
    rmSync(output, { force: true });
    throw err;
  } finally {
    db.$client.close();
  }
  return { file: output, bytes: statSync(output).size };
}
