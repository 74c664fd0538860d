// What the generic pages share: calling an operation by its REST binding, columns and property
// rows of a record from its schema, names of referenced records, form values to request bodies.
import { request, type ApiResult, type Query } from '../api.ts';
import { bindingOf, fillPath, labelOf, unwrap, type CatalogueOperation, type Field, type JsonSchema } from '../catalogue.ts';
import { fmtDate, isTimestampField, text } from '../format.ts';
import { can, catalogue } from '../session.ts';

export type Rec = Record<string, unknown>;

export interface Column {
  name: string;
  label: string;
  /** Resource whose record the value names (`datacenter_id` → datacenter). */
  ref?: string;
  time: boolean;
  status: boolean;
}

/** Calls an operation over REST: path params from `input`, the rest as query (GET/DELETE) or body. */
export async function callOp<T = unknown>(op: CatalogueOperation, input: Rec, opts: { method?: string; withParams?: boolean } = {}): Promise<ApiResult<T>> {
  const b = bindingOf(op, opts.method, opts.withParams);
  if (!b) throw new Error(`${op.name} has no REST binding`);
  const params = [...b.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  const rest: Rec = {};
  for (const [k, v] of Object.entries(input)) if (!params.includes(k)) rest[k] = v;
  const path = fillPath(b.path, Object.fromEntries(params.map((p) => [p, String(input[p] ?? '')])));
  const fromQuery = (b.method === 'GET' || b.method === 'DELETE') && !b.body;
  return request<T>(b.method, path, fromQuery ? { query: rest as Query } : { body: rest });
}

/** The name a person knows a record by. */
export const recordLabel = (r: Rec): string => String(r.name ?? r.hostname ?? r.subnet ?? r.ip ?? r.ip_address ?? r.username ?? r.id ?? '');

const HIDDEN_COLUMNS = new Set(['id', 'created_at', 'updated_at', 'description', 'facts', 'services', 'attempt_log', 'addresses']);

/** Up to `max` columns of a list: the name first, then scalar fields and short lists. */
export function columnsOf(item: JsonSchema, max = 7): Column[] {
  const props = Object.entries(item.properties ?? {});
  const scalar = props.filter(([name, s]) => {
    if (HIDDEN_COLUMNS.has(name)) return false;
    const t = unwrap(s).schema;
    return t.type !== 'object' && (t.type !== 'array' || ['string', 'integer', 'number'].includes(String(unwrap(t.items ?? {}).schema.type)));
  });
  scalar.sort(([a], [b]) => (b === 'name' ? 1 : 0) - (a === 'name' ? 1 : 0));
  return scalar.slice(0, max).map(([name]) => ({
    name,
    label: labelOf(name),
    ref: catalogue().refOf(name)?.name,
    time: isTimestampField(name),
    status: name === 'status',
  }));
}

/** Every property of a record except secrets, for a detail page. */
export const propertyColumns = (item: JsonSchema): Column[] =>
  Object.keys(item.properties ?? {})
    .filter((n) => n !== 'id')
    .map((name) => ({ name, label: labelOf(name), ref: catalogue().refOf(name)?.name, time: isTimestampField(name), status: name === 'status' }));

/** Names of referenced records, loaded once per resource (the first 1000, by its list operation). */
export class RefNames {
  private readonly names = new Map<string, Map<string, string>>();
  private readonly loading = new Map<string, Promise<void>>();
  /** Options for a reference select: [{id, label}]. */
  readonly options = new Map<string, Array<{ id: string; label: string }>>();

  async load(resourceName: string): Promise<void> {
    if (this.loading.has(resourceName)) return this.loading.get(resourceName);
    const r = catalogue().resource(resourceName);
    const op = catalogue().op(r?.operations.list);
    const job = (async () => {
      if (!op) return;
      try {
        const res = await callOp<Rec[]>(op, { limit: 1000 }, { method: 'GET', withParams: false });
        const list = res.data ?? [];
        this.names.set(resourceName, new Map(list.map((x) => [String(x.id), recordLabel(x)])));
        this.options.set(resourceName, list.map((x) => ({ id: String(x.id), label: recordLabel(x) })));
      } catch {
        // Without the names the ids are shown; the page itself still works.
      }
    })();
    this.loading.set(resourceName, job);
    return job;
  }

  name(resourceName: string, id: unknown): string {
    if (id === null || id === undefined || id === '') return '—';
    return this.names.get(resourceName)?.get(String(id)) ?? String(id);
  }
}

/** A cell as text: referenced names, dates, lists. */
export function cellText(col: Column, row: Rec, refs: RefNames): string {
  const v = row[col.name];
  if (col.ref) return refs.name(col.ref, v);
  if (col.time && typeof v === 'string') return fmtDate(v);
  return text(v);
}

/** The href of a referenced record's page, or '' when it has none. */
export function refHref(col: Column, row: Rec): string {
  const v = row[col.name];
  if (!col.ref || !v) return '';
  return recordHref(col.ref, String(v));
}

const HAND_MADE_DETAIL: Record<string, string> = { device: '/devices/', network: '/networks/', pool: '/pools/' };

export function recordHref(resourceName: string, id: string): string {
  const hand = HAND_MADE_DETAIL[resourceName];
  if (hand) return hand + encodeURIComponent(id);
  const r = catalogue().resource(resourceName);
  return r?.operations.get ? `/${r.slug}/${encodeURIComponent(id)}` : '';
}

/** The permission a button needs: the op's `…:create` (or `…:update`) one, else any of its permissions. */
export function mayRun(op: CatalogueOperation | undefined, kind?: 'create' | 'update'): boolean {
  if (!op) return false;
  if (op.permission_mode === 'none' || op.permission_mode === 'public') return true;
  if (op.permission_mode === 'all') return op.permissions.every((p) => can(p));
  const specific = kind ? op.permissions.find((p) => p.endsWith(`:${kind}`)) : undefined;
  return specific ? can(specific) : op.permissions.some((p) => can(p));
}

/** A form value for a field, from a stored record. */
export function toFormValue(f: Field, v: unknown): unknown {
  if (f.kind === 'secret') return '';
  if (v === null || v === undefined) return f.kind === 'boolean' ? f.defaultOn : f.kind === 'events' ? [] : '';
  if (f.kind === 'boolean') return Boolean(v);
  if (f.kind === 'events') return Array.isArray(v) ? [...v] : [];
  if (f.kind === 'list') return Array.isArray(v) ? v.join('\n') : String(v);
  if (f.kind === 'numbers') return Array.isArray(v) ? v.join(', ') : String(v);
  if (f.kind === 'json') return JSON.stringify(v, null, 2);
  return String(v);
}

/** A request value from a form value; undefined leaves the field out. Throws on unparsable input. */
export function fromFormValue(f: Field, v: unknown): unknown {
  if (f.kind === 'boolean') return Boolean(v);
  if (f.kind === 'events') return v;
  const s = typeof v === 'string' ? v : String(v ?? '');
  if (s.trim() === '') return f.kind === 'list' || f.kind === 'numbers' ? [] : f.nullable ? null : undefined;
  if (f.kind === 'number') return Number(s);
  if (f.kind === 'list') return s.split(/[\n,]/).map((x) => x.trim()).filter(Boolean);
  if (f.kind === 'numbers') return s.split(/[\s,]+/).filter(Boolean).map(Number);
  if (f.kind === 'json') return JSON.parse(s);
  return s;
}

/** Field errors keyed by their top field (`ports.2` → `ports`), first message each. */
export function topFieldErrors(errors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, m] of Object.entries(errors)) out[k.split(/[.[]/)[0]!] ??= m;
  return out;
}

