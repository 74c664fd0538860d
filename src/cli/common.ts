// Shared plumbing of CLI commands: configuration from env + flags, and failures as one line.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadEnv, parseConfig, type Config, type ConfigOverrides } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';

export class UsageError extends Error {
  override name = 'UsageError';
}

export type Options = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

export const DATA_DIR_FLAG = { 'data-dir': { type: 'string' } } as const;

export function configFrom(overrides: ConfigOverrides): Config {
  return parseConfig(loadEnv(), overrides);
}

/** Exit codes: 0 ok, 1 operation failed, 2 usage or configuration error. */
export function reportFailure(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`rackd: ${err.message}\n`);
    return 2;
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`rackd: invalid configuration: ${err.message}\n`);
    return 2;
  }
  if (err instanceof AppError) {
    const details = err.details?.length ? ` (${err.details.map((d) => `${d.field}: ${d.message}`).join('; ')})` : '';
    process.stderr.write(`rackd: ${err.code}: ${err.message}${err.details?.length && !err.message.includes(err.details[0]!.message) ? details : ''}\n`);
    return 1;
  }
  process.stderr.write(`rackd: ${(err as Error)?.message ?? String(err)}\n`);
  return 1;
}
