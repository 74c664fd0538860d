// `npm run schemas`: writes schemas/generated/openapi.json and tools.json from the operation
// catalogue, and the tool table of docs/mcp.md. The files are committed;
// tests/schemas/generated.test.ts fails when they are stale.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildOpenApi } from '../src/http/openapi.ts';
import { prepareTools } from '../src/mcp/tools.ts';
import { OPERATIONS } from '../src/operations/index.ts';
import { permissionsOf, type Operation } from '../src/operations/types.ts';

export const GENERATED_DIR = fileURLToPath(new URL('../schemas/generated/', import.meta.url));
export const MCP_DOC = fileURLToPath(new URL('../docs/mcp.md', import.meta.url));

/** Tool descriptors in name order, so adding an operation anywhere in the catalogue is a local diff. */
export function toolsDocument(ops: readonly Operation[]): { tools: unknown[] } {
  const tools = prepareTools(ops)
    .map((t) => t.descriptor)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((d) => ({ name: d.name, title: d.title, description: d.description, inputSchema: d.inputSchema, outputSchema: d.outputSchema, annotations: d.annotations }));
  return { tools };
}

const render = (doc: unknown): string => `${JSON.stringify(doc, null, 2)}\n`;

/** File name → exact content the code generates. */
export function renderGenerated(ops: readonly Operation[] = OPERATIONS): Record<string, string> {
  return { 'openapi.json': render(buildOpenApi(ops)), 'tools.json': render(toolsDocument(ops)) };
}

const TABLE = /(<!-- tools:start[^>]*-->\n)[\s\S]*?(<!-- tools:end -->)/;

/** docs/mcp.md with the tool table between its markers rebuilt from the catalogue. */
export function withToolTable(doc: string, ops: readonly Operation[] = OPERATIONS): string {
  if (!TABLE.test(doc)) throw new Error('docs/mcp.md lost its <!-- tools:start --> / <!-- tools:end --> markers');
  const byName = new Map(ops.map((op) => [op.name, op]));
  const rows = (toolsDocument(ops).tools as { name: string; title: string; annotations: { readOnlyHint: boolean; destructiveHint: boolean } }[]).map((t) => {
    const perms = permissionsOf(byName.get(t.name)!).map((p) => `\`${p}\``).join(' or ');
    return `| \`${t.name}\` | ${t.title} | ${perms} | ${t.annotations.readOnlyHint ? 'yes' : ''} | ${t.annotations.destructiveHint ? 'yes' : ''} |`;
  });
  const table = ['| Tool | Title | Permission | Read-only | Destructive |', '|---|---|---|---|---|', ...rows].join('\n');
  return doc.replace(TABLE, (_m, start: string, end: string) => `${start}${table}\n${end}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [name, content] of Object.entries(renderGenerated())) {
    const path = join(GENERATED_DIR, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    process.stdout.write(`wrote ${path}\n`);
  }
  const doc = readFileSync(MCP_DOC, 'utf8');
  const updated = withToolTable(doc);
  if (updated !== doc) writeFileSync(MCP_DOC, updated);
  process.stdout.write(`${updated === doc ? 'unchanged' : 'updated'} ${MCP_DOC}\n`);
}
