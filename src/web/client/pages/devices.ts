// Devices: the list (server-side paging, sorting and filters kept in the URL, bulk tags, status
// and delete), the detail (addresses, tags, domains, relationships, status history) and the
// create/edit form with address rows, each validation error shown at its field.
import Alpine from '@alpinejs/csp';
import { api, errorText, fieldErrors, newestOnly } from '../api.ts';
import { badgeClass, fmtDate, text } from '../format.ts';
import { navigate, setQuery, type RouterStore } from '../router.ts';
import { can, confirmAction, toast, toastError } from '../session.ts';
import { RefNames, topFieldErrors, type Rec } from '../components/records.ts';

const route = () => Alpine.store<RouterStore>('router').route;
const PAGE = 50;
export const STATUSES = ['active', 'planned', 'maintenance', 'decommissioned'];
const FILTERS = ['query', 'status', 'datacenter_id', 'network_id', 'tag', 'stale'] as const;

interface Address {
  id?: string;
  ip: string;
  label: string;
  port: string;
  switch_port: string;
  network_id?: string | null;
  pool_id?: string | null;
}
export interface Device {
  id: string;
  name: string;
  hostname: string;
  status: string;
  description: string;
  make_model: string;
  os: string;
  username: string;
  location: string;
  datacenter_id: string | null;
  status_changed_at: string | null;
  status_changed_by: string | null;
  decommission_date: string | null;
  tags: string[];
  domains: string[];
  addresses: Array<{ id: string; ip: string; type: string; label: string; port: number | null; network_id: string | null; pool_id: string | null; switch_port: string }>;
  created_at: string;
  updated_at: string;
}

export const deviceHref = (d: { id: string }) => `/devices/${encodeURIComponent(d.id)}`;
const statusBadge = (s: string) => badgeClass(s);
/** The first two addresses, and how many more. */
const ipSummary = (d: Device): string =>
  d.addresses.length === 0 ? '—' : d.addresses.slice(0, 2).map((a) => a.ip).join(', ') + (d.addresses.length > 2 ? ` +${d.addresses.length - 2}` : '');

/** Names of datacenters and networks (and pools) for the device pages. */
async function lookups(refs: RefNames, pools = true): Promise<void> {
  await Promise.all([can('datacenter:list') && refs.load('datacenter'), can('network:list') && refs.load('network'), pools && can('pool:list') && refs.load('pool')]);
}

export function registerDevicePages(): void {
  Alpine.data('devicesPage', () => ({
    refs: new RefNames(),
    version: 0,
    rows: [] as Array<Device & { ips: string; badge: string; updated: string }>,
    total: 0,
    loading: true,
    error: '',
    f: Object.fromEntries(FILTERS.map((k) => [k, ''])) as Record<(typeof FILTERS)[number], string>,
    selected: [] as string[],
    bulkTags: '',
    bulkStatus: '',
    statuses: STATUSES,
    get canCreate(): boolean {
      return can('device:create');
    },
    get canUpdate(): boolean {
      return can('device:update');
    },
    get canDelete(): boolean {
      return can('device:delete');
    },
    get canBulk(): boolean {
      return can('device:update') || can('device:delete');
    },
    get offset(): number {
      return Number(route().query.offset ?? 0) || 0;
    },
    get sort(): string {
      return route().query.sort ?? 'name';
    },
    get pageText(): string {
      return this.total === 0 ? 'No devices' : `${this.offset + 1}–${Math.min(this.offset + this.rows.length, this.total)} of ${this.total}`;
    },
    get hasPrev(): boolean {
      return this.offset > 0;
    },
    get hasNext(): boolean {
      return this.offset + this.rows.length < this.total;
    },
    get allSelected(): boolean {
      return this.rows.length > 0 && this.rows.every((r) => this.selected.includes(r.id));
    },
    get selectedText(): string {
      return `${this.selected.length} selected`;
    },
    get datacenters() {
      void this.version;
      return this.refs.options.get('datacenter') ?? [];
    },
    get networks() {
      void this.version;
      return this.refs.options.get('network') ?? [];
    },
    async init(): Promise<void> {
      for (const k of FILTERS) this.f[k] = route().query[k] ?? '';
      // The list first: the names for the datacenter column and the filters follow.
      await this.load();
      void lookups(this.refs, false).then(() => this.version++);
      // Back/forward changes only the query of this page.
      this.$watch('$store.router.route.url', () => {
        for (const k of FILTERS) this.f[k] = route().query[k] ?? '';
        void this.load();
      });
    },
    ticket: newestOnly(),
    async load(): Promise<void> {
      const fresh = this.ticket();
      this.loading = true;
      this.error = '';
      const q = route().query;
      try {
        const res = await api.get<Device[]>('/api/devices', {
          limit: PAGE,
          offset: this.offset || undefined,
          sort: q.sort,
          query: q.query,
          status: q.status,
          datacenter_id: q.datacenter_id,
          network_id: q.network_id,
          tags: q.tag ? q.tag.split(',').map((t) => t.trim()).filter(Boolean) : undefined,
          stale: q.stale || undefined,
        });
        if (!fresh()) return;
        // Display strings computed once per row, so the 50-row table binds plain properties.
        this.rows = res.data.map((d) => ({ ...d, ips: ipSummary(d), badge: statusBadge(d.status), updated: d.updated_at.slice(0, 10) }));
        this.total = res.total ?? res.data.length;
        this.selected = this.selected.filter((id) => this.rows.some((r) => r.id === id));
      } catch (err) {
        if (!fresh()) return;
        this.error = errorText(err);
        this.rows = [];
        this.total = 0;
      } finally {
        if (fresh()) this.loading = false;
      }
    },
    apply(): void {
      setQuery({ ...this.f, sort: route().query.sort });
      void this.load();
    },
    clear(): void {
      for (const k of FILTERS) this.f[k] = '';
      this.apply();
    },
    sortBy(key: string): void {
      const next = this.sort === key ? `-${key}` : key;
      setQuery({ ...route().query, sort: next === 'name' ? undefined : next, offset: undefined });
      void this.load();
    },
    arrow(key: string): string {
      return this.sort === key ? '▲' : this.sort === `-${key}` ? '▼' : '';
    },
    ariaSort(key: string): string {
      return this.sort === key ? 'ascending' : this.sort === `-${key}` ? 'descending' : 'none';
    },
    page(delta: number): void {
      setQuery({ ...route().query, offset: String(Math.max(0, this.offset + delta * PAGE)) });
      void this.load();
    },
    isSelected(d: Device): boolean {
      return this.selected.includes(d.id);
    },
    toggle(d: Device): void {
      this.selected = this.isSelected(d) ? this.selected.filter((x) => x !== d.id) : [...this.selected, d.id];
    },
    toggleAll(): void {
      this.selected = this.allSelected ? [] : this.rows.map((r) => r.id);
    },
    selectLabel: (d: Device) => `Select ${d.name}`,
    href: deviceHref,
    dcName(d: Device): string {
      if (!d.datacenter_id) return '—';
      return this.version ? this.refs.name('datacenter', d.datacenter_id) : '…';
    },
    async bulk(kind: 'add-tags' | 'remove-tags' | 'status' | 'delete'): Promise<void> {
      const ids = [...this.selected];
      if (ids.length === 0) return;
      const tags = this.bulkTags.split(',').map((t) => t.trim()).filter(Boolean);
      try {
        if (kind === 'delete') {
          if (!(await confirmAction(`Delete ${ids.length} devices?`, 'The selected devices, their addresses and relationships are deleted. This cannot be undone.'))) return;
          await api.delete('/api/devices/bulk', { ids });
        } else if (kind === 'status') {
          if (!this.bulkStatus) return;
          await api.put('/api/devices/bulk', ids.map((id) => ({ id, status: this.bulkStatus })));
        } else {
          if (tags.length === 0) return toast('info', 'Enter the tags first, separated by commas');
          if (kind === 'add-tags') await api.post('/api/devices/bulk/tags', { device_ids: ids, tags });
          else await api.delete('/api/devices/bulk/tags', { device_ids: ids, tags });
        }
        toast('ok', `Updated ${ids.length} devices`);
        this.selected = [];
        this.bulkTags = '';
        await this.load();
      } catch (err) {
        toastError(err);
      }
    },
    bulkAddTags(): Promise<void> {
      return this.bulk('add-tags');
    },
    bulkRemoveTags(): Promise<void> {
      return this.bulk('remove-tags');
    },
    bulkSetStatus(): Promise<void> {
      return this.bulk('status');
    },
    bulkDelete(): Promise<void> {
      return this.bulk('delete');
    },
  }));

  Alpine.data('devicePage', () => ({
    refs: new RefNames(),
    version: 0,
    d: null as Device | null,
    rels: [] as Array<{ parent_id: string; child_id: string; type: string; notes: string }>,
    names: {} as Record<string, string>,
    history: null as Array<{ at: string; from: string; to: string; by: string }> | null,
    error: '',
    relTypes: ['contains', 'connected_to', 'depends_on'],
    rel: { type: 'connected_to', other: '', notes: '' },
    get canLink(): boolean {
      return can('relationship:create') && can('device:list');
    },
    get canUnlink(): boolean {
      return can('relationship:delete');
    },
    get canEdit(): boolean {
      return can('device:update');
    },
    get canDelete(): boolean {
      return can('device:delete');
    },
    get editHref(): string {
      return this.d ? `${deviceHref(this.d)}/edit` : '';
    },
    async init(): Promise<void> {
      const id = route().params.id!;
      try {
        this.d = (await api.get<Device>(`/api/devices/${encodeURIComponent(id)}`)).data;
      } catch (err) {
        this.error = errorText(err);
        return;
      }
      void lookups(this.refs).then(() => this.version++);
      await this.loadRelationships();
      if (can('audit:list')) {
        try {
          const entries = (await api.get<Array<{ timestamp: string; username: string; changes: { before?: { status?: string }; after?: { status?: string } } | null }>>('/api/audit', { resource: 'device', resource_id: id, status: 'success', limit: 200 })).data;
          this.history = entries
            .filter((e) => e.changes?.after?.status && e.changes.before?.status !== e.changes.after.status)
            .map((e) => ({ at: e.timestamp, from: e.changes!.before?.status ?? '(created)', to: e.changes!.after!.status!, by: e.username }));
        } catch {
          this.history = null;
        }
      }
    },
    async loadRelationships(): Promise<void> {
      if (!this.d || !can('relationship:read')) return;
      const id = encodeURIComponent(this.d.id);
      try {
        this.rels = (await api.get<typeof this.rels>(`/api/devices/${id}/relationships`, { limit: 200 })).data;
        const related = (await api.get<Device[]>(`/api/devices/${id}/related`, { limit: 200 })).data;
        this.names = Object.fromEntries(related.map((r) => [r.id, r.name]));
      } catch (err) {
        toastError(err);
      }
    },
    /** Links this device (as parent) to the device named in the form. */
    async link(): Promise<void> {
      const name = this.rel.other.trim();
      if (!this.d || !name) return;
      try {
        const found = (await api.get<Device[]>('/api/devices', { query: name, limit: 20 })).data;
        const other = found.find((x) => x.name === name) ?? (found.length === 1 ? found[0] : undefined);
        if (!other) {
          toast('error', found.length ? `Several devices match “${name}”: give the exact name` : `No device named “${name}”`);
          return;
        }
        await api.post(`/api/devices/${encodeURIComponent(this.d.id)}/relationships`, { child_id: other.id, type: this.rel.type, ...(this.rel.notes && { notes: this.rel.notes }) });
        this.rel = { type: this.rel.type, other: '', notes: '' };
        await this.loadRelationships();
      } catch (err) {
        toastError(err);
      }
    },
    async unlink(r: { parent_id: string; child_id: string; type: string }): Promise<void> {
      if (!(await confirmAction('Remove this relationship?', `${this.direction(r)} ${this.other(r)}`, 'Remove'))) return;
      try {
        await api.delete(`/api/devices/${encodeURIComponent(r.parent_id)}/relationships/${encodeURIComponent(r.child_id)}/${encodeURIComponent(r.type)}`);
        await this.loadRelationships();
      } catch (err) {
        toastError(err);
      }
    },
    relLabel: (t: string) => t.replace('_', ' '),
    dc(): string {
      void this.version;
      return this.d?.datacenter_id ? this.refs.name('datacenter', this.d.datacenter_id) : '—';
    },
    dcHref(): string {
      return this.d?.datacenter_id ? `/datacenters/${this.d.datacenter_id}` : '';
    },
    netName(id: string | null): string {
      void this.version;
      return id ? this.refs.name('network', id) : '—';
    },
    poolName(id: string | null): string {
      void this.version;
      return id ? this.refs.name('pool', id) : '—';
    },
    netHref: (id: string | null) => (id ? `/networks/${id}` : ''),
    poolHref: (id: string | null) => (id ? `/pools/${id}` : ''),
    other(r: { parent_id: string; child_id: string }): string {
      const id = r.parent_id === this.d?.id ? r.child_id : r.parent_id;
      return this.names[id] ?? id;
    },
    otherHref(r: { parent_id: string; child_id: string }): string {
      return deviceHref({ id: r.parent_id === this.d?.id ? r.child_id : r.parent_id });
    },
    direction(r: { parent_id: string; type: string }): string {
      return r.parent_id === this.d?.id ? `${r.type.replace('_', ' ')} →` : `← ${r.type.replace('_', ' ')}`;
    },
    badge: statusBadge,
    date: fmtDate,
    t: text,
    get statusSince(): string {
      return this.d?.status_changed_at ? `since ${fmtDate(this.d.status_changed_at)}` : '';
    },
    async remove(): Promise<void> {
      if (!this.d || !(await confirmAction(`Delete ${this.d.name}?`, `The device "${this.d.name}", its addresses and relationships are deleted. This cannot be undone.`))) return;
      try {
        await api.delete(`/api/devices/${encodeURIComponent(this.d.id)}`);
        toast('ok', `Deleted ${this.d.name}`);
        navigate('/devices');
      } catch (err) {
        toastError(err);
      }
    },
  }));

  Alpine.data('deviceForm', () => ({
    refs: new RefNames(),
    version: 0,
    id: route().params.id ?? '',
    v: { name: '', hostname: '', status: 'active', datacenter_id: '', make_model: '', os: '', username: '', location: '', description: '', tags: '', domains: '', decommission_date: '' } as Record<string, string>,
    addresses: [] as Address[],
    original: null as Device | null,
    errors: {} as Record<string, string>,
    error: '',
    busy: false,
    statuses: STATUSES,
    get editing(): boolean {
      return !!this.id;
    },
    get heading(): string {
      return this.original ? `Edit ${this.original.name}` : 'New device';
    },
    get cancelHref(): string {
      return this.id ? deviceHref({ id: this.id }) : '/devices';
    },
    get datacenters() {
      void this.version;
      return this.refs.options.get('datacenter') ?? [];
    },
    async init(): Promise<void> {
      void lookups(this.refs).then(() => this.version++);
      if (!this.id) return;
      try {
        const d = (await api.get<Device>(`/api/devices/${encodeURIComponent(this.id)}`)).data;
        this.original = d;
        for (const k of Object.keys(this.v)) this.v[k] = k === 'tags' || k === 'domains' ? d[k].join(', ') : String((d as unknown as Rec)[k] ?? '');
        this.v.decommission_date = d.decommission_date ? d.decommission_date.slice(0, 10) : '';
        this.addresses = d.addresses.map((a) => ({ id: a.id, ip: a.ip, label: a.label, port: a.port === null ? '' : String(a.port), switch_port: a.switch_port }));
      } catch (err) {
        this.error = errorText(err);
      }
    },
    addAddress(): void {
      this.addresses.push({ ip: '', label: '', port: '', switch_port: '' });
    },
    removeAddress(i: number): void {
      this.addresses.splice(i, 1);
    },
    err(name: string): string {
      return this.errors[name] ?? '';
    },
    cls(name: string): Record<string, boolean> {
      return { invalid: !!this.errors[name] };
    },
    aid: (i: number, name: string) => `address-${i}-${name}`,
    addrErr(i: number, name: string): string {
      return this.errors[`addresses.${i}.${name}`] ?? '';
    },
    addrCls(i: number, name: string): Record<string, boolean> {
      return { invalid: !!this.errors[`addresses.${i}.${name}`] };
    },
    addrLabel: (i: number) => `Address ${i + 1}`,
    body(): Rec {
      const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
      const body: Rec = {};
      for (const [k, raw] of Object.entries(this.v)) {
        const value: unknown =
          k === 'tags' || k === 'domains' ? list(raw) : k === 'datacenter_id' ? raw || null : k === 'decommission_date' ? (raw ? `${raw}T00:00:00Z` : null) : raw;
        if (!this.original && (value === '' || value === null || (Array.isArray(value) && !value.length))) continue;
        if (this.original) {
          const stored = (this.original as unknown as Rec)[k];
          const before = k === 'decommission_date' && typeof stored === 'string' ? `${stored.slice(0, 10)}T00:00:00Z` : stored;
          if (JSON.stringify(before ?? (k === 'datacenter_id' || k === 'decommission_date' ? null : '')) === JSON.stringify(value)) continue;
        }
        body[k] = value;
      }
      body.addresses = this.addresses.map((a) => ({
        ...(a.id && { id: a.id }),
        ip: a.ip.trim(),
        ...(a.label.trim() && { label: a.label.trim() }),
        ...(a.switch_port.trim() && { switch_port: a.switch_port.trim() }),
        port: a.port.trim() === '' ? null : Number(a.port),
      }));
      return body;
    },
    async submit(): Promise<void> {
      this.busy = true;
      this.errors = {};
      this.error = '';
      try {
        const body = this.body();
        const saved = this.id ? (await api.put<Device>(`/api/devices/${encodeURIComponent(this.id)}`, body)).data : (await api.post<Device>('/api/devices', body)).data;
        toast('ok', `Saved ${saved.name}`);
        navigate(deviceHref(saved));
      } catch (err) {
        // `tags.1` is shown at Tags; address errors stay at their row (`addresses.0.ip`).
        const all = fieldErrors(err);
        const top = topFieldErrors(Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith('addresses.'))));
        this.errors = { ...top, ...all };
        this.error = errorText(err);
      } finally {
        this.busy = false;
      }
    },
  }));
}
