// `rackd migrate copy --to postgres://…`: the data directory's SQLite database copied into an
// empty PostgreSQL database (db/copy-to-postgres.ts), while the server is stopped. The source is
// opened read-only and must have every shipped migration, so both schemas are the same version.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE, migrationStatus, openDatabase } from '../../db/client.ts';
import { copyToPostgres, CopyError, type CopyOptions, type TableCopy } from '../../db/copy-to-postgres.ts';
import { AppError } from '../../platform/errors.ts';

export type { TableCopy };

export async function copyDataDirToPostgres(dataDir: string, targetUrl: string, opts: CopyOptions = {}): Promise<TableCopy[]> {
  if (!/^postgres(ql)?:\/\//.test(targetUrl)) throw new AppError('INVALID_INPUT', 'the target must be a postgres:// or postgresql:// URL');
  const file = join(dataDir, DB_FILE);
  if (!existsSync(file)) throw new AppError('NOT_FOUND', `no database in ${dataDir}`);
  const db = openDatabase(file, { readonly: true, migrate: false });
  try {
    const pending = migrationStatus(db).filter((m) => !m.applied);
    if (pending.length > 0) throw new AppError('CONFLICT', `the database has ${pending.length} pending migration(s); run \`rackd migrate run\` first`);
    return await copyToPostgres(db, targetUrl, opts);
  } catch (err) {
    if (err instanceof CopyError) throw new AppError('CONFLICT', err.message);
    throw err;
  } finally {
    db.$client.close();
  }
}
