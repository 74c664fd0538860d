// rackd server [--dev-mode] [--data-dir D] [--listen-addr A] [--log-level L] [--log-format F]
import { formatDuration } from '../platform/duration.ts';
import { createLogger } from '../platform/logger.ts';
import { startServer } from '../runtime.ts';
import { warmUi } from '../web/ui.ts';
import { configFrom, parseFlags } from './common.ts';

export const serverHelp = `Usage: rackd server [options]

Serves the REST API, MCP and the web UI.

Options:
  --dev-mode            turn off COOKIE_SECURE and RATE_LIMIT_ENABLED (local development only)
  --data-dir DIR        overrides DATA_DIR
  --listen-addr ADDR    overrides LISTEN_ADDR (host:port, e.g. 127.0.0.1:8080)
  --log-level LEVEL     overrides LOG_LEVEL
  --log-format FORMAT   overrides LOG_FORMAT (text|json)
`;

export async function serverCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    'dev-mode': { type: 'boolean' },
    'data-dir': { type: 'string' },
    'listen-addr': { type: 'string' },
    'log-level': { type: 'string' },
    'log-format': { type: 'string' },
  });
  const config = configFrom({
    devMode: values['dev-mode'] ?? false,
    dataDir: values['data-dir'],
    listenAddr: values['listen-addr'],
    logLevel: values['log-level'],
    logFormat: values['log-format'],
  });
  const logger = createLogger(config.log);
  if (config.devMode) {
    logger.warn('dev mode: COOKIE_SECURE and RATE_LIMIT_ENABLED are off; do not use in production');
  }
  const server = await startServer(config, { logger, writePidFile: true });
  logger.info('rackd listening', {
    url: server.url,
    data_dir: config.dataDir,
    session_store: config.session.store,
    session_ttl: formatDuration(config.session.ttlMs),
    audit: config.audit.enabled,
    key_material: server.runtime.env.keys.source,
  });
  void warmUi(logger);
  await new Promise<void>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info('shutting down', { signal });
      const force = setTimeout(() => process.exit(1), 30_000);
      force.unref();
      void server.stop().then(resolve);
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  return 0;
}
