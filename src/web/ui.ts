// Serves the web UI: the HTML shell for GET requests to its routes (an explicit list: the
// hand-made pages plus one slug per catalogue resource, so an unknown path stays a 404 and a new
// module's pages need no change here), and the hashed assets under /assets/ui/ as
// immutable, precompressed (brotli or gzip by Accept-Encoding). The compiled server serves the
// bundle `npm run build` wrote to dist/web/; run from source, it builds it in memory on first use.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { fileURLToPath } from 'node:url';
import type { AppEnv } from '../http/types.ts';
import type { Operation } from '../operations/types.ts';
import type { Logger } from '../platform/logger.ts';
import { ASSET_PREFIX, buildUi, readUi, type Asset, type UiBundle } from './build.ts';
import { uiResources } from './resources.ts';

/** First path segments of the hand-made pages (see src/web/client/router.ts). */
export const UI_SECTIONS = ['login', 'setup', 'account', 'search', 'devices', 'networks', 'pools', 'discovery', 'access', 'admin'] as const;

/** Where `npm run build` puts the bundle: dist/web/, next to the compiled dist/src/. */
const compiled = import.meta.url.endsWith('.js');
export const PREBUILT_DIR = fileURLToPath(new URL(compiled ? '../../web/' : '../../dist/web/', import.meta.url));

let bundle: Promise<UiBundle> | undefined;

/**
 * The UI bundle of this process: the prebuilt one for the compiled server, else built now (once;
 * brotli at quality 9 keeps this build well under a second).
 */
export function uiBundle(): Promise<UiBundle> {
  bundle ??= (async () => (compiled ? readUi(PREBUILT_DIR) : undefined) ?? (await buildUi({ quality: 9 })))();
  return bundle;
}

/** Builds (or loads) the bundle ahead of the first request and logs how long it took. */
export async function warmUi(logger: Logger): Promise<void> {
  const t0 = performance.now();
  try {
    const b = await uiBundle();
    logger.info('web UI ready', { assets: b.assets.size, ms: Math.round(performance.now() - t0) });
  } catch (err) {
    logger.error('web UI build failed', { err: err instanceof Error ? err : String(err) });
  }
}

function send(c: Context<AppEnv>, a: Asset, cacheControl: string): Response {
  const accept = c.req.header('accept-encoding') ?? '';
  const [body, encoding] = /\bbr\b/.test(accept) ? [a.br, 'br'] : /\bgzip\b/.test(accept) ? [a.gzip, 'gzip'] : [a.body, undefined];
  c.header('Content-Type', a.type);
  c.header('Cache-Control', cacheControl);
  c.header('Vary', 'Accept-Encoding');
  if (encoding) c.header('Content-Encoding', encoding);
  return c.body(new Uint8Array(body));
}

export function uiRoutes(ops: readonly Operation[]): Hono<AppEnv> {
  const sections = new Set<string>([...UI_SECTIONS, ...uiResources(ops).map((r) => r.slug)]);
  const app = new Hono<AppEnv>();
  app.get(`${ASSET_PREFIX}:name`, async (c, next) => {
    const a = (await uiBundle()).assets.get(c.req.param('name'));
    if (!a) return next();
    return send(c, a, 'public, max-age=31536000, immutable');
  });
  app.get('*', async (c, next) => {
    const first = c.req.path.split('/')[1] ?? '';
    if (first !== '' && !sections.has(first)) return next();
    // The shell is small and must always be fresh: it names the current hashed assets.
    return send(c, (await uiBundle()).html, 'no-cache');
  });
  return app;
}
