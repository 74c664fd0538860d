// The web UI bundle: what esbuild produces for src/web/client (hashed names, the shell naming
// them, no inline script or style), its brotli/gzip variants, and the dist/web/ round trip the
// compiled server reads (`npm run build` → readUi).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { buildUi, readUi, writeUi } from '../../src/web/build.ts';
import { tempDir } from '../helpers/server.ts';

describe('web UI bundle', () => {
  it('builds hashed JS and CSS, a shell that names them with every page template inlined, and compressed variants', async () => {
    const b = await buildUi({ quality: 5 });
    const names = [...b.assets.keys()];
    const js = names.find((n) => /^main-[A-Z0-9]+\.js$/.test(n));
    const css = names.find((n) => /^main-[A-Z0-9]+\.css$/.test(n));
    assert.ok(js && css, names.join(', '));
    const html = b.html.body.toString('utf8');
    assert.ok(html.includes(`<script type="module" src="/assets/ui/${js}"></script>`));
    assert.ok(html.includes(`<link rel="stylesheet" href="/assets/ui/${css}">`));
    assert.ok(!html.includes('<!--templates-->') && !html.includes('<!--include:'), 'placeholders replaced');
    for (const page of ['dashboard', 'devices', 'device-form', 'pool', 'scan', 'generic-list', 'generic-form', 'audit', 'setup']) {
      assert.ok(html.includes(`$store.router.route.page === '${page}'`), `template of ${page}`);
    }
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)/, 'no inline script');
    assert.doesNotMatch(html, /\sstyle=|x-html|\son[a-z]+=/i, 'no style attribute, x-html or inline handler');
    for (const a of [b.html, ...b.assets.values()]) {
      assert.deepEqual(gunzipSync(a.gzip), a.body, `${a.name} gzip`);
      assert.deepEqual(brotliDecompressSync(a.br), a.body, `${a.name} br`);
    }
    assert.match(b.assets.get(js)!.type, /^text\/javascript/);
    assert.equal(b.parseCache, true, 'Alpine\'s CSP parser got its per-expression cache (src/web/build.ts)');
    const dir = join(tempDir(), 'web');
    try {
      writeUi(b, dir);
      const back = readUi(dir)!;
      assert.deepEqual([...back.assets.keys()].sort(), names.sort());
      assert.deepEqual(back.html.br, b.html.br);
      assert.equal(readUi(join(dir, 'missing')), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
