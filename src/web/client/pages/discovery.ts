// Discovery: start a scan (network, profile or scan type), recent scans, discovered hosts; the scan
// page follows a scan live until it ends (cancel while it runs), then lists the hosts of its
// network with their drift against the inventory and promotes them into devices.
import Alpine from '@alpinejs/csp';
import { api, errorText } from '../api.ts';
import { badgeClass, fmtAgo, fmtDate, text } from '../format.ts';
import { navigate, type RouterStore } from '../router.ts';
import { can, confirmAction, toast, toastError } from '../session.ts';
import { RefNames } from '../components/records.ts';
import { deviceHref } from './devices.ts';

const route = () => Alpine.store<RouterStore>('router').route;
// Every 2 s: 30 requests a minute stay well inside the default general rate limit (100/min).
const POLL_MS = 2000;

interface Scan {
  id: string;
  network_id: string;
  profile_id: string | null;
  status: string;
  scan_type: string;
  total_hosts: number;
  scanned_hosts: number;
  found_hosts: number;
  progress_percent: number;
  error_message: string;
  started_by: string;
  created_at: string;
  completed_at: string | null;
}
interface Host {
  id: string;
  network_id: string;
  ip: string;
  mac_address: string;
  hostname: string;
  vendor: string;
  os_guess: string;
  device_type: string;
  open_ports: number[];
  last_seen: string;
  promoted_to_device_id: string | null;
}
interface Diff {
  not_in_inventory: Array<{ discovered_id: string; ip: string }>;
  not_seen: Array<{ device_id: string; device_name: string; ip: string; last_seen: string | null }>;
  changes: Array<{ discovered_id: string; ip: string; field: string; expected: string; observed: string; device_name: string }>;
  totals: { not_in_inventory: number; not_seen: number; changes: number };
}

const live = (s: Scan | null) => !!s && (s.status === 'pending' || s.status === 'running');

/** Host rows with promote: shared by the discovery and scan pages. */
function hostsMixin() {
  return {
    hosts: [] as Host[],
    drift: {} as Record<string, string>,
    promoteId: '',
    promoteName: '',
    get canPromote(): boolean {
      return can('discovery:create') && can('device:create');
    },
    ports: (h: Host) => h.open_ports.join(', ') || '—',
    what: (h: Host) => [h.device_type, h.os_guess, h.vendor].filter(Boolean).join(' · ') || '—',
    seen: (h: Host) => fmtAgo(h.last_seen),
    promoted: (h: Host) => !!h.promoted_to_device_id,
    promotedHref: (h: Host) => deviceHref({ id: h.promoted_to_device_id! }),
    driftOf(h: Host): string {
      return this.drift[h.id] ?? '';
    },
    promoting(h: Host): boolean {
      return this.promoteId === h.id;
    },
    startPromote(h: Host): void {
      this.promoteId = h.id;
      this.promoteName = h.hostname.split('.')[0] || `host-${h.ip.replace(/[.:]/g, '-')}`;
    },
    cancelPromote(): void {
      this.promoteId = '';
    },
    promoteInputId: (h: Host) => `promote-${h.id}`,
    async promote(h: Host): Promise<void> {
      try {
        const d = (await api.post<{ id: string; name: string }>(`/api/discovery/devices/${encodeURIComponent(h.id)}/promote`, { name: this.promoteName })).data;
        toast('ok', `Promoted ${h.ip} to ${d.name}`);
        h.promoted_to_device_id = d.id;
        this.promoteId = '';
      } catch (err) {
        toastError(err);
      }
    },
  };
}

export function registerDiscoveryPages(): void {
  Alpine.data('discoveryPage', () => ({
    ...hostsMixin(),
    refs: new RefNames(),
    version: 0,
    scans: [] as Scan[],
    networkId: route().query.network_id ?? '',
    profileId: '',
    scanType: 'quick',
    error: '',
    busy: false,
    get canScan(): boolean {
      return can('discovery:create');
    },
    get networks(): Array<{ id: string; label: string }> {
      void this.version;
      return this.refs.options.get('network') ?? [];
    },
    get profiles(): Array<{ id: string; label: string }> {
      void this.version;
      return this.refs.options.get('scan_profile') ?? [];
    },
    async init(): Promise<void> {
      void Promise.all([this.refs.load('network'), can('scan-profile:list') && this.refs.load('scan_profile')]).then(() => this.version++);
      await this.load();
    },
    async load(): Promise<void> {
      try {
        const [scans, hosts] = await Promise.all([
          api.get<Scan[]>('/api/discovery/scans', { limit: 20 }),
          api.get<Host[]>('/api/discovery/devices', { limit: 100, network_id: this.networkId || undefined }),
        ]);
        this.scans = scans.data;
        this.hosts = hosts.data;
      } catch (err) {
        this.error = errorText(err);
      }
    },
    netName(id: string): string {
      void this.version;
      return this.refs.name('network', id);
    },
    scanHref: (s: Scan) => `/discovery/scans/${encodeURIComponent(s.id)}`,
    progress: (s: Scan) => `${s.scanned_hosts}/${s.total_hosts} probed, ${s.found_hosts} up`,
    badge: badgeClass,
    ago: fmtAgo,
    t: text,
    async start(): Promise<void> {
      if (!this.networkId) {
        toast('info', 'Choose a network to scan');
        return;
      }
      this.busy = true;
      try {
        const body = this.profileId ? { profile_id: this.profileId } : { scan_type: this.scanType };
        const scan = (await api.post<Scan>(`/api/discovery/networks/${encodeURIComponent(this.networkId)}/scan`, body)).data;
        navigate(`/discovery/scans/${encodeURIComponent(scan.id)}`);
      } catch (err) {
        toastError(err);
      } finally {
        this.busy = false;
      }
    },
  }));

  Alpine.data('scanPage', () => ({
    ...hostsMixin(),
    refs: new RefNames(),
    version: 0,
    s: null as Scan | null,
    diff: null as Diff | null,
    error: '',
    timer: 0,
    get running(): boolean {
      return live(this.s);
    },
    get canCancel(): boolean {
      return can('discovery:delete') && live(this.s);
    },
    get progressText(): string {
      return this.s ? `${this.s.scanned_hosts} of ${this.s.total_hosts} addresses probed, ${this.s.found_hosts} hosts up` : '';
    },
    get pctText(): string {
      return this.s ? `${Math.round(this.s.progress_percent)}%` : '';
    },
    get pct(): number {
      return this.s?.progress_percent ?? 0;
    },
    get netName(): string {
      void this.version;
      return this.s ? this.refs.name('network', this.s.network_id) : '';
    },
    get netHref(): string {
      return this.s ? `/networks/${encodeURIComponent(this.s.network_id)}` : '';
    },
    get driftText(): string {
      const t = this.diff?.totals;
      return t ? `${t.not_in_inventory} not in the inventory, ${t.changes} changed, ${t.not_seen} inventory addresses not seen` : '';
    },
    async init(): Promise<void> {
      void this.refs.load('network').then(() => this.version++);
      await this.poll();
    },
    destroy(): void {
      clearTimeout(this.timer);
    },
    async poll(): Promise<void> {
      if (Alpine.store<RouterStore>('router').route.page !== 'scan') return;
      try {
        this.s = (await api.get<Scan>(`/api/discovery/scans/${encodeURIComponent(route().params.id!)}`)).data;
      } catch (err) {
        this.error = errorText(err);
        return;
      }
      if (live(this.s)) this.timer = window.setTimeout(() => void this.poll(), POLL_MS);
      else await this.loadHosts();
    },
    async loadHosts(): Promise<void> {
      if (!this.s) return;
      try {
        const [hosts, diff] = await Promise.all([
          api.get<Host[]>('/api/discovery/devices', { network_id: this.s.network_id, limit: 200 }),
          can('discovery:read') ? api.get<Diff>(`/api/discovery/networks/${encodeURIComponent(this.s.network_id)}/diff`, { limit: 200 }) : undefined,
        ]);
        this.hosts = hosts.data;
        this.diff = diff?.data ?? null;
        const drift: Record<string, string> = {};
        for (const x of this.diff?.not_in_inventory ?? []) drift[x.discovered_id] = 'not in the inventory';
        for (const c of this.diff?.changes ?? []) drift[c.discovered_id] = `${c.field.replace('_', ' ')}: ${c.expected || '—'} → ${c.observed}`;
        this.drift = drift;
      } catch (err) {
        toastError(err);
      }
    },
    async cancel(): Promise<void> {
      if (!this.s || !(await confirmAction('Cancel this scan?', 'Hosts found so far are kept.', 'Cancel scan'))) return;
      try {
        this.s = (await api.post<Scan>(`/api/discovery/scans/${encodeURIComponent(this.s.id)}/cancel`)).data;
        toast('ok', 'Scan cancelled');
      } catch (err) {
        toastError(err);
      }
    },
    badge: badgeClass,
    date: fmtDate,
    t: text,
  }));
}
