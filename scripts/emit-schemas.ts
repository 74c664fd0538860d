// `npm run schemas`: writes schemas/generated/openapi.json and tools.json from the operation
// catalogue, the tool table of docs/mcp.md and the route table of docs/api.md. The files are committed;
// tests/schemas/generated.test.ts fails when they are stale.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildOpenApi } from '../src/http/openapi.ts';
import { prepareTools } from '../src/mcp/tools.ts';
import { OPERATIONS } from '../src/operations/index.ts';
import { successStatus, responseKind } from '../src/operations/binding.ts';
import { bindingsOf, isTool, requirementOf, type HttpBinding, type Operation } from '../src/operations/types.ts';

export const GENERATED_DIR = fileURLToPath(new URL('../schemas/generated/', import.meta.url));
export const MCP_DOC = fileURLToPath(new URL('../docs/mcp.md', import.meta.url));
export const API_DOC = fileURLToPath(new URL('../docs/api.md', import.meta.url));

/** Tool descriptors in name order, so adding an operation anywhere in the catalogue is a local diff. */
export function toolsDocument(ops: readonly Operation[]): { tools: unknown[] } {
  const tools = prepareTools(ops)
    .map((t) => t.descriptor)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((d) => ({ name: d.name, title: d.title, description: d.description, inputSchema: d.inputSchema, outputSchema: d.outputSchema, annotations: d.annotations }));
  return { tools };
}

const render = (doc: unknown): string => `${JSON.stringify(doc, null, 2)}\n`;

/** The permission rule of an operation, as the docs' tables write it. */
export function ruleText(op: Operation): string {
  const r = requirementOf(op);
  if (r.mode === 'public') return 'none (public)';
  if (r.mode === 'none') return 'any authenticated caller';
  return r.permissions.map((p) => `\`${p}\``).join(r.mode === 'all' ? ' and ' : ' or ');
}

/** File name → exact content the code generates. */
export function renderGenerated(ops: readonly Operation[] = OPERATIONS): Record<string, string> {
  return { 'openapi.json': render(buildOpenApi(ops)), 'tools.json': render(toolsDocument(ops)) };
}

const TABLE = /(<!-- tools:start[^>]*-->\n)[\s\S]*?(<!-- tools:end -->)/;

/** docs/mcp.md with the tool table between its markers rebuilt from the catalogue. */
export function withToolTable(doc: string, ops: readonly Operation[] = OPERATIONS): string {
  if (!TABLE.test(doc)) throw new Error('docs/mcp.md lost its <!-- tools:start --> / <!-- tools:end --> markers');
  const yes = (b: boolean | undefined) => (b ? 'yes' : '');
  const rows = prepareTools(ops)
    .sort((a, b) => (a.toolset < b.toolset ? -1 : a.toolset > b.toolset ? 1 : a.op.name < b.op.name ? -1 : 1))
    .map(({ op, toolset }) => {
      const a = op.annotations;
      return `| \`${op.name}\` | ${toolset} | ${op.title} | ${ruleText(op)} | ${yes(a.readOnly)} | ${yes(a.destructive)} | ${yes(a.openWorld)} |`;
    });
  const table = ['| Tool | Toolset | Title | Permission | Read-only | Destructive | Open world |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
  return doc.replace(TABLE, (_m, start: string, end: string) => `${start}${table}\n${end}`);
}

const ROUTES = /(<!-- routes:start[^>]*-->\n)[\s\S]*?(<!-- routes:end -->)/;

function successOf(b: HttpBinding): string {
  const status = `${successStatus(b)}${b.unchangedStatus ? ` (${b.unchangedStatus} when unchanged)` : ''}`;
  switch (responseKind(b)) {
    case 'items':
      return `${status}, bare array + \`X-Total-Count\``;
    case 'export':
      return `${status}, attachment (CSV or JSON)`;
    case 'session':
      return `${status}, sets the session cookie`;
    case 'end-session':
      return `${status}, clears the session cookie`;
    default:
      return status;
  }
}

/** docs/api.md with the table of every catalogue route (by path, then method) rebuilt between its markers. */
export function withRouteTable(doc: string, ops: readonly Operation[] = OPERATIONS): string {
  if (!ROUTES.test(doc)) throw new Error('docs/api.md lost its <!-- routes:start --> / <!-- routes:end --> markers');
  const order = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  const rows = ops
    .flatMap((op) => bindingsOf(op).map((b) => ({ op, b, path: b.path.replace(/:(\w+)/g, '{$1}') })))
    .sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : order.indexOf(x.b.method) - order.indexOf(y.b.method)))
    .map(({ op, b, path }) => {
      const tool = isTool(op) ? `\`${op.name}\`` : '(REST only)';
      return `| \`${b.method} ${path}\` | ${b.summary ?? op.title} | ${tool} | ${ruleText(op)} | ${successOf(b)} |`;
    });
  const table = ['| Method and path | What it does | MCP tool | Permission | Success |', '|---|---|---|---|---|', ...rows].join('\n');
  return doc.replace(ROUTES, (_m, start: string, end: string) => `${start}${table}\n${end}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [name, content] of Object.entries(renderGenerated())) {
    const path = join(GENERATED_DIR, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    process.stdout.write(`wrote ${path}\n`);
  }
  for (const [file, rebuild] of [
    [MCP_DOC, withToolTable],
    [API_DOC, withRouteTable],
  ] as const) {
    const doc = readFileSync(file, 'utf8');
    const updated = rebuild(doc);
    if (updated !== doc) writeFileSync(file, updated);
    process.stdout.write(`${updated === doc ? 'unchanged' : 'updated'} ${file}\n`);
  }
}
