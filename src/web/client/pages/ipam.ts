// Networks (list with utilization and VLAN; detail with pools and devices) and the pool page:
// address heatmap, next free IP, allocate, reservations with their expiry (release, delete).
import Alpine from '@alpinejs/csp';
import { api, errorText, fieldErrors } from '../api.ts';
import { badgeClass, fmtDate, meterClass, pct, text } from '../format.ts';
import { navigate, setQuery, type RouterStore } from '../router.ts';
import { can, confirmAction, toast, toastError } from '../session.ts';
import { RefNames } from '../components/records.ts';
import { deviceHref, type Device } from './devices.ts';

const route = () => Alpine.store<RouterStore>('router').route;
const HEATMAP_CELLS = 1024;

interface Network {
  id: string;
  name: string;
  subnet: string;
  family: number;
  vlan_id: number | null;
  datacenter_id: string | null;
  description: string;
}
interface Utilization {
  used_ips: number;
  total_ips_exact: string;
  available_ips_exact: string;
  utilization: number;
}
interface Pool {
  id: string;
  network_id: string;
  name: string;
  start_ip: string;
  end_ip: string;
  description: string;
  tags: string[];
  utilization?: { used: number; total_exact: string; available_exact: string; utilization: number };
}
interface Reservation {
  id: string;
  ip_address: string;
  hostname: string;
  purpose: string;
  status: string;
  expires_at: string | null;
  reserved_at: string;
}

const use = (n: number | undefined) => ({ pct: pct(n ?? 0), cls: meterClass(n ?? 0), value: n ?? 0 });

export function registerIpamPages(): void {
  Alpine.data('networksPage', () => ({
    refs: new RefNames(),
    version: 0,
    rows: [] as Network[],
    usage: {} as Record<string, { used_ips: number; total_ips_exact: string; utilization: number }>,
    total: 0,
    name: route().query.name ?? '',
    error: '',
    loading: true,
    get canCreate(): boolean {
      return can('network:create');
    },
    get countText(): string {
      return `${this.total} networks`;
    },
    async init(): Promise<void> {
      void this.refs.load('datacenter').then(() => this.version++);
      await this.load();
    },
    async load(): Promise<void> {
      this.loading = true;
      try {
        const [nets, dash] = await Promise.all([
          api.get<Network[]>('/api/networks', { limit: 1000, name: route().query.name }),
          can('dashboard:read') ? api.get<{ network_utilization: Array<{ network_id: string; used_ips: number; total_ips_exact: string; utilization: number }> }>('/api/dashboard', { network_limit: 1000 }) : undefined,
        ]);
        this.rows = nets.data;
        this.total = nets.total ?? nets.data.length;
        this.usage = Object.fromEntries((dash?.data.network_utilization ?? []).map((u) => [u.network_id, u]));
      } catch (err) {
        this.error = errorText(err);
      } finally {
        this.loading = false;
      }
    },
    filter(): void {
      setQuery({ name: this.name });
      void this.load();
    },
    href: (n: Network) => `/networks/${encodeURIComponent(n.id)}`,
    vlan: (n: Network) => (n.vlan_id === null ? '—' : String(n.vlan_id)),
    dc(n: Network): string {
      void this.version;
      return this.refs.name('datacenter', n.datacenter_id);
    },
    hasUse(n: Network): boolean {
      return !!this.usage[n.id];
    },
    useText(n: Network): string {
      const u = this.usage[n.id];
      return u ? `${u.used_ips} / ${u.total_ips_exact}` : '—';
    },
    pctOf(n: Network): string {
      return use(this.usage[n.id]?.utilization).pct;
    },
    usedValue(n: Network): number {
      return this.usage[n.id]?.utilization ?? 0;
    },
    clsOf(n: Network): string {
      return use(this.usage[n.id]?.utilization).cls;
    },
    useLabel(n: Network): string {
      return `${n.name}: ${this.pctOf(n)} used`;
    },
  }));

  Alpine.data('networkPage', () => ({
    refs: new RefNames(),
    version: 0,
    n: null as Network | null,
    u: null as Utilization | null,
    pools: [] as Pool[],
    devices: [] as Device[],
    devicesTotal: 0,
    error: '',
    get id(): string {
      return route().params.id!;
    },
    get canEdit(): boolean {
      return can('network:update');
    },
    get canDelete(): boolean {
      return can('network:delete');
    },
    get canAddPool(): boolean {
      return can('pool:create');
    },
    get canScan(): boolean {
      return can('discovery:create');
    },
    get editHref(): string {
      return `/networks/${encodeURIComponent(this.id)}/edit`;
    },
    get newPoolHref(): string {
      return `/pools/new?network_id=${encodeURIComponent(this.id)}`;
    },
    get scanHref(): string {
      return `/discovery?network_id=${encodeURIComponent(this.id)}`;
    },
    get useText(): string {
      return this.u ? `${this.u.used_ips} of ${this.u.total_ips_exact} addresses used, ${this.u.available_ips_exact} free` : '';
    },
    get usePct(): string {
      return pct(this.u?.utilization);
    },
    get useValue(): number {
      return this.u?.utilization ?? 0;
    },
    get useCls(): string {
      return meterClass(this.u?.utilization ?? 0);
    },
    get devicesText(): string {
      return this.devicesTotal > this.devices.length ? `${this.devices.length} of ${this.devicesTotal}` : '';
    },
    get devicesLink(): string {
      return `/devices?network_id=${encodeURIComponent(this.id)}`;
    },
    async init(): Promise<void> {
      const id = encodeURIComponent(this.id);
      try {
        this.n = (await api.get<Network>(`/api/networks/${id}`)).data;
      } catch (err) {
        this.error = errorText(err);
        return;
      }
      void this.refs.load('datacenter').then(() => this.version++);
      const jobs: Array<Promise<void>> = [api.get<Utilization>(`/api/networks/${id}/utilization`).then((r) => void (this.u = r.data))];
      if (can('pool:list')) jobs.push(api.get<Pool[]>(`/api/networks/${id}/pools`, { limit: 200 }).then((r) => void (this.pools = r.data)));
      if (can('device:list')) {
        jobs.push(
          api.get<Device[]>(`/api/networks/${id}/devices`, { limit: 50 }).then((r) => {
            this.devices = r.data;
            this.devicesTotal = r.total ?? r.data.length;
          }),
        );
      }
      const failed = (await Promise.allSettled(jobs)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) toastError(failed.reason);
    },
    dc(): string {
      void this.version;
      return this.refs.name('datacenter', this.n?.datacenter_id);
    },
    vlan(): string {
      return this.n?.vlan_id === null || this.n?.vlan_id === undefined ? '—' : String(this.n.vlan_id);
    },
    poolHref: (p: Pool) => `/pools/${encodeURIComponent(p.id)}`,
    range: (p: Pool) => `${p.start_ip} – ${p.end_ip}`,
    devHref: deviceHref,
    ips(d: Device): string {
      return d.addresses.filter((a) => a.network_id === this.id).map((a) => a.ip).join(', ');
    },
    badge: badgeClass,
    t: text,
    async remove(): Promise<void> {
      if (!this.n || !(await confirmAction(`Delete ${this.n.name}?`, `The network ${this.n.subnet} and its pools are deleted; device addresses in it are unlinked.`))) return;
      try {
        await api.delete(`/api/networks/${encodeURIComponent(this.id)}`);
        toast('ok', `Deleted ${this.n.name}`);
        navigate('/networks');
      } catch (err) {
        toastError(err);
      }
    },
  }));

  Alpine.data('poolPage', () => ({
    p: null as Pool | null,
    networkName: 'Network',
    cells: [] as Array<{ ip: string; status: string; device_id?: string }>,
    heatTotal: 0,
    nextIp: '',
    nextError: '',
    reservations: [] as Reservation[],
    form: { hostname: '', purpose: '', expires_in_days: '' },
    errors: {} as Record<string, string>,
    allocated: '',
    error: '',
    busy: false,
    get id(): string {
      return route().params.id!;
    },
    get canAllocate(): boolean {
      return can('reservation:create');
    },
    get canUpdate(): boolean {
      return can('reservation:update');
    },
    get canDelete(): boolean {
      return can('reservation:delete');
    },
    get canEdit(): boolean {
      return can('pool:update');
    },
    get editHref(): string {
      return `/pools/${encodeURIComponent(this.id)}/edit`;
    },
    get networkHref(): string {
      return this.p ? `/networks/${encodeURIComponent(this.p.network_id)}` : '/networks';
    },
    get heatNote(): string {
      return this.heatTotal > this.cells.length ? `The first ${this.cells.length} of ${this.heatTotal} addresses.` : `${this.heatTotal} addresses.`;
    },
    get heatLabel(): string {
      const used = this.cells.filter((c) => c.status === 'used').length;
      const reserved = this.cells.filter((c) => c.status === 'reserved').length;
      return `Address map: ${used} used, ${reserved} reserved, ${this.cells.length - used - reserved} available`;
    },
    get useText(): string {
      const u = this.p?.utilization;
      return u ? `${u.used} of ${u.total_exact} used (${pct(u.utilization)}), ${u.available_exact} free` : '';
    },
    get useValue(): number {
      return this.p?.utilization?.utilization ?? 0;
    },
    get useCls(): string {
      return meterClass(this.useValue);
    },
    async init(): Promise<void> {
      try {
        this.p = (await api.get<Pool>(`/api/pools/${encodeURIComponent(this.id)}`)).data;
      } catch (err) {
        this.error = errorText(err);
        return;
      }
      if (can('network:read')) {
        void api.get<Network>(`/api/networks/${encodeURIComponent(this.p.network_id)}`).then(
          (r) => void (this.networkName = `${r.data.name} (${r.data.subnet})`),
          () => undefined,
        );
      }
      await this.refresh();
    },
    async refresh(): Promise<void> {
      const id = encodeURIComponent(this.id);
      const jobs: Array<Promise<void>> = [
        api.get<{ items: Array<{ ip: string; status: string; device_id?: string }>; total: number }>(`/api/pools/${id}/heatmap`).then((r) => {
          // The REST answer is the bare array with X-Total-Count.
          const items = Array.isArray(r.data) ? (r.data as unknown as typeof this.cells) : r.data.items;
          this.cells = items.slice(0, HEATMAP_CELLS);
          this.heatTotal = r.total ?? items.length;
        }),
        api.get<{ ip: string }>(`/api/pools/${id}/next-ip`).then(
          (r) => void ((this.nextIp = r.data.ip), (this.nextError = '')),
          (err) => void ((this.nextIp = ''), (this.nextError = errorText(err))),
        ),
      ];
      if (can('reservation:list')) jobs.push(api.get<Reservation[]>(`/api/pools/${id}/reservations`, { limit: 200 }).then((r) => void (this.reservations = r.data)));
      const failed = (await Promise.allSettled(jobs)).find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) toastError(failed.reason);
      try {
        this.p = (await api.get<Pool>(`/api/pools/${id}`)).data;
      } catch {
        // Keep the figures already shown.
      }
    },
    cellClass: (c: { status: string }) => `cell ${c.status === 'available' ? '' : c.status}`,
    cellTitle: (c: { ip: string; status: string }) => `${c.ip}: ${c.status}`,
    expiry: (r: Reservation) => (r.expires_at ? fmtDate(r.expires_at) : 'never'),
    badge: badgeClass,
    t: text,
    date: fmtDate,
    async allocate(): Promise<void> {
      this.busy = true;
      this.errors = {};
      try {
        const body: Record<string, unknown> = { idempotency_key: crypto.randomUUID() };
        if (this.form.hostname.trim()) body.hostname = this.form.hostname.trim();
        if (this.form.purpose.trim()) body.purpose = this.form.purpose.trim();
        if (this.form.expires_in_days.trim()) body.expires_in_days = Number(this.form.expires_in_days);
        const res = await api.post<{ ip: string }>(`/api/pools/${encodeURIComponent(this.id)}/allocate`, body);
        this.allocated = res.data.ip;
        toast('ok', `Reserved ${res.data.ip}`);
        this.form = { hostname: '', purpose: '', expires_in_days: '' };
        await this.refresh();
      } catch (err) {
        this.errors = fieldErrors(err);
        toastError(err);
      } finally {
        this.busy = false;
      }
    },
    err(name: string): string {
      return this.errors[name] ?? '';
    },
    async release(r: Reservation): Promise<void> {
      if (!(await confirmAction(`Release ${r.ip_address}?`, 'The address becomes free again.', 'Release'))) return;
      try {
        await api.post(`/api/reservations/${encodeURIComponent(r.id)}/release`);
        toast('ok', `Released ${r.ip_address}`);
        await this.refresh();
      } catch (err) {
        toastError(err);
      }
    },
    async removeReservation(r: Reservation): Promise<void> {
      if (!(await confirmAction(`Delete the reservation of ${r.ip_address}?`, 'The reservation record is deleted and the address becomes free.'))) return;
      try {
        await api.delete(`/api/reservations/${encodeURIComponent(r.id)}`);
        await this.refresh();
      } catch (err) {
        toastError(err);
      }
    },
    isActive: (r: Reservation) => r.status === 'active',
  }));
}
