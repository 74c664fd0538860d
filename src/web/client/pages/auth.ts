// Sign-in and first-run setup pages. After signing in the person returns to the page a 401
// interrupted (`?next=`, same-origin paths only).
import Alpine from '@alpinejs/csp';
import { api, ApiError, errorText, fieldErrors } from '../api.ts';
import { navigate, safeNext, type RouterStore } from '../router.ts';
import { app, loadSession } from '../session.ts';

export function registerAuthPages(): void {
  Alpine.data('loginPage', () => ({
    username: '',
    password: '',
    error: '',
    busy: false,
    async submit(): Promise<void> {
      this.busy = true;
      this.error = '';
      try {
        await api.post('/api/auth/login', { username: this.username, password: this.password }, { noLoginRedirect: true });
        await loadSession();
        navigate(safeNext(Alpine.store<RouterStore>('router').route.query.next), { replace: true });
      } catch (err) {
        this.error = err instanceof ApiError && err.code === 'INVALID_INPUT' ? 'Enter your username and password.' : errorText(err);
        this.password = '';
      } finally {
        this.busy = false;
      }
    },
  }));

  Alpine.data('setupPage', () => ({
    token: new URLSearchParams(location.hash.slice(1)).get('token') ?? '',
    username: 'admin',
    email: '',
    fullName: '',
    password: '',
    error: '',
    errors: {} as Record<string, string>,
    busy: false,
    async submit(): Promise<void> {
      this.busy = true;
      this.error = '';
      this.errors = {};
      try {
        await api.post(
          '/api/setup',
          { token: this.token, username: this.username, email: this.email, password: this.password, ...(this.fullName && { full_name: this.fullName }) },
          { noLoginRedirect: true },
        );
        app().setupNeeded = false;
        await loadSession();
        navigate('/', { replace: true });
      } catch (err) {
        this.errors = fieldErrors(err);
        this.error = errorText(err);
      } finally {
        this.busy = false;
      }
    },
  }));
}
