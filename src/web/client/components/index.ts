// App-wide components: the shell (navigation, search box with its keyboard shortcut, sign-out)
// and the confirm dialog.
import Alpine from '@alpinejs/csp';
import { api } from '../api.ts';
import { navigate, type RouterStore } from '../router.ts';
import { answerConfirm, app, clearSession, type NavItem } from '../session.ts';

const router = (): RouterStore => Alpine.store<RouterStore>('router');

export function registerComponents(): void {
  registerCopyButton();
  Alpine.data('shell', () => ({
    query: '',
    iconUrl: document.querySelector<HTMLLinkElement>('link[rel=icon]')?.href ?? '',
    get chrome(): boolean {
      return app().ready && !!app().me && !['login', 'setup', ''].includes(router().route.page);
    },
    get loading(): boolean {
      return !app().ready;
    },
    get layoutClass(): Record<string, boolean> {
      return { 'nav-open': app().navOpen, bare: !this.chrome };
    },
    get mainClass(): string {
      return this.chrome ? '' : 'bare';
    },
    get navScrim(): boolean {
      return this.chrome && app().navOpen;
    },
    get navExpanded(): string {
      return String(app().navOpen);
    },
    get whoText(): string {
      const me = app().me;
      return me ? me.full_name || me.username : '';
    },
    isCurrent(item: NavItem): boolean {
      const path = router().route.path;
      return item.match === '/' ? path === '/' : path === item.match || path.startsWith(`${item.match}/`);
    },
    ariaCurrent(item: NavItem): string | undefined {
      return this.isCurrent(item) ? 'page' : undefined;
    },
    toggleNav(): void {
      app().navOpen = !app().navOpen;
    },
    closeNav(): void {
      app().navOpen = false;
    },
    skipToMain(e: Event): void {
      e.preventDefault();
      document.getElementById('main')?.focus();
    },
    search(): void {
      const q = this.query.trim();
      if (q) navigate(`/search?q=${encodeURIComponent(q)}`);
    },
    /** "/" (or Ctrl/⌘+K) focuses the search box, unless typing in a field already. */
    onKey(e: KeyboardEvent): void {
      const target = e.target as HTMLElement;
      const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable;
      const k = e.key === '/' && !typing && !e.ctrlKey && !e.metaKey && !e.altKey;
      const ck = e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey);
      if (!k && !ck) return;
      const input = document.getElementById('global-search') as HTMLInputElement | null;
      if (!input) return;
      e.preventDefault();
      input.focus();
      input.select();
    },
    async logout(): Promise<void> {
      try {
        await api.post('/api/auth/logout', undefined, { noLoginRedirect: true });
      } catch {
        // Signed out either way: the session may already have ended.
      }
      clearSession();
      navigate('/login');
    },
  }));

  Alpine.data('confirmDialog', () => ({
    init(): void {
      this.$nextTick(() => this.$refs.cancel?.focus());
    },
    get okClass(): string {
      return app().confirm.danger ? 'danger solid' : 'primary';
    },
    ok(): void {
      answerConfirm(true);
    },
    cancel(): void {
      answerConfirm(false);
    },
  }));
}

/** A copy-to-clipboard button for a value shown once (API keys, generated secrets). */
export function registerCopyButton(): void {
  Alpine.data('copyButton', () => ({
    label: 'Copy',
    async copy(value: string): Promise<void> {
      try {
        await navigator.clipboard.writeText(value);
        this.label = 'Copied';
      } catch {
        this.label = 'Select and copy it';
      }
      setTimeout(() => (this.label = 'Copy'), 2500);
    },
  }));
}
