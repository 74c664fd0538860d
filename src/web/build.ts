// Builds the web UI's browser bundle (src/web/client/) with esbuild: one JS and one CSS file with
// content-hashed names, the HTML shell with the page templates inlined, and gzip/brotli variants
// of each. In memory at server start when no prebuilt assets exist (running from source), or into
// dist/web/ by `npm run build` (scripts/build-ui.ts) for the compiled server and the Docker image.
import { build, type Plugin } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const CLIENT_DIR = fileURLToPath(new URL('./client/', import.meta.url));
/** URL prefix of the hashed assets. */
export const ASSET_PREFIX = '/assets/ui/';
const MANIFEST = 'manifest.json';

export interface Asset {
  /** File name under ASSET_PREFIX, e.g. `main-4F2K7Q.js`. */
  name: string;
  type: string;
  body: Buffer;
  gzip: Buffer;
  br: Buffer;
}

export interface UiBundle {
  /** The HTML shell every UI route answers with. */
  html: Asset;
  assets: Map<string, Asset>;
  /** Whether Alpine's CSP expression parser was given its cache (see alpineParseCache). */
  parseCache: boolean;
}

const ALPINE_CSP = /@alpinejs[\\/]csp[\\/]dist[\\/]module\.esm\.js$/;
const PARSER_ENTRY = 'function generateRuntimeFunction(expression) {';

/**
 * The Alpine CSP build tokenizes and parses an expression every time it evaluates it (3.17: no
 * cache in generateRuntimeFunction), which made a 50-row table cost tens of milliseconds. Its
 * evaluator is stateless and the parsed tree is never mutated, so the compiled function can be
 * kept per expression text. This patches that one function at bundle time; when a new Alpine
 * version no longer has it, the bundle is built unpatched (tests/web/build.test.ts notices).
 */
function alpineParseCache(state: { patched: boolean }): Plugin {
  return {
    name: 'alpine-csp-parse-cache',
    setup(b) {
      b.onLoad({ filter: ALPINE_CSP }, async (args) => {
        const src = await readFile(args.path, 'utf8');
        if (!src.includes(PARSER_ENTRY)) return { contents: src, loader: 'js' };
        state.patched = true;
        const cached =
          'var rackdParsed = new Map();\n' +
          'function generateRuntimeFunction(expression) {\n' +
          '  let fn = rackdParsed.get(expression);\n' +
          '  if (!fn) { fn = rackdGenerateRuntimeFunction(expression); rackdParsed.set(expression, fn); }\n' +
          '  return fn;\n' +
          '}\n' +
          'function rackdGenerateRuntimeFunction(expression) {';
        return { contents: src.replace(PARSER_ENTRY, cached), loader: 'js' };
      });
    },
  };
}

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  html: 'text/html; charset=utf-8',
};
const typeOf = (name: string): string => TYPES[name.slice(name.lastIndexOf('.') + 1)] ?? 'application/octet-stream';

function compressed(name: string, body: Buffer, quality: number): Asset {
  return {
    name,
    type: typeOf(name),
    body,
    gzip: gzipSync(body, { level: 9 }),
    br: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  };
}

/**
 * The page templates (pages/*.html, components/*.html) in file-name order, for the shell; a
 * `<!--include:NAME-->` line is replaced by components/NAME.part (markup shared by two pages).
 */
function templates(): string {
  const parts: string[] = [];
  for (const dir of ['components', 'pages']) {
    const full = join(CLIENT_DIR, dir);
    if (!existsSync(full)) continue;
    for (const f of readdirSync(full).filter((n) => n.endsWith('.html')).sort()) parts.push(readFileSync(join(full, f), 'utf8').trim());
  }
  return parts.join('\n').replace(/^[ \t]*<!--include:([a-z-]+)-->\n?/gm, (_m, name: string) => readFileSync(join(CLIENT_DIR, 'components', `${name}.part`), 'utf8'));
}

/**
 * Bundles the client. `quality` is the brotli level: 11 for `npm run build`, lower at server
 * start, where the whole build must stay well under a second.
 */
export async function buildUi(opts: { minify?: boolean; quality?: number } = {}): Promise<UiBundle> {
  const quality = opts.quality ?? 11;
  const state = { patched: false };
  const result = await build({
    entryPoints: [join(CLIENT_DIR, 'main.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    minify: opts.minify ?? true,
    write: false,
    outdir: '/ui',
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    loader: { '.svg': 'file' },
    legalComments: 'none',
    logLevel: 'silent',
    tsconfig: join(CLIENT_DIR, 'tsconfig.json'),
    plugins: [alpineParseCache(state)],
  });
  const assets = new Map<string, Asset>();
  for (const f of result.outputFiles) {
    const name = f.path.slice('/ui/'.length);
    assets.set(name, compressed(name, Buffer.from(f.contents), quality));
  }
  const icon = readFileSync(join(CLIENT_DIR, 'icon.svg'));
  const iconName = `icon-${hashOf(icon)}.svg`;
  assets.set(iconName, compressed(iconName, icon, quality));
  const js = [...assets.keys()].find((n) => n.startsWith('main-') && n.endsWith('.js'));
  const css = [...assets.keys()].find((n) => n.startsWith('main-') && n.endsWith('.css'));
  if (!js || !css) throw new Error('web UI build: main.js or main.css missing from the esbuild output');
  const shell = readFileSync(join(CLIENT_DIR, 'index.html'), 'utf8')
    .replace('<!--icon-->', `<link rel="icon" href="${ASSET_PREFIX}${iconName}" type="image/svg+xml">`)
    .replace('<!--assets-->', `<link rel="stylesheet" href="${ASSET_PREFIX}${css}">\n<script type="module" src="${ASSET_PREFIX}${js}"></script>`)
    .replace('<!--templates-->', () => templates());
  return { html: compressed('index.html', Buffer.from(shell), quality), assets, parseCache: state.patched };
}

/** A short content hash for files esbuild does not name itself (the icon). */
const hashOf = (body: Buffer): string => createHash('sha256').update(body).digest('base64url').slice(0, 8).toUpperCase();

/** Writes a bundle to `dir` (files, their .gz and .br, manifest.json); replaces what was there. */
export function writeUi(bundle: UiBundle, dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const all = [bundle.html, ...bundle.assets.values()];
  for (const a of all) {
    writeFileSync(join(dir, a.name), a.body);
    writeFileSync(join(dir, `${a.name}.gz`), a.gzip);
    writeFileSync(join(dir, `${a.name}.br`), a.br);
  }
  writeFileSync(join(dir, MANIFEST), JSON.stringify({ html: bundle.html.name, assets: [...bundle.assets.keys()], parse_cache: bundle.parseCache }, null, 2));
}

/** Reads a bundle written by writeUi; undefined when `dir` holds none. */
export function readUi(dir: string): UiBundle | undefined {
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) return undefined;
  const m = JSON.parse(readFileSync(file, 'utf8')) as { html: string; assets: string[]; parse_cache?: boolean };
  const load = (name: string): Asset => ({
    name,
    type: typeOf(name),
    body: readFileSync(join(dir, name)),
    gzip: readFileSync(join(dir, `${name}.gz`)),
    br: readFileSync(join(dir, `${name}.br`)),
  });
  return { html: load(m.html), assets: new Map(m.assets.map((n) => [n, load(n)])), parseCache: m.parse_cache ?? false };
}
