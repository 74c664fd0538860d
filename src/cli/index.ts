// The `rackd` command: dispatches to one file per command.
import { reportFailure } from './common.ts';
import { serverCommand, serverHelp } from './server.ts';

export const VERSION = '0.1.0';

type Command = { run: (args: string[]) => Promise<number>; help: string; summary: string };

const commands: Record<string, () => Promise<Command>> = {
  server: async () => ({ run: serverCommand, help: serverHelp, summary: 'run the HTTP/MCP server' }),
  user: async () => {
    const m = await import('./user.ts');
    return { run: m.userCommand, help: m.userHelp, summary: 'create users and reset passwords offline' };
  },
  migrate: async () => {
    const m = await import('./migrate.ts');
    return { run: m.migrateCommand, help: m.migrateHelp, summary: 'show or apply database migrations' };
  },
  backup: async () => {
    const m = await import('./backup.ts');
    return { run: m.backupCommand, help: m.backupHelp, summary: 'write an online-consistent copy of the database' };
  },
  mcp: async () => {
    const m = await import('./mcp.ts');
    return { run: m.mcpCommand, help: m.mcpHelp, summary: 'serve MCP over stdio, proxying to a running server' };
  },
  credentials: async () => {
    const m = await import('./credentials.ts');
    return { run: m.credentialsCommand, help: m.credentialsHelp, summary: 'rotate the key that encrypts credentials and webhook secrets' };
  },
  restore: async () => {
    const m = await import('./restore.ts');
    return { run: m.restoreCommand, help: m.restoreHelp, summary: 'replace the database with a backup' };
  },
};

export function registerCommand(name: string, load: () => Promise<Command>): void {
  commands[name] = load;
}

const usage = () =>
  `Usage: rackd <command> [options]\n\nCommands:\n${Object.keys(commands)
    .sort()
    .map((n) => `  ${n}`)
    .join('\n')}\n  version\n\nRun 'rackd <command> --help' for a command's options.\n`;

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (name === 'version' || name === '--version') {
    process.stdout.write(`rackd ${VERSION}\n`);
    return 0;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`rackd: unknown command "${name}"\n${usage()}`);
    return 2;
  }
  const cmd = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(cmd.help);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    return reportFailure(err);
  }
}
