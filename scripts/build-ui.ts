// Third step of `npm run build`: bundles the web UI (src/web/client/) into dist/web/ with its
// gzip and brotli variants, which the compiled server (dist/src/web/ui.js) serves as they are.
import { buildUi, writeUi } from '../src/web/build.ts';
import { PREBUILT_DIR } from '../src/web/ui.ts';

const t0 = performance.now();
const bundle = await buildUi({ quality: 11 });
writeUi(bundle, PREBUILT_DIR);
const size = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
for (const a of bundle.assets.values()) console.log(`build-ui: ${a.name} ${size(a.body.length)} (br ${size(a.br.length)}, gzip ${size(a.gzip.length)})`);
console.log(`build-ui: wrote ${PREBUILT_DIR} in ${Math.round(performance.now() - t0)} ms`);
