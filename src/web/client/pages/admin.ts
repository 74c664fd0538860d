// Administration (users, roles and their permissions, API keys, OAuth clients, the audit log with
// filters and CSV export), the person's own account (password, apps they authorized) and search.
import Alpine from '@alpinejs/csp';
import { api, errorText, fieldErrors, newestOnly, queryString } from '../api.ts';
import { badgeClass, fmtAgo, fmtDate, text } from '../format.ts';
import { navigate, setQuery, type RouterStore } from '../router.ts';
import { app, can, clearSession, confirmAction, toast, toastError } from '../session.ts';

const route = () => Alpine.store<RouterStore>('router').route;
const enc = encodeURIComponent;

interface User {
  id: string;
  username: string;
  email: string;
  full_name: string;
  is_active: boolean;
  is_admin: boolean;
  last_login_at: string | null;
  roles?: Array<{ id: string; name: string; is_system: boolean }>;
}
interface Permission {
  id: string;
  name: string;
  description: string;
}
interface Role {
  id: string;
  name: string;
  description: string;
  is_system: boolean;
  permissions?: Permission[];
}

/** Form state with field errors and the API's error line. */
function formState<T extends Record<string, unknown>>(initial: T) {
  return {
    v: { ...initial },
    errors: {} as Record<string, string>,
    error: '',
    busy: false,
    err(name: string): string {
      return this.errors[name] ?? '';
    },
    cls(name: string): Record<string, boolean> {
      return { invalid: !!this.errors[name] };
    },
    fail(e: unknown): void {
      this.errors = fieldErrors(e);
      this.error = errorText(e);
    },
    reset(): void {
      this.v = { ...initial };
      this.errors = {};
      this.error = '';
    },
  };
}

const HIT_PAGES: Record<string, string> = { device: '/devices/', network: '/networks/', datacenter: '/datacenters/' };

/** How far an API key reaches: all of its owner's permissions, or the owner's narrowed to OAuth scopes. */
const ACCESS_CHOICES = [
  { value: '', label: "All of the owner's permissions" },
  { value: 'rackd:read', label: 'Read-only (rackd:read)' },
  { value: 'rackd:read rackd:write', label: 'Read and write, no administration (rackd:read rackd:write)' },
];

export function registerAdminPages(): void {
  Alpine.data('searchPage', () => ({
    groups: [] as Array<{ type: string; label: string; hits: Array<{ id: string; name: string; detail: string; type: string }> }>,
    total: 0,
    error: '',
    loading: true,
    get q(): string {
      return route().query.q ?? '';
    },
    get summary(): string {
      return this.loading ? 'Searching…' : `${this.total} results for “${this.q}”`;
    },
    async init(): Promise<void> {
      if (!this.q) {
        this.loading = false;
        return;
      }
      try {
        const res = (await api.get<{ items: Array<{ id: string; name: string; detail: string; type: string }>; total: number }>('/api/search', { q: this.q, limit: 100 })).data;
        this.total = res.total;
        const labels: Record<string, string> = { device: 'Devices', network: 'Networks', datacenter: 'Datacenters' };
        this.groups = ['device', 'network', 'datacenter']
          .map((type) => ({ type, label: labels[type]!, hits: res.items.filter((h) => h.type === type) }))
          .filter((g) => g.hits.length > 0);
      } catch (err) {
        this.error = errorText(err);
      } finally {
        this.loading = false;
      }
    },
    href: (h: { type: string; id: string }) => `${HIT_PAGES[h.type] ?? '/'}${enc(h.id)}`,
  }));

  Alpine.data('usersPage', () => ({
    ...formState({ username: '', email: '', full_name: '', password: '', role_id: '' }),
    rows: [] as User[],
    roles: [] as Role[],
    showForm: false,
    get canCreate(): boolean {
      return can('user:create');
    },
    async init(): Promise<void> {
      await this.load();
      if (can('role:list')) this.roles = (await api.get<Role[]>('/api/roles')).data;
    },
    async load(): Promise<void> {
      try {
        this.rows = (await api.get<User[]>('/api/users', { limit: 1000 })).data;
      } catch (err) {
        this.error = errorText(err);
      }
    },
    toggleForm(): void {
      this.showForm = !this.showForm;
    },
    href: (u: User) => `/admin/users/${enc(u.id)}`,
    state: (u: User) => (u.is_active ? 'active' : 'inactive'),
    stateClass: (u: User) => badgeClass(u.is_active ? 'active' : 'failed'),
    lastLogin: (u: User) => fmtAgo(u.last_login_at),
    async create(): Promise<void> {
      this.busy = true;
      this.errors = {};
      this.error = '';
      try {
        const body: Record<string, unknown> = { username: this.v.username, email: this.v.email, password: this.v.password };
        if (this.v.full_name) body.full_name = this.v.full_name;
        if (this.v.role_id) body.role_id = this.v.role_id;
        const u = (await api.post<User>('/api/users', body)).data;
        toast('ok', `Created ${u.username}`);
        this.reset();
        this.showForm = false;
        await this.load();
      } catch (err) {
        this.fail(err);
      } finally {
        this.busy = false;
      }
    },
  }));

  Alpine.data('userPage', () => ({
    ...formState({ email: '', full_name: '', new_password: '' }),
    u: null as User | null,
    roles: [] as Role[],
    grantId: '',
    get id(): string {
      return route().params.id!;
    },
    get canUpdate(): boolean {
      return can('user:update');
    },
    get canDelete(): boolean {
      return can('user:delete');
    },
    get canRoles(): boolean {
      return can('role:update');
    },
    get isMe(): boolean {
      return app().me?.id === this.id;
    },
    get grantable(): Role[] {
      const held = new Set((this.u?.roles ?? []).map((r) => r.id));
      return this.roles.filter((r) => !held.has(r.id));
    },
    get activeText(): string {
      return this.u?.is_active ? 'Deactivate' : 'Activate';
    },
    async init(): Promise<void> {
      await this.load();
      if (can('role:list')) this.roles = (await api.get<Role[]>('/api/roles')).data;
    },
    async load(): Promise<void> {
      try {
        this.u = (await api.get<User>(`/api/users/${enc(this.id)}`)).data;
        this.v.email = this.u.email;
        this.v.full_name = this.u.full_name;
      } catch (err) {
        this.error = errorText(err);
      }
    },
    async save(): Promise<void> {
      this.errors = {};
      try {
        await api.put(`/api/users/${enc(this.id)}`, { email: this.v.email, full_name: this.v.full_name });
        toast('ok', 'Saved');
        await this.load();
      } catch (err) {
        this.fail(err);
      }
    },
    async toggleActive(): Promise<void> {
      if (!this.u) return;
      const next = !this.u.is_active;
      if (!next && !(await confirmAction(`Deactivate ${this.u.username}?`, 'They can no longer sign in and their sessions end.', 'Deactivate'))) return;
      try {
        await api.put(`/api/users/${enc(this.id)}`, { is_active: next });
        await this.load();
      } catch (err) {
        toastError(err);
      }
    },
    async resetPassword(): Promise<void> {
      this.errors = {};
      try {
        await api.post(`/api/users/${enc(this.id)}/reset-password`, { new_password: this.v.new_password });
        this.v.new_password = '';
        toast('ok', 'Password reset; the user’s sessions ended');
      } catch (err) {
        this.fail(err);
      }
    },
    async grant(): Promise<void> {
      if (!this.grantId) return;
      try {
        await api.post('/api/users/grant-role', { user_id: this.id, role_id: this.grantId });
        this.grantId = '';
        await this.load();
      } catch (err) {
        toastError(err);
      }
    },
    async revoke(r: { id: string; name: string }): Promise<void> {
      if (!(await confirmAction(`Revoke ${r.name}?`, `${this.u?.username} loses the permissions of the role ${r.name}.`, 'Revoke'))) return;
      try {
        await api.post('/api/users/revoke-role', { user_id: this.id, role_id: r.id });
        await this.load();
      } catch (err) {
        toastError(err);
      }
    },
    async remove(): Promise<void> {
      if (!this.u || !(await confirmAction(`Delete ${this.u.username}?`, 'The account, its sessions, role grants and API keys are deleted.'))) return;
      try {
        await api.delete(`/api/users/${enc(this.id)}`);
        navigate('/admin/users');
      } catch (err) {
        toastError(err);
      }
    },
    date: fmtDate,
  }));

  Alpine.data('rolesPage', () => ({
    ...formState({ name: '', description: '' }),
    rows: [] as Role[],
    showForm: false,
    get canCreate(): boolean {
      return can('role:create');
    },
    async init(): Promise<void> {
      await this.load();
    },
    async load(): Promise<void> {
      try {
        this.rows = (await api.get<Role[]>('/api/roles')).data;
      } catch (err) {
        this.error = errorText(err);
      }
    },
    toggleForm(): void {
      this.showForm = !this.showForm;
    },
    href: (r: Role) => `/admin/roles/${enc(r.id)}`,
    count: (r: Role) => String(r.permissions?.length ?? 0),
    kind: (r: Role) => (r.is_system ? 'built-in' : 'custom'),
    async create(): Promise<void> {
      this.errors = {};
      try {
        const r = (await api.post<Role>('/api/roles', { name: this.v.name, ...(this.v.description && { description: this.v.description }) })).data;
        navigate(`/admin/roles/${enc(r.id)}`);
      } catch (err) {
        this.fail(err);
      }
    },
  }));

  Alpine.data('rolePage', () => ({
    ...formState({ description: '' }),
    r: null as Role | null,
    all: [] as Permission[],
    chosen: [] as string[],
    get editable(): boolean {
      return !!this.r && !this.r.is_system && can('role:update');
    },
    get canDelete(): boolean {
      return !!this.r && !this.r.is_system && can('role:delete');
    },
    get countText(): string {
      return `${this.chosen.length} of ${this.all.length} permissions`;
    },
    async init(): Promise<void> {
      try {
        const [role, perms] = await Promise.all([api.get<Role>(`/api/roles/${enc(route().params.id!)}`), api.get<Permission[]>('/api/permissions')]);
        this.r = role.data;
        this.all = perms.data;
        this.chosen = (role.data.permissions ?? []).map((p) => p.name);
        this.v.description = role.data.description;
      } catch (err) {
        this.error = errorText(err);
      }
    },
    has(p: Permission): boolean {
      return this.chosen.includes(p.name);
    },
    toggle(p: Permission): void {
      this.chosen = this.has(p) ? this.chosen.filter((n) => n !== p.name) : [...this.chosen, p.name];
    },
    permId: (p: Permission) => `perm-${p.name.replace(/[^a-z0-9]/gi, '-')}`,
    async save(): Promise<void> {
      this.errors = {};
      try {
        this.r = (await api.put<Role>(`/api/roles/${enc(this.r!.id)}`, { description: this.v.description, permissions: this.chosen })).data;
        toast('ok', 'Role saved');
      } catch (err) {
        this.fail(err);
      }
    },
    async remove(): Promise<void> {
      if (!this.r || !(await confirmAction(`Delete the role ${this.r.name}?`, 'Users holding it lose its permissions.'))) return;
      try {
        await api.delete(`/api/roles/${enc(this.r.id)}`);
        navigate('/admin/roles');
      } catch (err) {
        toastError(err);
      }
    },
  }));

  Alpine.data('apiKeysPage', () => ({
    ...formState({ name: '', description: '', expires: '', access: '', owner: '' }),
    rows: [] as Array<{ id: string; name: string; prefix: string; user_id: string; scopes: string[] | null; created_at: string; last_used_at: string | null; expires_at: string | null }>,
    created: null as { key: string; name: string } | null,
    /** Other users an administrator may make a key for (a service account); empty for everyone else. */
    users: [] as Array<{ id: string; username: string }>,
    /** The scope choices: a key acts with its owner's permissions narrowed to these. */
    accessChoices: ACCESS_CHOICES,
    get canCreate(): boolean {
      return can('apikey:create');
    },
    get canDelete(): boolean {
      return can('apikey:delete');
    },
    get forOthers(): boolean {
      return !!app().me?.is_admin && this.users.length > 0;
    },
    async init(): Promise<void> {
      await this.load();
      if (app().me?.is_admin && can('user:list')) this.users = (await api.get<typeof this.users>('/api/users', { limit: 1000 })).data.filter((u) => u.id !== app().me?.id);
    },
    async load(): Promise<void> {
      try {
        this.rows = (await api.get<typeof this.rows>('/api/keys', { limit: 1000 })).data;
      } catch (err) {
        this.error = errorText(err);
      }
    },
    date: fmtDate,
    ago: fmtAgo,
    accessOf(k: { scopes: string[] | null }): string {
      return k.scopes?.length ? k.scopes.join(' ') : 'owner’s permissions';
    },
    ownerOf(k: { user_id: string }): string {
      return k.user_id === app().me?.id ? 'you' : (this.users.find((u) => u.id === k.user_id)?.username ?? k.user_id);
    },
    async create(): Promise<void> {
      this.errors = {};
      this.error = '';
      try {
        const body: Record<string, unknown> = { name: this.v.name };
        if (this.v.description) body.description = this.v.description;
        if (this.v.expires) body.expires_at = new Date(`${this.v.expires}T23:59:59`).toISOString();
        if (this.v.access) body.scopes = this.v.access.split(' ');
        if (this.v.owner) body.user_id = this.v.owner;
        const k = (await api.post<{ key: string; name: string }>('/api/keys', body)).data;
        this.created = { key: k.key, name: k.name };
        this.reset();
        await this.load();
      } catch (err) {
        this.errors = fieldErrors(err);
        if (this.errors.expires_at) this.errors.expires = this.errors.expires_at;
        this.error = errorText(err);
      }
    },
    dismiss(): void {
      this.created = null;
    },
    async remove(k: { id: string; name: string }): Promise<void> {
      if (!(await confirmAction(`Delete the key ${k.name}?`, 'Programs using it are refused from the next request on.'))) return;
      try {
        await api.delete(`/api/keys/${enc(k.id)}`);
        await this.load();
      } catch (err) {
        toastError(err);
      }
    },
  }));

  Alpine.data('oauthClientsPage', () => ({
    ...formState({ client_name: '', scope: 'rackd:read', redirect_uris: '' }),
    rows: [] as Array<{ id: string; client_id: string; kind: string; client_name: string; scope: string | null; created_at: string; last_used_at: string | null }>,
    created: null as { client_id: string; client_secret: string } | null,
    get canCreate(): boolean {
      return can('apikey:create');
    },
    async init(): Promise<void> {
      await this.load();
    },
    async load(): Promise<void> {
      try {
        this.rows = (await api.get<typeof this.rows>('/api/oauth/clients', { limit: 1000 })).data;
      } catch (err) {
        this.error = errorText(err);
      }
    },
    ago: fmtAgo,
    t: text,
    async create(): Promise<void> {
      this.errors = {};
      this.error = '';
      try {
        const uris = this.v.redirect_uris.split(/\s+/).filter(Boolean);
        const c = (await api.post<{ client_id: string; client_secret: string }>('/api/oauth/clients', { client_name: this.v.client_name, scope: this.v.scope, ...(uris.length && { redirect_uris: uris }) })).data;
        this.created = { client_id: c.client_id, client_secret: c.client_secret };
        this.reset();
        await this.load();
      } catch (err) {
        this.fail(err);
      }
    },
    dismiss(): void {
      this.created = null;
    },
    async remove(c: { id: string; client_name: string }): Promise<void> {
      if (!(await confirmAction(`Delete ${c.client_name}?`, 'Its tokens stop working at once.'))) return;
      try {
        await api.delete(`/api/oauth/clients/${enc(c.id)}`);
        await this.load();
      } catch (err) {
        toastError(err);
      }
    },
  }));

  const AUDIT_FILTERS = ['action', 'resource', 'resource_id', 'user_id', 'source', 'status', 'start_time', 'end_time'] as const;
  Alpine.data('auditPage', () => ({
    rows: [] as Array<{ id: string; timestamp: string; action: string; resource: string; resource_id: string; username: string; ip_address: string; source: string; status: string; error: string }>,
    total: 0,
    error: '',
    f: Object.fromEntries(AUDIT_FILTERS.map((k) => [k, ''])) as Record<(typeof AUDIT_FILTERS)[number], string>,
    get offset(): number {
      return Number(route().query.offset ?? 0) || 0;
    },
    get pageText(): string {
      return this.total === 0 ? 'No entries' : `${this.offset + 1}–${this.offset + this.rows.length} of ${this.total}`;
    },
    get hasPrev(): boolean {
      return this.offset > 0;
    },
    get hasNext(): boolean {
      return this.offset + this.rows.length < this.total;
    },
    get canExport(): boolean {
      return can('audit:export');
    },
    get exportHref(): string {
      return `/api/audit/export${queryString({ format: 'csv', ...this.query() })}`;
    },
    query(): Record<string, string | undefined> {
      const q: Record<string, string | undefined> = {};
      for (const k of AUDIT_FILTERS) {
        const v = route().query[k];
        if (v) q[k] = k.endsWith('_time') ? new Date(v).toISOString() : v;
      }
      return q;
    },
    async init(): Promise<void> {
      for (const k of AUDIT_FILTERS) this.f[k] = route().query[k] ?? '';
      await this.load();
    },
    ticket: newestOnly(),
    async load(): Promise<void> {
      const fresh = this.ticket();
      this.error = '';
      try {
        const res = await api.get<typeof this.rows>('/api/audit', { limit: 50, offset: this.offset || undefined, ...this.query() });
        if (!fresh()) return;
        this.rows = res.data;
        this.total = res.total ?? res.data.length;
      } catch (err) {
        if (fresh()) this.error = errorText(err);
      }
    },
    apply(): void {
      setQuery({ ...this.f });
      void this.load();
    },
    clear(): void {
      for (const k of AUDIT_FILTERS) this.f[k] = '';
      this.apply();
    },
    page(delta: number): void {
      setQuery({ ...route().query, offset: String(Math.max(0, this.offset + delta * 50)) });
      void this.load();
    },
    date: fmtDate,
    badge: badgeClass,
    t: text,
    shortId: (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id),
  }));

  Alpine.data('accountPage', () => ({
    ...formState({ old_password: '', new_password: '' }),
    apps: [] as Array<{ client: { id: string; client_name: string; kind: string }; scopes: string[]; last_used_at: string }>,
    get me() {
      return app().me;
    },
    get roleNames(): string {
      return (app().me?.roles ?? []).map((r) => r.name).join(', ') || '—';
    },
    async init(): Promise<void> {
      try {
        this.apps = (await api.get<typeof this.apps>('/api/oauth/authorizations')).data;
      } catch (err) {
        toastError(err);
      }
    },
    scopes: (a: { scopes: string[] }) => a.scopes.join(' '),
    ago: fmtAgo,
    async changePassword(): Promise<void> {
      this.errors = {};
      this.error = '';
      try {
        await api.post(`/api/users/${enc(app().me!.id)}/password`, { old_password: this.v.old_password, new_password: this.v.new_password }, { noLoginRedirect: true });
        toast('ok', 'Password changed. Sign in again with the new one.');
        clearSession();
        navigate('/login');
      } catch (err) {
        this.fail(err);
      }
    },
    async revoke(a: { client: { id: string; client_name: string } }): Promise<void> {
      if (!(await confirmAction(`Revoke ${a.client.client_name}?`, 'The application loses its access at once; it has to ask you again.', 'Revoke'))) return;
      try {
        await api.delete(`/api/oauth/authorizations/${enc(a.client.id)}`);
        await this.init();
      } catch (err) {
        toastError(err);
      }
    },
  }));
}
