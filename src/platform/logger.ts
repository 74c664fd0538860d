// Structured logging to stdout in JSON or text; secrets are masked (platform/redact.ts) before
// anything is written.
import { redact, type RedactOptions } from './redact.ts';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

const ORDER: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50 };
export interface Logger {
  trace(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
  /** Whether a message at `level` would be written (to skip building its fields). */
  enabled(level: LogLevel): boolean;
}

const MASK: RedactOptions = { mode: 'mask', maxDepth: 6 };

export interface LoggerOptions {
  level: LogLevel;
  format: 'json' | 'text';
  write?: (line: string) => void;
  base?: LogFields;
}

/**
 * One object per logger; a child (one per request, carrying its request id) is a single small
 * allocation sharing the parent's writer, and a call below the level returns before touching its
 * fields.
 */
class StructuredLogger implements Logger {
  constructor(
    private readonly opts: LoggerOptions,
    private readonly write: (line: string) => void,
    private readonly min: number,
    private readonly base: LogFields,
  ) {}

  enabled(level: LogLevel): boolean {
    return ORDER[level] >= this.min;
  }

  private log(level: LogLevel, msg: string, fields?: LogFields): void {
    if (ORDER[level] < this.min) return;
    const all = redact({ ...this.base, ...fields }, MASK) as LogFields;
    const time = new Date().toISOString();
    if (this.opts.format === 'json') {
      this.write(JSON.stringify({ time, level, msg, ...all }));
    } else {
      const kv = Object.entries(all)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s|"/.test(v) ? v : JSON.stringify(v)}`)
        .join(' ');
      this.write(`${time} ${level.toUpperCase().padEnd(5)} ${msg}${kv ? ' ' + kv : ''}`);
    }
  }

  trace(msg: string, fields?: LogFields): void {
    this.log('trace', msg, fields);
  }
  debug(msg: string, fields?: LogFields): void {
    this.log('debug', msg, fields);
  }
  info(msg: string, fields?: LogFields): void {
    this.log('info', msg, fields);
  }
  warn(msg: string, fields?: LogFields): void {
    this.log('warn', msg, fields);
  }
  error(msg: string, fields?: LogFields): void {
    this.log('error', msg, fields);
  }
  child(fields: LogFields): Logger {
    return new StructuredLogger(this.opts, this.write, this.min, { ...this.base, ...fields });
  }
}

export function createLogger(opts: LoggerOptions): Logger {
  const write = opts.write ?? ((line: string) => process.stdout.write(line + '\n'));
  return new StructuredLogger(opts, write, ORDER[opts.level], opts.base ?? {});
}

export const silentLogger: Logger = createLogger({ level: 'error', format: 'json', write: () => {} });
