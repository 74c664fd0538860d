// Display helpers shared by the pages: dates, relative times, status badges, utilization.

export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function fmtAgo(iso: string | null | undefined): string {
  if (!iso) return '—';
  const s = Math.round((Date.now() - Date.parse(iso)) / 1000);
  if (Number.isNaN(s)) return String(iso);
  if (s < 60) return s < 0 ? fmtDate(iso) : 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  if (s < 30 * 86400) return `${Math.floor(s / 86400)} d ago`;
  return fmtDate(iso);
}

const BADGES: Record<string, string> = {
  active: 'ok',
  completed: 'ok',
  success: 'ok',
  available: 'ok',
  planned: 'info',
  pending: 'info',
  running: 'info',
  delivering: 'info',
  retrying: 'warn',
  maintenance: 'warn',
  reserved: 'warn',
  cancelled: 'warn',
  expired: 'warn',
  decommissioned: 'danger',
  failed: 'danger',
  failure: 'danger',
  abandoned: 'danger',
};

/** CSS class of a status badge: `badge ok` for active, completed… */
export const badgeClass = (status: unknown): string => `badge ${BADGES[String(status)] ?? ''}`.trim();

export const pct = (n: number | null | undefined): string => (n === null || n === undefined || Number.isNaN(n) ? '—' : `${n < 10 && n > 0 ? n.toFixed(1) : Math.round(n)}%`);

/** Class of a utilization bar: high from 80 %, full from 95 %. */
export const meterClass = (n: number): string => (n >= 95 ? 'full' : n >= 80 ? 'high' : '');

/** Any value as one line of text: arrays joined, objects as JSON, null as a dash. */
export function text(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', ') : '—';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export const isTimestampField = (name: string): boolean => /(_at|_seen|^timestamp|_date)$/.test(name);
