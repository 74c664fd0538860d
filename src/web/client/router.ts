// Client-side routing with the History API: a path maps to a page (a template in index.html and
// an Alpine component) and its params. Hand-made pages come first; any other first segment that is
// a catalogue resource's slug gets the generic list/detail/form pages. Same-origin links are
// intercepted; a 401 anywhere goes to /login?next=<this path>, and only same-origin paths are
// ever followed back (no open redirect).
import Alpine from '@alpinejs/csp';

export interface Route {
  page: string;
  params: Record<string, string>;
  query: Record<string, string>;
  path: string;
  /** path + search, what a link back to here needs. */
  url: string;
}

type Pattern = [pattern: string, page: string, fixed?: Record<string, string>];

/** Hand-made pages; `:x` is a parameter. */
const ROUTES: Pattern[] = [
  ['/', 'dashboard'],
  ['/login', 'login'],
  ['/setup', 'setup'],
  ['/account', 'account'],
  ['/search', 'search'],
  ['/devices', 'devices'],
  ['/devices/new', 'device-form'],
  ['/devices/:id', 'device'],
  ['/devices/:id/edit', 'device-form'],
  ['/networks', 'networks'],
  ['/networks/new', 'generic-form', { slug: 'networks' }],
  ['/networks/:id', 'network'],
  ['/pools/new', 'generic-form', { slug: 'pools' }],
  ['/pools/:id', 'pool'],
  ['/discovery', 'discovery'],
  ['/discovery/scans/:id', 'scan'],
  ['/admin/users', 'users'],
  ['/admin/users/:id', 'user'],
  ['/admin/roles', 'roles'],
  ['/admin/roles/:id', 'role'],
  ['/access/api-keys', 'api-keys'],
  ['/access/oauth-clients', 'oauth-clients'],
  ['/admin/audit', 'audit'],
];

/** Generic pages for any catalogue resource slug. */
const GENERIC: Pattern[] = [
  ['/:slug', 'generic-list'],
  ['/:slug/new', 'generic-form'],
  ['/:slug/:id', 'generic-detail'],
  ['/:slug/:id/edit', 'generic-form'],
];

export const PUBLIC_PAGES = new Set(['login', 'setup']);

function match(pattern: string, path: string): Record<string, string> | undefined {
  const a = pattern.split('/').filter(Boolean);
  const b = path.split('/').filter(Boolean);
  if (a.length !== b.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.startsWith(':')) params[a[i]!.slice(1)] = decodeURIComponent(b[i]!);
    else if (a[i] !== b[i]) return undefined;
  }
  return params;
}

export function resolve(path: string, search: string, isSlug: (s: string) => boolean): Route {
  const query = Object.fromEntries(new URLSearchParams(search));
  const url = path + search;
  for (const [p, page, fixed] of ROUTES) {
    const params = match(p, path);
    if (params) return { page, params: { ...params, ...fixed }, query, path, url };
  }
  for (const [p, page] of GENERIC) {
    const params = match(p, path);
    if (params && isSlug(params.slug!)) return { page, params, query, path, url };
  }
  return { page: 'not-found', params: {}, query, path, url };
}

/** A `next` parameter is followed only when it is a path on this origin (never `//host` or a URL). */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  try {
    const u = new URL(next, location.origin);
    return u.origin === location.origin ? u.pathname + u.search + u.hash : '/';
  } catch {
    return '/';
  }
}

export interface RouterStore {
  route: Route;
  /** Bumped on every navigation so pages are created afresh (x-if on page + key). */
  key: number;
}

let slugCheck: (s: string) => boolean = () => false;
/** A guard answers the route to show, or a URL to go to instead. */
export type Guard = (r: Route) => Route | string;
let beforeShow: Guard = (r) => r;

export function configureRouter(opts: { isSlug: (s: string) => boolean; guard: Guard }): void {
  slugCheck = opts.isSlug;
  beforeShow = opts.guard;
}

export function current(): Route {
  return resolve(location.pathname, location.search, slugCheck);
}

/** Shows the page for the current location (after the guard, which may redirect). */
export function render(): void {
  const store = Alpine.store<RouterStore>('router');
  let route = current();
  for (let hops = 0; hops < 3; hops++) {
    const to = beforeShow(route);
    if (typeof to !== 'string') break;
    history.replaceState(null, '', to);
    route = current();
  }
  // An empty page first, so the next page's component starts fresh even on the same template.
  store.route = { ...route, page: '' };
  store.key++;
  void Alpine.nextTick(() => {
    store.route = route;
    document.title = `${titleOf(route)} · rackd`;
  });
}

function titleOf(r: Route): string {
  const words = (r.page === 'generic-list' || r.page === 'generic-detail' || r.page === 'generic-form' ? r.params.slug! : r.page).replace(/-/g, ' ');
  return words[0]!.toUpperCase() + words.slice(1);
}

export function navigate(url: string, opts: { replace?: boolean } = {}): void {
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  render();
  window.scrollTo(0, 0);
}

/** Updates the query string of the current page without re-creating it (list filters, paging). */
export function setQuery(query: Record<string, string | undefined>, opts: { replace?: boolean } = {}): void {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  const url = location.pathname + (s ? `?${s}` : '');
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  const store = Alpine.store<RouterStore>('router');
  store.route = { ...store.route, query: Object.fromEntries(q), url };
}

export function loginUrl(): string {
  const here = location.pathname + location.search;
  return here.startsWith('/login') || here.startsWith('/setup') ? '/login' : `/login?next=${encodeURIComponent(here)}`;
}

export function startRouter(): void {
  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || a.target || a.hasAttribute('download')) return;
    const href = a.getAttribute('href');
    if (!href || !href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/')) return;
    e.preventDefault();
    navigate(href);
  });
  window.addEventListener('popstate', () => {
    const store = Alpine.store<RouterStore>('router');
    const r = current();
    // Back/forward within one list page only changes its query: keep the page, let it reload.
    if (r.page === store.route.page && r.path === store.route.path) store.route = { ...store.route, query: r.query, url: r.url };
    else render();
  });
  render();
}
