#!/usr/bin/env node
// Second half of `npm run build`: tsc emits only JavaScript, but the compiled server also needs
// the files that the sources read at run time next to them (SQL migrations, which
// src/db/client.ts resolves as ./migrations relative to itself; the OAuth pages' stylesheet). Copies every
// file under src/ and schemas/ that is not TypeScript to the same path under dist/.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? walk(p) : [p];
  });

let copied = 0;
for (const top of ['src', 'schemas']) {
  const dir = join(root, top);
  if (!existsSync(dir)) continue;
  for (const file of walk(dir)) {
    if (/\.(c|m)?tsx?$/.test(file)) continue;
    // The browser code is bundled into dist/web/ by scripts/build-ui.ts instead.
    if (relative(root, file).startsWith(join('src', 'web', 'client'))) continue;
    const to = join(dist, relative(root, file));
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(file, to);
    copied++;
  }
}
console.log(`copy-assets: ${copied} file(s) copied to ${relative(root, dist)}/`);
if (!existsSync(join(dist, 'src/db/migrations/meta/_journal.json'))) {
  console.error('copy-assets: dist/src/db/migrations is missing its journal; the build would not migrate');
  process.exit(1);
}
