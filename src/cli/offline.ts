// Shared plumbing of the offline commands (user, migrate, backup, restore): the runtime opened with
// logs on stderr (stdout carries the command's result), the CLI caller, and reading secrets and
// confirmations from the terminal or from stdin.
import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import { cliContext, type CallerContext } from '../auth/context.ts';
import type { Config } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { openRuntime, type Runtime } from '../runtime.ts';
import { UsageError } from './common.ts';

export function openOfflineRuntime(config: Config): Promise<Runtime> {
  const logger = createLogger({ ...config.log, write: (line) => process.stderr.write(line + '\n') });
  return openRuntime(config, { logger });
}

export function cliCaller(): CallerContext {
  let osUser: string;
  try {
    osUser = userInfo().username;
  } catch {
    osUser = process.env.USER ?? String(process.getuid?.() ?? 'unknown');
  }
  return cliContext(osUser);
}

/** Rejects positional arguments a command does not take, naming the first. */
export function noPositionals(positionals: string[]): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
}

export function requireFlag(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`--${flag} is required`);
  return value;
}

const MAX_LINE = 4096;

/** The first line of a non-terminal stdin (without its line ending); the rest is ignored. */
export function readFirstLine(stream: NodeJS.ReadStream = process.stdin): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const finish = (line: string | undefined, err?: Error) => {
      stream.off('data', onData).off('end', onEnd).off('error', onError);
      stream.pause();
      stream.destroy();
      if (err) reject(err);
      else resolve(line?.replace(/\r$/, ''));
    };
    const onData = (chunk: string) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl >= 0) finish(buf.slice(0, nl));
      else if (buf.length > MAX_LINE) finish(undefined, new Error(`the first line of stdin is longer than ${MAX_LINE} characters`));
    };
    const onEnd = () => finish(buf === '' ? undefined : buf);
    const onError = (err: Error) => finish(undefined, err);
    stream.setEncoding('utf8');
    stream.on('data', onData).on('end', onEnd).on('error', onError);
    stream.resume();
  });
}

/** Reads a line from the terminal without echoing it. Ctrl-C or Ctrl-D on an empty line cancels. */
export function promptHidden(question: string, stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      // Drop terminal escape sequences (arrow keys and the like) rather than store them.
      for (const ch of chunk.replace(/\x1b(\[[0-9;?]*[ -/]*[@-~]|.)?/g, '')) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || (ch === '\u0004' && value === '')) return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch === '\u0015') value = '';
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.setEncoding('utf8');
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

/**
 * A new password: asked twice without echo on a terminal, else the first line of stdin (so
 * scripts can pipe it, and it never appears in the process list as a flag would).
 */
export async function readNewPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await promptHidden('New password: ');
    const second = await promptHidden('Repeat password: ');
    process.stdin.destroy();
    if (first !== second) throw new Error('the passwords do not match');
    return first;
  }
  const line = await readFirstLine();
  if (line === undefined) throw new UsageError('no password given: type it at the prompt, or pipe it as the first line of stdin');
  return line;
}

/** Asks a yes/no question on the terminal; anything but "yes" is no. */
export async function confirmOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.once('close', () => resolve('')); // Ctrl-D or a closed terminal means no
      rl.question(`${question} Type "yes" to continue: `, resolve);
    });
    return answer.trim().toLowerCase() === 'yes';
  } finally {
    rl.close();
    process.stdin.destroy();
  }
}
