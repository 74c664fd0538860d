// rackd migrate status|run: the schema migrations shipped with this build, applied or pending.
import { applyPendingMigrations, migrationReport } from '../services/maintenance/migrations.ts';
import { configFrom, parseFlags, UsageError } from './common.ts';

export const migrateHelp = `Usage: rackd migrate status|run [options]

  status    list every migration shipped with this build and whether DATA_DIR's database has it
            (reads only; does not apply anything)
  run       apply the pending migrations (the server also applies them when it starts)

Options:
  --data-dir DIR    overrides DATA_DIR
`;

export async function migrateCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { 'data-dir': { type: 'string' } });
  const [action, ...extra] = positionals;
  if (action !== 'status' && action !== 'run') {
    throw new UsageError(action ? `unknown migrate action "${action}" (expected status or run)` : 'expected an action: status or run');
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const config = configFrom({ dataDir: values['data-dir'] });
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
