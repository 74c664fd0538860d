// The operation catalogue as GET /api/catalogue gives it (only what the signed-in user may use),
// and what the generic pages derive from it: fields of a form, columns of a list, references
// between resources, write-only secrets. Nothing here knows a particular resource.

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  description?: string;
  default?: unknown;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

export interface Binding {
  method: string;
  path: string;
  status: number;
  response: string;
  forbid?: string[];
  array_query?: string[];
  body?: string;
}

export interface CatalogueOperation {
  name: string;
  title: string;
  description: string;
  permissions: string[];
  /** How `permissions` combine: any one, all, none needed (any signed-in user) or public. */
  permission_mode: 'any' | 'all' | 'none' | 'public';
  annotations: { readOnly: boolean; destructive: boolean; idempotent: boolean; openWorld?: boolean };
  rest_only: boolean;
  http: Binding[];
  input: JsonSchema;
  output: JsonSchema;
}

export interface Resource {
  name: string;
  slug: string;
  label: string;
  operations: Partial<Record<'list' | 'get' | 'save' | 'create' | 'update' | 'delete', string>>;
  actions: string[];
}

export interface Catalogue {
  resources: Resource[];
  operations: CatalogueOperation[];
}

export type FieldKind = 'text' | 'textarea' | 'number' | 'boolean' | 'enum' | 'ref' | 'list' | 'numbers' | 'secret' | 'json' | 'events';

export interface Field {
  name: string;
  label: string;
  kind: FieldKind;
  help: string;
  options: string[];
  /** Resource name a `<x>_id` field refers to. */
  ref?: string;
  nullable: boolean;
  /** Required when creating (from `required` or "(required on create)"). */
  requiredOnCreate: boolean;
  integer: boolean;
  /** Multi-line input (descriptions, notes, private keys). */
  multiline: boolean;
  /** A boolean's default when the description states it ("default true"). */
  defaultOn: boolean;
}

const ACRONYMS = new Set(['id', 'ip', 'ips', 'ipv4', 'ipv6', 'vlan', 'mac', 'os', 'url', 'ssh', 'snmp', 'dns', 'cidr', 'api', 'tcp', 'udp', 'sec', 'v2c', 'v3']);

/** `snmp_credential_id` → "SNMP credential", `make_model` → "Make model". */
export function labelOf(name: string): string {
  const words = name.replace(/_id$/, name === 'id' ? '_id' : '').split(/[_-]/).filter(Boolean);
  const out = words.map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w));
  if (out.length === 0) return name;
  const first = out[0]!;
  out[0] = first === first.toUpperCase() ? first : first[0]!.toUpperCase() + first.slice(1);
  return out.join(' ');
}

/** The non-null branch of a nullable schema, and whether null is allowed. */
export function unwrap(s: JsonSchema): { schema: JsonSchema; nullable: boolean } {
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    const nonNull = branches.filter((b) => b.type !== 'null');
    const nullable = nonNull.length < branches.length;
    // bool | "true" | "false" unions (query flags) are booleans to a person.
    if (nonNull.some((b) => b.type === 'boolean')) return { schema: { ...s, anyOf: undefined, type: 'boolean' }, nullable };
    if (nonNull.length === 1) return { schema: { description: s.description, ...nonNull[0]! }, nullable };
  }
  if (Array.isArray(s.type)) return { schema: { ...s, type: s.type.find((t) => t !== 'null') }, nullable: s.type.includes('null') };
  return { schema: s, nullable: false };
}

const SECRET_NAME = /secret|password|community|private_key|auth_key|priv_key/;

export class CatalogueView {
  readonly byName: Map<string, CatalogueOperation>;
  readonly bySlug: Map<string, Resource>;

  constructor(readonly data: Catalogue) {
    this.byName = new Map(data.operations.map((o) => [o.name, o]));
    this.bySlug = new Map(data.resources.map((r) => [r.slug, r]));
  }

  op(name: string | undefined): CatalogueOperation | undefined {
    return name ? this.byName.get(name) : undefined;
  }

  resource(name: string): Resource | undefined {
    return this.data.resources.find((r) => r.name === name);
  }

  /** The resource a `<x>_id` field points at: `profile_id` → scan_profile, `snmp_credential_id` → credential. */
  refOf(field: string): Resource | undefined {
    if (!field.endsWith('_id') || field === 'id') return undefined;
    const stem = field.slice(0, -3);
    return (
      this.data.resources.find((r) => r.name === stem) ??
      this.data.resources.find((r) => stem.endsWith(`_${r.name}`)) ??
      this.data.resources.find((r) => r.name.endsWith(`_${stem}`))
    );
  }

  /** Properties of one item as the resource's get (or list) operation answers it. */
  itemSchema(r: Resource): JsonSchema {
    const get = this.op(r.operations.get);
    if (get) return get.output;
    const list = this.op(r.operations.list);
    return list?.output.properties?.items?.items ?? {};
  }

  /** The form of a save/create/update operation: every input field but the id. */
  formFields(r: Resource, opName: string | undefined): Field[] {
    const op = this.op(opName);
    if (!op) return [];
    const out = this.itemSchema(r).properties ?? {};
    const required = new Set(op.input.required ?? []);
    return Object.entries(op.input.properties ?? {})
      .filter(([name]) => name !== 'id')
      .map(([name, raw]) => this.field(name, raw, required.has(name), !(name in out)));
  }

  field(name: string, raw: JsonSchema, required: boolean, writeOnly: boolean): Field {
    const { schema, nullable } = unwrap(raw);
    const help = raw.description ?? schema.description ?? '';
    const ref = this.refOf(name);
    let kind: FieldKind = 'text';
    let options: string[] = [];
    const t = schema.type;
    if (writeOnly && (SECRET_NAME.test(name) || /write-only/i.test(help))) kind = 'secret';
    else if (schema.enum) {
      kind = 'enum';
      options = schema.enum.map(String);
    } else if (ref && t === 'string') kind = 'ref';
    else if (t === 'boolean') kind = 'boolean';
    else if (t === 'integer' || t === 'number') kind = 'number';
    // Webhook event subscriptions: a picker over GET /api/webhooks/events.
    else if (t === 'array' && name === 'events') kind = 'events';
    else if (t === 'array') kind = unwrap(schema.items ?? {}).schema.type === 'string' ? 'list' : unwrap(schema.items ?? {}).schema.type === 'integer' ? 'numbers' : 'json';
    else if (t === 'object') kind = 'json';
    else if (name === 'description' || name === 'notes' || (schema.maxLength ?? 0) > 4096) kind = 'textarea';
    return {
      name,
      label: labelOf(name),
      kind,
      help,
      options,
      ref: ref?.name,
      nullable,
      requiredOnCreate: required || /required on create|\(required\)/i.test(help),
      integer: t === 'integer',
      multiline: /private_key|certificate/.test(name),
      defaultOn: /default true|\(default: true\)/i.test(help),
    };
  }
}

/** The REST binding of an operation for a method (the first, or the one without path params). */
export function bindingOf(op: CatalogueOperation, method?: string, withParams?: boolean): Binding | undefined {
  return op.http.find((b) => (!method || b.method === method) && (withParams === undefined || b.path.includes('/:') === withParams)) ?? op.http[0];
}

/** `/api/pools/:pool_id/heatmap` with `{pool_id: 'x'}` → `/api/pools/x/heatmap`. */
export function fillPath(path: string, params: Record<string, string>): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, (_m, k: string) => encodeURIComponent(params[k] ?? ''));
}
