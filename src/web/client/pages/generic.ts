// Generic list, detail and form pages of any catalogue resource, built from its operations'
// schemas alone: filters from the list input, columns from the item output, form fields from the
// save input (types, enums, required, descriptions as help), references as selects, write-only
// secrets as password fields, a value the save answer returns once (a generated secret) shown once.
import Alpine from '@alpinejs/csp';
import { api, errorText, fieldErrors, newestOnly } from '../api.ts';
import type { CatalogueOperation, Field, Resource } from '../catalogue.ts';
import { badgeClass } from '../format.ts';
import { navigate, setQuery, type RouterStore } from '../router.ts';
import { catalogue, confirmAction, toast, toastError } from '../session.ts';
import {
  callOp,
  cellText,
  columnsOf,
  fromFormValue,
  mayRun,
  propertyColumns,
  recordHref,
  recordLabel,
  RefNames,
  refHref,
  toFormValue,
  topFieldErrors,
  type Column,
  type Rec,
} from '../components/records.ts';

const route = () => Alpine.store<RouterStore>('router').route;
const PAGE = 50;
const PAGING = new Set(['limit', 'offset', 'cursor']);

function resourceOfRoute(): Resource {
  return catalogue().bySlug.get(route().params.slug!)!;
}

/** Shared by the three pages: the resource, reference names, cell helpers. */
function base() {
  const r = resourceOfRoute();
  return {
    r,
    refs: new RefNames(),
    version: 0,
    get title(): string {
      return r.label;
    },
    cell(col: Column, row: Rec): string {
      void this.version;
      return cellText(col, row, this.refs);
    },
    cellHref: (col: Column, row: Rec) => refHref(col, row),
    /** Rows without an id (relationships) are keyed by position. */
    rowKey: (row: Rec, n: number) => String(row.id ?? `#${n}`),
    badge: (v: unknown) => badgeClass(v),
    async loadRefs(cols: Column[]): Promise<void> {
      await Promise.all([...new Set(cols.map((c) => c.ref).filter((x): x is string => !!x))].map((n) => this.refs.load(n)));
      this.version++;
    },
  };
}

export function registerGenericPages(): void {
  Alpine.data('genericList', () => {
    const b = base();
    const cat = catalogue();
    const listOp = cat.op(b.r.operations.list)!;
    const filters: Field[] = Object.entries(listOp.input.properties ?? {})
      .filter(([n]) => !PAGING.has(n) && !(listOp.input.required ?? []).includes(n))
      .map(([n, s]) => cat.field(n, s, false, false))
      .filter((f) => f.kind !== 'json' && f.kind !== 'numbers');
    const columns = columnsOf(cat.itemSchema(b.r));
    const saveOp = cat.op(b.r.operations.save ?? b.r.operations.create);
    return {
      ...b,
      columns,
      filters,
      rows: [] as Rec[],
      total: 0,
      loading: true,
      error: '',
      values: {} as Record<string, string>,
      get canCreate(): boolean {
        return mayRun(saveOp, 'create');
      },
      get newHref(): string {
        return `/${b.r.slug}/new`;
      },
      get offset(): number {
        return Number(route().query.offset ?? 0) || 0;
      },
      get pageText(): string {
        return this.total === 0 ? 'No items' : `${this.offset + 1}–${Math.min(this.offset + this.rows.length, this.total)} of ${this.total}`;
      },
      get hasPrev(): boolean {
        return this.offset > 0;
      },
      get hasNext(): boolean {
        return this.offset + this.rows.length < this.total;
      },
      async init(): Promise<void> {
        for (const f of filters) this.values[f.name] = route().query[f.name] ?? '';
        void this.loadRefs([...columns, ...filters.filter((f) => f.ref).map((f) => ({ name: f.name, label: f.label, ref: f.ref, time: false, status: false }))]);
        await this.load();
      },
      ticket: newestOnly(),
      async load(): Promise<void> {
        const fresh = this.ticket();
        this.loading = true;
        this.error = '';
        try {
          const q: Rec = { limit: PAGE, offset: this.offset || undefined };
          for (const f of filters) if (route().query[f.name]) q[f.name] = route().query[f.name];
          const res = await callOp<Rec[]>(listOp, q, { method: 'GET', withParams: false });
          if (!fresh()) return;
          this.rows = res.data ?? [];
          this.total = res.total ?? this.rows.length;
        } catch (err) {
          if (!fresh()) return;
          this.error = errorText(err);
          this.rows = [];
        } finally {
          if (fresh()) this.loading = false;
        }
      },
      applyFilters(): void {
        setQuery({ ...this.values });
        void this.load();
      },
      clearFilters(): void {
        for (const f of filters) this.values[f.name] = '';
        this.applyFilters();
      },
      page(delta: number): void {
        setQuery({ ...route().query, offset: String(Math.max(0, this.offset + delta * PAGE)) });
        void this.load();
      },
      rowHref: (row: Rec) => recordHref(b.r.name, String(row.id)),
      rowLabel: (row: Rec) => recordLabel(row) || String(row.id ?? ''),
      filterId: (f: Field) => `filter-${f.name}`,
      options(f: Field): Array<{ id: string; label: string }> {
        void this.version;
        if (f.kind === 'enum') return f.options.map((o) => ({ id: o, label: o }));
        if (f.kind === 'boolean') return [{ id: 'true', label: 'Yes' }, { id: 'false', label: 'No' }];
        return f.ref ? (this.refs.options.get(f.ref) ?? []) : [];
      },
      isSelect: (f: Field) => f.kind === 'enum' || f.kind === 'ref' || f.kind === 'boolean',
    };
  });

  Alpine.data('genericDetail', () => {
    const b = base();
    const cat = catalogue();
    const getOp = cat.op(b.r.operations.get)!;
    const item = cat.itemSchema(b.r);
    const props = propertyColumns(item);
    const saveOp = cat.op(b.r.operations.save ?? b.r.operations.update);
    const deleteOp = cat.op(b.r.operations.delete);
    const id = route().params.id!;
    // Extra operations on this record: POSTs whose only required input is the id (e.g. ping).
    const buttons = b.r.actions
      .map((n) => cat.op(n)!)
      .filter((op) => op && !op.annotations.readOnly && op.http.some((h) => h.method === 'POST' && /\/:id(\/|$)/.test(h.path) && h.path.startsWith(`/api/${b.r.slug}/:id`)))
      .filter((op) => (op.input.required ?? []).every((k) => k === 'id'));
    // Lists about this record: its own list actions (…/:id/deliveries) and other resources filtered by `<name>_id`.
    const own = b.r.actions
      .map((n) => cat.op(n)!)
      .filter((op) => op && op.annotations.readOnly && op.output.properties?.items && op.http.some((h) => h.method === 'GET' && h.path.startsWith(`/api/${b.r.slug}/:id/`)))
      .map((op) => {
        // Row actions of such a list: POST /api/<slug>/<segment>/:id/<verb> (e.g. redeliver a delivery).
        const segment = op.http.find((h) => h.method === 'GET')!.path.split('/').pop()!;
        const rowOps = b.r.actions.map((n) => cat.op(n)!).filter((a) => a && a.http.some((h) => h.method === 'POST' && h.path.startsWith(`/api/${b.r.slug}/${segment}/:id/`)));
        // "List deliveries of a webhook" → "Deliveries of a webhook".
        const title = op.title.replace(/^List (the )?(\w)/, (_m, _the, c: string) => c.toUpperCase());
        return { key: op.name, title, op, filter: 'id', resource: undefined as string | undefined, rowOps };
      });
    const related = cat.data.resources
      .filter((o) => o.name !== b.r.name)
      .map((o) => ({ o, op: cat.op(o.operations.list) }))
      .filter(({ op }) => op?.input.properties?.[`${b.r.name}_id`])
      .map(({ o, op }) => ({ key: op!.name, title: o.label, op: op!, filter: `${b.r.name}_id`, resource: o.name as string | undefined, rowOps: [] as CatalogueOperation[] }));
    return {
      ...b,
      props,
      rec: null as Rec | null,
      error: '',
      result: '',
      buttons,
      lists: [...own, ...related].map((l) => ({ ...l, rows: [] as Rec[], total: 0, columns: columnsOf(l.resource ? cat.itemSchema(cat.resource(l.resource)!) : (l.op.output.properties!.items!.items ?? {}), 6), error: '' })),
      get heading(): string {
        return this.rec ? recordLabel(this.rec) : '';
      },
      get canEdit(): boolean {
        return mayRun(saveOp, 'update');
      },
      get canDelete(): boolean {
        return mayRun(deleteOp);
      },
      get editHref(): string {
        return `/${b.r.slug}/${encodeURIComponent(id)}/edit`;
      },
      get listHref(): string {
        return `/${b.r.slug}`;
      },
      async init(): Promise<void> {
        try {
          this.rec = (await callOp<Rec>(getOp, { id })).data;
        } catch (err) {
          this.error = errorText(err);
          return;
        }
        void this.loadRefs([...props, ...this.lists.flatMap((l) => l.columns)]);
        await Promise.all(
          this.lists.map(async (l) => {
            try {
              const res = await callOp<Rec[]>(l.op, { [l.filter]: id, limit: 20 }, { method: 'GET' });
              l.rows = res.data ?? [];
              l.total = res.total ?? l.rows.length;
            } catch (err) {
              l.error = errorText(err);
            }
          }),
        );
      },
      value(col: Column): string {
        return this.rec ? this.cell(col, this.rec) : '';
      },
      valueHref(col: Column): string {
        return this.rec ? refHref(col, this.rec) : '';
      },
      isStatus: (col: Column) => col.status,
      subHref: (l: { resource?: string }, row: Rec) => (l.resource ? recordHref(l.resource, String(row.id)) : ''),
      subLabel: (row: Rec) => recordLabel(row),
      listMore(l: { total: number; rows: Rec[] }): string {
        return l.total > l.rows.length ? `Showing ${l.rows.length} of ${l.total}` : '';
      },
      async run(op: (typeof buttons)[number]): Promise<void> {
        if (op.annotations.destructive && !(await confirmAction(`${op.title}?`, `${op.title}: ${this.heading}`, op.title))) return;
        try {
          const res = await callOp<Rec>(op, { id }, { method: 'POST' });
          this.result = typeof res.data?.message === 'string' ? res.data.message : `${op.title}: done`;
          toast('ok', this.result);
          await this.init();
        } catch (err) {
          toastError(err);
        }
      },
      async runRow(op: CatalogueOperation, row: Rec): Promise<void> {
        try {
          await callOp(op, { id: row.id }, { method: 'POST' });
          toast('ok', `${op.title}: queued`);
          await this.init();
        } catch (err) {
          toastError(err);
        }
      },
      async remove(): Promise<void> {
        if (!deleteOp || !(await confirmAction(`Delete ${this.heading}?`, `This deletes the ${b.r.name.replace(/_/g, ' ')} "${this.heading}". It cannot be undone.`))) return;
        try {
          await callOp(deleteOp, { id }, { method: 'DELETE' });
          toast('ok', `Deleted ${this.heading}`);
          navigate(`/${b.r.slug}`);
        } catch (err) {
          toastError(err);
        }
      },
    };
  });

  Alpine.data('genericForm', () => {
    const b = base();
    const cat = catalogue();
    const id = route().params.id;
    const editing = !!id;
    const opName = editing ? (b.r.operations.update ?? b.r.operations.save) : (b.r.operations.create ?? b.r.operations.save);
    const op = cat.op(opName);
    const fields = cat.formFields(b.r, opName);
    const itemProps = cat.itemSchema(b.r).properties ?? {};
    return {
      ...b,
      fields,
      editing,
      values: {} as Record<string, unknown>,
      loaded: {} as Record<string, unknown>,
      errors: {} as Record<string, string>,
      error: '',
      busy: false,
      ready: false,
      once: null as { label: string; value: string } | null,
      savedId: '',
      events: [] as Array<{ value: string; label: string }>,
      get heading(): string {
        return editing ? `Edit ${recordLabel(this.loaded) || b.r.name}` : `New ${b.r.name.replace(/_/g, ' ')}`;
      },
      get cancelHref(): string {
        return editing ? `/${b.r.slug}/${encodeURIComponent(id!)}` : `/${b.r.slug}`;
      },
      async init(): Promise<void> {
        if (!op) {
          this.error = 'FORBIDDEN: you may not change these records';
          return;
        }
        for (const f of fields) this.values[f.name] = toFormValue(f, undefined);
        for (const [k, v] of Object.entries(route().query)) if (k in this.values) this.values[k] = v;
        const refs = fields.filter((f) => f.ref).map((f) => this.refs.load(f.ref!));
        if (fields.some((f) => f.kind === 'events')) {
          refs.push(api.get<Array<{ value: string; label: string }>>('/api/webhooks/events').then((r) => void (this.events = r.data)));
        }
        if (editing) {
          try {
            const rec = (await callOp<Rec>(cat.op(b.r.operations.get)!, { id })).data;
            this.loaded = rec;
            for (const f of fields) this.values[f.name] = toFormValue(f, rec[f.name]);
          } catch (err) {
            this.error = errorText(err);
          }
        }
        await Promise.all(refs);
        this.version++;
        this.ready = true;
      },
      fieldId: (f: Field) => `field-${f.name}`,
      helpId: (f: Field) => `help-${f.name}`,
      is(f: Field, kind: string): boolean {
        return f.kind === kind;
      },
      required: (f: Field) => !editing && f.requiredOnCreate,
      labelText(f: Field): string {
        return !editing && f.requiredOnCreate ? `${f.label} *` : f.label;
      },
      helpText(f: Field): string {
        if (f.kind === 'secret') return `${f.help}${editing ? ' Leave empty to keep the stored value.' : ''}`;
        if (f.kind === 'list') return `${f.help} One per line.`;
        if (f.kind === 'numbers') return `${f.help} Separate with commas.`;
        return f.help;
      },
      refOptions(f: Field): Array<{ id: string; label: string }> {
        void this.version;
        return this.refs.options.get(f.ref!) ?? [];
      },
      hasEvent(value: string): boolean {
        return (this.values.events as string[] | undefined)?.includes(value) ?? false;
      },
      toggleEvent(value: string): void {
        const list = [...((this.values.events as string[]) ?? [])];
        const i = list.indexOf(value);
        if (i >= 0) list.splice(i, 1);
        else list.push(value);
        this.values.events = list;
      },
      eventId: (e: { value: string }) => `event-${e.value.replace(/[^a-z0-9]/gi, '-')}`,
      fieldClass(f: Field): Record<string, boolean> {
        return { invalid: !!this.errors[f.name], wide: f.kind === 'textarea' || f.kind === 'json' || f.kind === 'events' || f.kind === 'list' };
      },
      body(): Rec {
        const body: Rec = {};
        for (const f of fields) {
          const v = fromFormValue(f, this.values[f.name]);
          if (f.kind === 'secret' && !v) continue;
          if (editing) {
            const before = fromFormValue(f, toFormValue(f, this.loaded[f.name]));
            if (JSON.stringify(before) === JSON.stringify(v)) continue;
          } else if (v === undefined || v === null || (Array.isArray(v) && v.length === 0 && !f.requiredOnCreate)) continue;
          body[f.name] = v === undefined ? null : v;
        }
        if (editing) body.id = id;
        return body;
      },
      async submit(): Promise<void> {
        this.busy = true;
        this.error = '';
        this.errors = {};
        let body: Rec;
        try {
          body = this.body();
        } catch (err) {
          this.error = `Check the form: ${(err as Error).message}`;
          this.busy = false;
          return;
        }
        try {
          const saved = (await callOp<Rec>(op!, body, { method: editing ? 'PUT' : 'POST', withParams: editing })).data;
          this.savedId = String(saved.id ?? id ?? '');
          // A value the answer carries but the record never shows again (a generated secret).
          const onceKey = Object.keys(saved).find((k) => !(k in itemProps) && typeof saved[k] === 'string');
          if (onceKey) {
            this.once = { label: onceKey, value: String(saved[onceKey]) };
            return;
          }
          toast('ok', `Saved ${recordLabel(saved)}`);
          navigate(recordHref(b.r.name, this.savedId) || `/${b.r.slug}`);
        } catch (err) {
          this.errors = topFieldErrors(fieldErrors(err));
          this.error = errorText(err);
        } finally {
          this.busy = false;
        }
      },
      done(): void {
        navigate(recordHref(b.r.name, this.savedId) || `/${b.r.slug}`);
      },
      fieldError(f: Field): string {
        return this.errors[f.name] ?? '';
      },
    };
  });
}
