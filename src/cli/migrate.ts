// rackd migrate status|run|copy: the schema migrations shipped with this build, applied or pending,
// and the copy of the SQLite database into an empty PostgreSQL one.
import { copyDataDirToPostgres } from '../services/maintenance/copy-to-postgres.ts';
import { applyPendingMigrations, migrationReport } from '../services/maintenance/migrations.ts';
import { configFrom, parseFlags, UsageError } from './common.ts';

export const migrateHelp = `Usage: rackd migrate status|run [options]
       rackd migrate copy --to postgres://USER@HOST:PORT/DATABASE [options]

  status    list every migration shipped with this build and whether DATA_DIR's database has it
            (reads only; does not apply anything)
  run       apply the pending migrations (the server also applies them when it starts)
  copy      copy DATA_DIR's SQLite database into an empty PostgreSQL database, all or nothing,
            and compare every table's row count and checksum on both sides (stop the server first)

Options:
  --data-dir DIR    overrides DATA_DIR
  --to URL          copy: the empty PostgreSQL database to fill
`;

export async function migrateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { 'data-dir': { type: 'string' }, to: { type: 'string' } });
  const [action, ...extra] = positionals;
  if (action !== 'status' && action !== 'run' && action !== 'copy') {
    throw new UsageError(action ? `unknown migrate action "${action}" (expected status, run or copy)` : 'expected an action: status, run or copy');
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  if (action !== 'copy' && values.to !== undefined) throw new UsageError('--to is only for migrate copy');
  const config = configFrom({ dataDir: values['data-dir'] });
  if (action === 'copy') {
    const to = values.to;
    if (!to) throw new UsageError('migrate copy needs --to postgres://USER@HOST:PORT/DATABASE');
    if (!/^postgres(ql)?:\/\//.test(to)) throw new UsageError('--to must be a postgres:// or postgresql:// URL');
    const report = await copyDataDirToPostgres(config.dataDir, to, {
      onTable: ({ table, rows }) => process.stderr.write(`copied   ${table} (${rows} rows)\n`),
    });
    const width = Math.max(...report.map((r) => r.table.length));
    for (const r of report) process.stdout.write(`${r.table.padEnd(width)}  ${String(r.rows).padStart(9)} rows  sha256 ${r.sourceChecksum.slice(0, 16)}  same in both\n`);
    const total = report.reduce((n, r) => n + r.rows, 0);
    process.stdout.write(`${report.length} tables, ${total} rows copied; row counts and checksums match\n`);
    return 0;
  }
  if (action === 'status') {
    const report = migrationReport(config.dataDir);
    if (!report.exists) process.stdout.write(`no database in ${config.dataDir} yet\n`);
    for (const m of report.migrations) process.stdout.write(`${m.applied ? 'applied' : 'pending'}  ${m.name}\n`);
    const pending = report.migrations.filter((m) => !m.applied).length;
    process.stdout.write(`${report.migrations.length - pending} applied, ${pending} pending\n`);
    return 0;
  }
  const applied = applyPendingMigrations(config.dataDir);
  for (const name of applied) process.stdout.write(`applied  ${name}\n`);
  process.stdout.write(applied.length === 0 ? 'database is up to date; 0 migrations applied\n' : `${applied.length} migration(s) applied\n`);
  return 0;
}
