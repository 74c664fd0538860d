// The signed-in person (GET /api/auth/me), the catalogue they may use (GET /api/catalogue), the
// navigation built from both, and the app-wide bits every page uses: toasts, the confirm dialog.
import Alpine from '@alpinejs/csp';
import { api, errorText } from './api.ts';
import { CatalogueView, type Catalogue, type Resource } from './catalogue.ts';

export interface Me {
  id: string;
  username: string;
  email: string;
  full_name: string;
  is_admin: boolean;
  roles: Array<{ id: string; name: string }>;
  permissions: string[];
}

export interface NavItem {
  label: string;
  href: string;
  /** First path segment(s) that mark the item current. */
  match: string;
}

export interface NavGroup {
  label: string;
  items: NavItem[];
}

export interface Toast {
  id: number;
  kind: 'ok' | 'error' | 'info';
  text: string;
}

export interface ConfirmState {
  open: boolean;
  title: string;
  text: string;
  action: string;
  danger: boolean;
}

export interface AppStore {
  ready: boolean;
  /** The database has no user yet: only /setup is offered. */
  setupNeeded: boolean;
  me: Me | null;
  nav: NavGroup[];
  navOpen: boolean;
  toasts: Toast[];
  confirm: ConfirmState;
  catalogueVersion: number;
}

let view: CatalogueView | undefined;
let permissions = new Set<string>();
let confirmResolve: ((ok: boolean) => void) | undefined;
let toastSeq = 0;

export const app = (): AppStore => Alpine.store<AppStore>('app');
export const catalogue = (): CatalogueView => view ?? new CatalogueView({ resources: [], operations: [] });
export const can = (perm: string): boolean => permissions.has(perm);
export const canAny = (...perms: string[]): boolean => perms.some((p) => permissions.has(p));

export function initialAppStore(): AppStore {
  return {
    ready: false,
    setupNeeded: false,
    me: null,
    nav: [],
    navOpen: false,
    toasts: [],
    confirm: { open: false, title: '', text: '', action: 'Delete', danger: true },
    catalogueVersion: 0,
  };
}

/** Resources with hand-made pages, and where generic ones sit in the navigation. */
const PLACED: Record<string, string> = {
  datacenter: 'Inventory',
  pool: 'IPAM',
  reservation: 'IPAM',
  discovery_rule: 'Discovery',
  scan_profile: 'Discovery',
  credential: 'Discovery',
  scheduled_scan: 'Discovery',
  webhook: 'Integrations',
};
/**
 * Resources the hand-made pages cover (devices, networks, discovery, administration) or that have
 * no page of their own. The administration names are those the catalogue gives users, roles, keys,
 * audit and OAuth clients once they are operations too, so they do not appear twice.
 */
const HAND_MADE = new Set([
  'device',
  'network',
  'discovery',
  'discovery_scan',
  'relationship',
  'user',
  'role',
  'permission',
  'apikey',
  'api_key',
  'audit',
  'oauth_client',
  'oauth_authorization',
]);

function navFor(resources: Resource[]): NavGroup[] {
  const groups: NavGroup[] = [
    { label: '', items: [{ label: 'Dashboard', href: '/', match: '/' }] },
    { label: 'Inventory', items: [] },
    { label: 'IPAM', items: [] },
    { label: 'Discovery', items: [] },
    { label: 'Integrations', items: [] },
    { label: 'More', items: [] },
    { label: 'Access', items: [] },
    { label: 'Administration', items: [] },
  ];
  const group = (label: string) => groups.find((g) => g.label === label)!;
  if (can('device:list')) group('Inventory').items.push({ label: 'Devices', href: '/devices', match: '/devices' });
  if (can('network:list')) group('IPAM').items.push({ label: 'Networks', href: '/networks', match: '/networks' });
  if (can('discovery:list')) group('Discovery').items.push({ label: 'Scans and hosts', href: '/discovery', match: '/discovery' });
  for (const r of resources) {
    if (HAND_MADE.has(r.name)) continue;
    group(PLACED[r.name] ?? 'More').items.push({ label: r.label, href: `/${r.slug}`, match: `/${r.slug}` });
  }
  // Keys and agent clients belong to their owner: every role manages its own (administrators see all).
  const access = group('Access');
  if (can('apikey:list')) access.items.push({ label: 'API keys', href: '/access/api-keys', match: '/access/api-keys' });
  if (canAny('user:list', 'apikey:list')) access.items.push({ label: 'OAuth clients', href: '/access/oauth-clients', match: '/access/oauth-clients' });
  const admin = group('Administration');
  if (can('user:list')) admin.items.push({ label: 'Users', href: '/admin/users', match: '/admin/users' });
  if (can('role:list')) admin.items.push({ label: 'Roles', href: '/admin/roles', match: '/admin/roles' });
  if (can('audit:list')) admin.items.push({ label: 'Audit log', href: '/admin/audit', match: '/admin/audit' });
  return groups.filter((g) => g.items.length > 0);
}

/** Loads the person and their catalogue; false when nobody is signed in. */
export async function loadSession(): Promise<boolean> {
  const store = app();
  try {
    const [me, cat] = await Promise.all([
      api.get<Me>('/api/auth/me', undefined, { noLoginRedirect: true }),
      api.get<Catalogue>('/api/catalogue', undefined, { noLoginRedirect: true }),
    ]);
    permissions = new Set(me.data.permissions);
    view = new CatalogueView(cat.data);
    store.me = me.data;
    store.nav = navFor(cat.data.resources);
    store.catalogueVersion++;
    return true;
  } catch {
    permissions = new Set();
    view = undefined;
    store.me = null;
    store.nav = [];
    return false;
  }
}

export function clearSession(): void {
  permissions = new Set();
  view = undefined;
  const store = app();
  store.me = null;
  store.nav = [];
}

export function toast(kind: Toast['kind'], text: string): void {
  const store = app();
  const id = ++toastSeq;
  store.toasts.push({ id, kind, text });
  setTimeout(() => {
    store.toasts = store.toasts.filter((t) => t.id !== id);
  }, kind === 'error' ? 9000 : 4000);
}

export const toastError = (err: unknown): void => toast('error', errorText(err));

/** Asks before a destructive action; resolves true when the person confirms. */
export function confirmAction(title: string, text: string, action = 'Delete', danger = true): Promise<boolean> {
  confirmResolve?.(false);
  app().confirm = { open: true, title, text, action, danger };
  return new Promise((resolve) => (confirmResolve = resolve));
}

export function answerConfirm(ok: boolean): void {
  app().confirm.open = false;
  const r = confirmResolve;
  confirmResolve = undefined;
  r?.(ok);
}
