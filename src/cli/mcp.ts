// rackd mcp: MCP over stdio for hosts that launch a local process, proxying to a running server.
import { runStdioBridge } from '../mcp/stdio.ts';
import { createLogger, type LogLevel } from '../platform/logger.ts';
import { parseFlags, UsageError } from './common.ts';

export const mcpHelp = `Usage: rackd mcp

Serves MCP over stdio (JSON-RPC on stdin/stdout) by forwarding every message to a running rackd
server's /mcp endpoint. The tools, permissions and errors are the server's. Logs go to stderr.

Environment:
  RACKD_URL        the server's base URL (default http://localhost:8080)
  RACKD_API_KEY    an API key (required); the tools are those it may use
  RACKD_TOOLSETS   only these toolsets, comma-separated: inventory, ipam, discovery, webhooks,
                   admin (default all)
  LOG_LEVEL        trace|debug|info|warn|error for the stderr log (default info)
`;

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error']);

export async function mcpCommand(args: string[]): Promise<number> {
  const { positionals } = parseFlags(args, {});
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  // Read once at start-up: this command has no config file of its own.
  const apiKey = process.env.RACKD_API_KEY?.trim();
  if (!apiKey) throw new UsageError('RACKD_API_KEY is not set: create an API key (rackd web UI or POST /api/keys) and export it');
  const rawUrl = process.env.RACKD_URL?.trim() || 'http://localhost:8080';
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new UsageError(`RACKD_URL is not a URL: ${rawUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`RACKD_URL must be http(s): ${rawUrl}`);
  const level = process.env.LOG_LEVEL ?? 'info';
  const logger = createLogger({
    level: (LEVELS.has(level) ? level : 'info') as LogLevel,
    format: 'text',
    write: (line) => process.stderr.write(`${line}\n`),
    base: { component: 'mcp-stdio' },
  });
  const toolsets = process.env.RACKD_TOOLSETS?.trim() || undefined;
  await runStdioBridge({ url, apiKey, logger, toolsets });
  return 0;
}
