// Entry point of the web UI bundle: styles, the Alpine stores, every component and page, the
// router's guard (sign-in, first-run setup), then Alpine. Alpine is the CSP build: templates hold
// only property paths and method calls; the logic is here, in TypeScript.
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import Alpine from '@alpinejs/csp';
import { api, setUnauthorizedHandler } from './api.ts';
import { registerComponents } from './components/index.ts';
import { registerPages } from './pages/index.ts';
import { configureRouter, loginUrl, navigate, PUBLIC_PAGES, safeNext, startRouter, type Route, type RouterStore } from './router.ts';
import { app, catalogue, clearSession, initialAppStore, loadSession } from './session.ts';

function guard(r: Route): Route | string {
  const signedIn = !!app().me;
  if (app().setupNeeded) return r.page === 'setup' ? r : '/setup';
  if (r.page === 'setup') return signedIn ? '/' : '/login';
  if (!signedIn && !PUBLIC_PAGES.has(r.page)) return `/login?next=${encodeURIComponent(r.url)}`;
  if (signedIn && r.page === 'login') return safeNext(r.query.next);
  return r;
}

async function boot(): Promise<void> {
  Alpine.store<RouterStore>('router', { route: { page: '', params: {}, query: {}, path: '/', url: '/' }, key: 0 });
  Alpine.store('app', initialAppStore());
  registerComponents();
  registerPages();
  setUnauthorizedHandler(() => {
    if (!app().me) return;
    clearSession();
    navigate(loginUrl(), { replace: true });
  });
  configureRouter({ isSlug: (s) => catalogue().bySlug.has(s), guard });
  Alpine.start();
  // The three start-up questions at once: is setup needed, who is signed in, what may they use.
  const [setup, signedIn] = await Promise.all([
    api.get<{ needed: boolean }>('/api/setup', undefined, { noLoginRedirect: true }).then(
      (r) => r.data.needed,
      () => false,
    ),
    loadSession(),
  ]);
  app().setupNeeded = setup && !signedIn;
  app().ready = true;
  startRouter();
}

void boot();
