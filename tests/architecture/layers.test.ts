// The layer rules of docs/architecture.md, held by parsing every import in src/ and schemas/:
// a rule broken anywhere fails here, naming the file and the import.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../helpers/server.ts';

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });

// Static imports and re-exports (`import x from`, `import type`, `export … from`) and dynamic `import('…')`.
const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?[^'"]*?\sfrom\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

export function importsOf(file: string, text: string): Edge[] {
  const out: Edge[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[3] ?? m[4] ?? m[5]!;
    if (!spec.startsWith('.')) continue;
    out.push({ from: relative(ROOT, file), to: relative(ROOT, resolve(dirname(file), spec)), typeOnly: m[2] !== undefined });
  }
  return out;
}

const EDGES: Edge[] = [...walk(join(ROOT, 'src')), ...walk(join(ROOT, 'schemas'))].flatMap((f) => importsOf(f, readFileSync(f, 'utf8')));

const under = (path: string, dirs: readonly string[]) => dirs.some((d) => path === d || path.startsWith(`${d}/`));
const SURFACES = ['src/http', 'src/mcp', 'src/cli', 'src/web'];

function violations(from: readonly string[], to: readonly string[], opts: { typesToo?: boolean } = {}): string[] {
  return EDGES.filter((e) => under(e.from, from) && under(e.to, to) && (opts.typesToo || !e.typeOnly)).map((e) => `${e.from} → ${e.to}`);
}

describe('layer rules', () => {
  it('the parser sees imports (so the rules below can fail)', () => {
    const edges = importsOf(join(ROOT, 'src/x/y.ts'), "import { a } from '../db/client.ts';\nimport type { B } from './b.ts';\nexport { c } from '../c.ts';\nconst d = await import('../d.ts');");
    assert.deepEqual(
      edges.map((e) => [e.to, e.typeOnly]),
      [
        ['src/db/client.ts', false],
        ['src/x/b.ts', true],
        ['src/c.ts', false],
        ['src/d.ts', false],
      ],
    );
    assert.ok(EDGES.length > 500, `${EDGES.length} imports found`);
    assert.deepEqual(violations(['src/x'], ['src/db']), [], 'a synthetic edge is not in EDGES');
  });

  it('surfaces (http, mcp, cli, web) never import db/', () => {
    assert.deepEqual(violations(SURFACES, ['src/db'], { typesToo: true }), []);
  });

  it('services never import a surface, the catalogue, webhooks/ or oauth/', () => {
    assert.deepEqual(violations(['src/services'], [...SURFACES, 'src/operations', 'src/webhooks', 'src/oauth', 'src/runtime.ts', 'src/app.ts'], { typesToo: true }), []);
  });

  it('the OAuth protocol code and discovery reach storage only through services', () => {
    assert.deepEqual(violations(['src/oauth', 'src/discovery', 'src/operations'], ['src/db'], { typesToo: true }), []);
  });

  it('the catalogue and the service layer do not depend on the delivery worker', () => {
    assert.deepEqual(violations(['src/operations', 'src/services', 'src/auth', 'src/platform'], ['src/webhooks']), []);
  });

  it('leaves import nothing from src/: the wire schemas and discovery/types.ts', () => {
    assert.deepEqual(violations(['schemas'], ['src'], { typesToo: true }), []);
    assert.deepEqual(EDGES.filter((e) => e.from === 'src/discovery/types.ts').map((e) => e.to), []);
  });
});
