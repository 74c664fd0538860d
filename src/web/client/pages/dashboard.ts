// Dashboard: totals, devices by status, stale devices, the fullest networks, and (when the person
// may read them) the latest discovery scans and audit entries.
import Alpine from '@alpinejs/csp';
import { api, errorText } from '../api.ts';
import { badgeClass, fmtAgo, meterClass, pct } from '../format.ts';
import { can } from '../session.ts';

interface NetUse {
  network_id: string;
  network_name: string;
  subnet: string;
  used_ips: number;
  total_ips_exact: string;
  utilization: number;
}
interface Dashboard {
  total_devices: number;
  device_status_counts: Record<string, number>;
  overall_utilization: number;
  ipv4_used_ips: number;
  ipv4_total_ips: number;
  network_utilization: NetUse[];
  stale_threshold_days: number;
  stale_devices: number;
  stale_device_list: Array<{ id: string; name: string; hostname: string }>;
}
interface Scan {
  id: string;
  status: string;
  network_id: string;
  found_hosts: number;
  total_hosts: number;
  created_at: string;
}

export function registerDashboard(): void {
  Alpine.data('dashboardPage', () => ({
    d: null as Dashboard | null,
    scans: null as Scan[] | null,
    changes: null as Array<Record<string, string>> | null,
    error: '',
    async init(): Promise<void> {
      const jobs: Array<Promise<void>> = [];
      if (can('dashboard:read')) jobs.push(api.get<Dashboard>('/api/dashboard').then((r) => void (this.d = r.data)));
      if (can('discovery:list')) jobs.push(api.get<Scan[]>('/api/discovery/scans', { limit: 5 }).then((r) => void (this.scans = r.data)));
      if (can('audit:list')) jobs.push(api.get<Array<Record<string, string>>>('/api/audit', { limit: 8 }).then((r) => void (this.changes = r.data)));
      const results = await Promise.allSettled(jobs);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) this.error = errorText(failed.reason);
    },
    get overall(): string {
      return this.d ? pct(this.d.overall_utilization) : '';
    },
    get staleText(): string {
      return this.d ? `Active devices not changed for ${this.d.stale_threshold_days} days.` : '';
    },
    get statuses(): Array<{ name: string; count: number; badge: string; href: string }> {
      const c = this.d?.device_status_counts ?? {};
      return ['active', 'planned', 'maintenance', 'decommissioned'].map((name) => ({ name, count: c[name] ?? 0, badge: badgeClass(name), href: `/devices?status=${name}` }));
    },
    devHref: (d: { id: string }) => `/devices/${d.id}`,
    netHref: (n: NetUse) => `/networks/${n.network_id}`,
    scanHref: (s: Scan) => `/discovery/scans/${s.id}`,
    scanText: (s: Scan) => `${s.found_hosts} of ${s.total_hosts} hosts up`,
    usedText: (n: NetUse) => `${n.used_ips} / ${n.total_ips_exact}`,
    pctText: (n: NetUse) => pct(n.utilization),
    usageLabel: (n: NetUse) => `${n.network_name}: ${pct(n.utilization)} used`,
    meterOf: (n: NetUse) => meterClass(n.utilization),
    badge: badgeClass,
    ago: fmtAgo,
  }));
}
