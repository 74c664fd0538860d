// Runs the real `rackd` command as a child process (as an operator would) and collects its
// exit code and output. stdin is a pipe that gets `input` and is then closed, so it is not a TTY.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './server.ts';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Settings of every offline run: fast hashing, audit on, no initial admin, quiet logs. */
export const CLI_ENV: Record<string, string> = {
  PASSWORD_HASH_COST: '10',
  AUDIT_ENABLED: 'true',
  LOG_LEVEL: 'error',
  INITIAL_ADMIN_USERNAME: '',
};

export function runRackd(args: string[], opts: { dataDir?: string; input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src/main.ts'), ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...CLI_ENV,
      ...(opts.dataDir ? { DATA_DIR: opts.dataDir } : {}),
      ...opts.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.on('error', () => undefined); // the command may exit before reading its stdin
  child.stdin.end(opts.input ?? '');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`rackd ${args.join(' ')} did not finish:\n${stdout}\n${stderr}`));
    }, 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
