// The security matrix over the whole operation catalogue: for every operation, on every REST
// binding and on MCP when it is a tool, (a) no credentials → 401, (b) a caller lacking the
// permission (a custom role holding everything else, and the built-in viewer and operator when
// they lack it) → 403 FORBIDDEN, tool hidden from tools/list and refused, (c) a caller whose only
// role holds exactly the operation's permission(s) → the route's real success status and a tool
// result without error. Every operation has a real fixture below (fresh objects for every call
// that succeeds); an operation without one, or a fixture without an operation, fails the test.
// Requests are built by operations/binding.ts, the same rules the routes apply.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CallerContext } from '../../src/auth/context.ts';
import { PERMISSIONS, SYSTEM_ROLES, type Permission } from '../../src/auth/permissions.ts';
import { OPERATIONS } from '../../src/operations/index.ts';
import { fits, requestFor, successStatus } from '../../src/operations/binding.ts';
import { bindingsOf, isTool, requirementOf, type HttpBinding, type Operation } from '../../src/operations/types.ts';
import { userContext } from '../../src/services/auth/context.ts';
import { oauthStore } from '../../src/services/oauth/store.ts';
import { connectMcp } from '../helpers/mcp.ts';
import { createTestUser, startTestServer, type ApiResponse, type TestServer, type TestUser } from '../helpers/server.ts';
import { startReceiver, type Receiver } from '../webhooks/receiver.ts';

type Input = Record<string, unknown>;
type Json = Record<string, any>;
let seq = 0;

// ---------- fixtures ----------

interface Fx {
  /** Runs a tool as the administrator and returns its output. */
  admin(tool: string, args: Input): Promise<any>;
  /** A REST call as the administrator that must succeed; returns the body. */
  adminRest(method: string, path: string, body?: unknown): Promise<any>;
  /** Runs an operation as `user` with these permissions granted for the setup only. */
  runAs(user: TestUser, op: string, args: Input, perms: Permission[]): Promise<any>;
  /** The user the case runs as. */
  caller: TestUser;
  s: TestServer;
  receiver: Receiver;
}

interface Case {
  /** The permissions of the caller's only role: exactly what this case needs. */
  perms: readonly Permission[];
  /** A fresh input for one call. */
  input(fx: Fx): Promise<Input>;
  /** `session`: the REST call authenticates with the caller's session cookie (sign-out). */
  auth?: 'key' | 'session';
  /**
   * The answer a permitted caller gets on this server when it cannot be the success status, with
   * the reason and the test that pins the success (first-run setup needs a database without users).
   */
  expect?: { status: number; code: string; why: string };
}

/** `branches`: the cases are different branches of the verb (create vs update); one's permission must not open another. */
interface Fixture {
  cases: readonly Case[];
  branches?: boolean;
  /**
   * A caller holding only another branch's permission cannot even see this branch's object and
   * gets 404 instead of 403 (by design: other users' OAuth clients are not disclosed).
   */
  hiddenAcrossBranches?: boolean;
  /** Runs after the operation's tests (as the administrator): undo what refused calls left behind. */
  cleanup?(fx: Fx): Promise<void>;
}

const uniq = (p: string) => `${p}-${++seq}-${Date.now() % 100000}`;
const dc = (fx: Fx) => fx.admin('datacenter_save', { name: uniq('mx-dc') }).then((d) => d.id as string);
async function net(fx: Fx): Promise<{ id: string; base: string }> {
  const n = ++seq;
  const base = `10.${100 + ((n >> 8) & 63)}.${n & 255}`;
  const out = await fx.admin('network_save', { name: uniq('mx-net'), subnet: `${base}.0/24` });
  return { id: out.id, base };
}
/** A loopback network: every host answers a scan at once (a refused connection is an answer). */
async function loopNet(fx: Fx, prefix = 29): Promise<string> {
  const n = ++seq;
  return (await fx.admin('network_save', { name: uniq('mx-loop'), subnet: `127.${100 + ((n >> 8) & 63)}.${n & 255}.0/${prefix}` })).id;
}
async function pool(fx: Fx): Promise<string> {
  const n = await net(fx);
  return (await fx.admin('pool_save', { network_id: n.id, name: uniq('mx-pool'), start_ip: `${n.base}.10`, end_ip: `${n.base}.200` })).id;
}
const device = (fx: Fx) => fx.admin('device_save', { name: uniq('mx-dev') }).then((d) => d.id as string);
async function link(fx: Fx): Promise<Input> {
  const key = { parent_id: await device(fx), child_id: await device(fx), type: 'contains' };
  await fx.admin('device_add_relationship', key);
  return key;
}
const ownReservation = async (fx: Fx) => (await fx.runAs(fx.caller, 'reservation_create', { pool_id: await pool(fx) }, ['reservation:create'])).id as string;
/** A finished scan of a small loopback network: its discovered hosts. */
async function discovered(fx: Fx): Promise<{ network_id: string; scan_id: string; ids: string[] }> {
  const network_id = await loopNet(fx);
  const scan = await fx.admin('discovery_scan', { network_id, wait: true, max_wait_seconds: 60 });
  assert.equal(scan.status, 'completed', JSON.stringify(scan));
  const hosts = await fx.admin('discovery_list', { network_id });
  assert.ok(hosts.items.length > 0, 'the loopback scan found hosts');
  return { network_id, scan_id: scan.id, ids: hosts.items.map((h: { id: string }) => h.id) };
}
/** A scan that is still running when the case calls: a /20 of loopback with the deep port set. */
const runningScan = async (fx: Fx) => (await fx.admin('discovery_scan', { network_id: await loopNet(fx, 20), scan_type: 'deep' })).id as string;
const webhook = async (fx: Fx) => (await fx.admin('webhook_save', { name: uniq('mx-hook'), url: `${fx.receiver.url}/mx`, events: ['*'] })).id as string;
async function delivery(fx: Fx): Promise<{ id: string; delivery_id: string }> {
  const id = await webhook(fx);
  return { id, delivery_id: (await fx.admin('webhook_ping', { id })).delivery.id };
}
const credential = (fx: Fx) => fx.admin('credential_save', { name: uniq('mx-cred'), type: 'ssh_password', ssh_username: 'mx', ssh_password: 'matrix-secret' }).then((c) => c.id as string);
const profile = (fx: Fx) => fx.admin('scan_profile_save', { name: uniq('mx-profile'), scan_type: 'quick' }).then((p) => p.id as string);
const schedule = async (fx: Fx) =>
  (await fx.admin('scheduled_scan_save', { name: uniq('mx-sched'), network_id: (await net(fx)).id, profile_id: 'default-quick', cron_expression: '0 3 * * *' })).id as string;
const rule = async (fx: Fx) => (await fx.admin('discovery_rule_save', { network_id: (await net(fx)).id, interval_hours: 24 })).id as string;
/** Another user without roles: a target for user administration. */
const otherUser = async (fx: Fx) => (await createTestUser(fx.s.env, [])).id;
const emptyRole = (fx: Fx) => fx.adminRest('POST', '/api/roles', { name: uniq('mx-empty'), permissions: [] }).then((r) => r.id as string);
const ownKey = async (fx: Fx) => (await fx.runAs(fx.caller, 'api_key_create', { name: uniq('mx-key') }, ['apikey:create'])).id as string;
const ownClient = async (fx: Fx) => (await fx.runAs(fx.caller, 'oauth_client_create', { client_name: uniq('mx-agent') }, ['apikey:create'])).id as string;
const othersClient = (fx: Fx) => fx.adminRest('POST', '/api/oauth/clients', { client_name: uniq('mx-others') }).then((c) => c.id as string);
/** A live grant of the caller for a client (what signing in to an application leaves). */
async function authorization(fx: Fx): Promise<string> {
  const clientId = await othersClient(fx);
  const now = Date.now();
  oauthStore(fx.s.env).write((w) =>
    w.insertGrant({ id: uniq('mx-grant'), clientRowId: clientId, userId: fx.caller.id, grantType: 'authorization_code', scope: 'rackd:read', resource: `${fx.s.url}/mcp`, nowMs: now, expiresAtMs: now + 3_600_000 }),
  );
  return clientId;
}
/** Cancels every pending or running scan, so one a refused caller left does not slow what follows. */
async function cancelLiveScans(fx: Fx): Promise<void> {
  for (const scan of (await fx.admin('discovery_scan_list', { limit: 1000 })).items as Json[]) {
    if (scan.status === 'pending' || scan.status === 'running') await fx.admin('discovery_scan_cancel', { id: scan.id });
  }
}
const auditEntry = async (fx: Fx) => (await fx.admin('audit_list', { limit: 1 })).items[0].id as string;

const none = async (): Promise<Input> => ({});
const one = (perm: Permission, input: (fx: Fx) => Promise<Input> = none, extra: Partial<Case> = {}): Fixture => ({ cases: [{ perms: [perm], input, ...extra }] });
const needs = (perms: Permission[], input: (fx: Fx) => Promise<Input>): Fixture => ({ cases: [{ perms, input }] });
const anyone = (input: (fx: Fx) => Promise<Input> = none, extra: Partial<Case> = {}): Fixture => ({ cases: [{ perms: [], input, ...extra }] });
const byId = (perm: Permission, make: (fx: Fx) => Promise<string>): Fixture => one(perm, async (fx) => ({ id: await make(fx) }));
const save = (prefix: string, create: (fx: Fx) => Promise<Input>, existing: (fx: Fx) => Promise<string>, change: Input = { description: 'changed by the matrix' }): Fixture => ({
  branches: true,
  cases: [
    { perms: [`${prefix}:create` as Permission], input: create },
    { perms: [`${prefix}:update` as Permission], input: async (fx) => ({ id: await existing(fx), ...change }) },
  ],
});

const FIXTURES: Record<string, Fixture> = {
  datacenter_list: one('datacenter:list'),
  datacenter_get: byId('datacenter:read', dc),
  datacenter_save: save('datacenter', async () => ({ name: uniq('mx-dc') }), dc),
  datacenter_delete: byId('datacenter:delete', dc),
  device_list: one('device:list'),
  device_status_counts: one('device:list'),
  device_get: byId('device:read', device),
  device_save: save('device', async () => ({ name: uniq('mx-dev') }), device),
  device_delete: byId('device:delete', device),
  datacenter_devices: byId('device:list', dc),
  network_devices: one('device:list', async (fx) => ({ id: (await net(fx)).id })),
  device_bulk_create: one('device:create', async () => ({ devices: [{ name: uniq('mx-bulk') }] })),
  device_bulk_update: one('device:update', async (fx) => ({ devices: [{ id: await device(fx), description: 'bulk' }] })),
  device_bulk_delete: one('device:delete', async (fx) => ({ ids: [await device(fx)] })),
  device_bulk_add_tags: one('device:update', async (fx) => ({ device_ids: [await device(fx)], tags: ['mx'] })),
  device_bulk_remove_tags: one('device:update', async (fx) => ({ device_ids: [await device(fx)], tags: ['mx'] })),
  network_bulk_create: one('network:create', async () => ({ networks: [{ name: uniq('mx-bulk-net'), subnet: `10.98.${++seq & 255}.0/24` }] })),
  network_bulk_delete: one('network:delete', async (fx) => ({ ids: [(await net(fx)).id] })),
  device_add_relationship: one('relationship:create', async (fx) => ({ parent_id: await device(fx), child_id: await device(fx), type: 'depends_on' })),
  device_get_relationships: one('relationship:read', async (fx) => ({ id: (await link(fx)).parent_id })),
  device_related: one('relationship:read', async (fx) => ({ id: (await link(fx)).parent_id, type: 'contains' })),
  relationship_list: one('relationship:list'),
  relationship_update: one('relationship:update', async (fx) => ({ ...(await link(fx)), notes: 'matrix' })),
  relationship_delete: one('relationship:delete', link),
  network_list: one('network:list'),
  network_get: one('network:read', async (fx) => ({ id: (await net(fx)).id })),
  network_utilization: one('network:read', async (fx) => ({ id: (await net(fx)).id })),
  network_save: save('network', async () => ({ name: uniq('mx-net'), subnet: `10.99.${++seq & 255}.0/24` }), async (fx) => (await net(fx)).id),
  network_delete: one('network:delete', async (fx) => ({ id: (await net(fx)).id })),
  pool_list: one('pool:list', async (fx) => ({ network_id: (await net(fx)).id })),
  pool_get: byId('pool:read', pool),
  pool_save: save('pool', async (fx) => {
    const n = await net(fx);
    return { network_id: n.id, name: uniq('mx-pool'), start_ip: `${n.base}.10`, end_ip: `${n.base}.20` };
  }, pool),
  pool_delete: byId('pool:delete', pool),
  pool_get_next_ip: one('pool:read', async (fx) => ({ pool_id: await pool(fx) })),
  pool_heatmap: one('pool:read', async (fx) => ({ pool_id: await pool(fx) })),
  // Allocating also reads the pool, so each branch holds pool:read besides its own permission.
  ip_allocate: {
    branches: true,
    cases: [
      { perms: ['reservation:create', 'pool:read'], input: async (fx) => ({ pool_id: await pool(fx), hostname: 'mx.example.com' }) },
      { perms: ['device:update', 'pool:read'], input: async (fx) => ({ pool_id: await pool(fx), device_id: await device(fx), label: 'mx' }) },
    ],
  },
  reservation_list: one('reservation:list', async (fx) => ({ pool_id: await pool(fx) })),
  reservation_get: one('reservation:read', async (fx) => ({ id: (await fx.admin('reservation_create', { pool_id: await pool(fx) })).id })),
  reservation_create: one('reservation:create', async (fx) => ({ pool_id: await pool(fx), purpose: 'matrix' })),
  // Only the reserver (or an administrator) may change a reservation, so the caller reserves first.
  reservation_update: one('reservation:update', async (fx) => ({ id: await ownReservation(fx), notes: 'matrix' })),
  reservation_release: byId('reservation:update', ownReservation),
  reservation_delete: byId('reservation:delete', ownReservation),
  search: { cases: (['device:list', 'network:list', 'datacenter:list'] as const).map((p) => ({ perms: [p], input: async () => ({ query: 'mx' }) })) },
  dashboard_get: one('dashboard:read'),
  discovery_scan: one('discovery:create', async (fx) => ({ network_id: await loopNet(fx) })),
  discovery_scan_list: one('discovery:list'),
  discovery_scan_get: one('discovery:read', async (fx) => ({ id: (await discovered(fx)).scan_id })),
  discovery_scan_cancel: { ...byId('discovery:delete', runningScan), cleanup: cancelLiveScans },
  discovery_scan_delete: one('discovery:delete', async (fx) => ({ id: (await discovered(fx)).scan_id })),
  discovery_list: one('discovery:list'),
  discovery_get: one('discovery:read', async (fx) => ({ id: (await discovered(fx)).ids[0] })),
  discovery_delete: one('discovery:delete', async (fx) => ({ id: (await discovered(fx)).ids[0] })),
  discovery_delete_network: one('discovery:delete', async (fx) => ({ network_id: (await discovered(fx)).network_id })),
  // Promotion creates a device, so it needs device:create besides discovery:create.
  discovery_promote: needs(['discovery:create', 'device:create'], async (fx) => ({ discovered_id: (await discovered(fx)).ids[0], name: uniq('mx-promoted') })),
  discovery_diff: one('discovery:read', async (fx) => ({ network_id: (await discovered(fx)).network_id })),
  webhook_event_types: anyone(),
  webhook_list: one('webhooks:list'),
  webhook_get: byId('webhooks:read', webhook),
  webhook_save: save('webhooks', async (fx) => ({ name: uniq('mx-hook'), url: `${fx.receiver.url}/mx`, events: ['device.created'] }), webhook),
  webhook_delete: byId('webhooks:delete', webhook),
  webhook_ping: byId('webhooks:update', webhook),
  webhook_deliveries: byId('webhooks:read', webhook),
  webhook_delivery_get: one('webhooks:read', delivery),
  webhook_redeliver: one('webhooks:update', async (fx) => ({ id: (await delivery(fx)).delivery_id })),
  credential_list: one('credential:list'),
  credential_get: byId('credential:read', credential),
  credential_save: save('credential', async () => ({ name: uniq('mx-cred'), type: 'ssh_password', ssh_username: 'mx', ssh_password: 'matrix-secret' }), credential),
  credential_delete: byId('credential:delete', credential),
  scan_profile_list: one('scan-profile:list'),
  scan_profile_get: byId('scan-profile:read', profile),
  scan_profile_save: save('scan-profile', async () => ({ name: uniq('mx-profile'), scan_type: 'full' }), profile),
  scan_profile_delete: byId('scan-profile:delete', profile),
  scheduled_scan_list: one('scheduled-scan:list'),
  scheduled_scan_get: byId('scheduled-scan:read', schedule),
  scheduled_scan_save: save(
    'scheduled-scan',
    async (fx) => ({ name: uniq('mx-sched'), network_id: (await net(fx)).id, profile_id: 'default-quick', cron_expression: '30 2 * * *' }),
    schedule,
  ),
  scheduled_scan_delete: byId('scheduled-scan:delete', schedule),
  discovery_rule_list: one('discovery:list'),
  discovery_rule_get: byId('discovery:read', rule),
  discovery_rule_save: save('discovery', async (fx) => ({ network_id: (await net(fx)).id, interval_hours: 12 }), rule, { interval_hours: 48 }),
  discovery_rule_delete: byId('discovery:delete', rule),
  // Anyone may try to sign in; with the right password it succeeds without any permission.
  auth_login: anyone(async (fx) => ({ username: fx.caller.username, password: fx.caller.password })),
  auth_logout: anyone(none, { auth: 'session' }),
  auth_me: anyone(),
  setup_status: anyone(),
  // This server has users, so setup is over: 409 for anyone. tests/http/setup-ui.test.ts pins the 201 on an empty database.
  setup_complete: anyone(async () => ({ token: 'rackd_setup_matrix', username: uniq('mx-setup'), email: `${uniq('mx')}@example.test`, password: 'matrix-password-1' }), {
    expect: { status: 409, code: 'CONFLICT', why: 'first-run setup ends with the first user' },
  }),
  user_list: one('user:list'),
  user_create: one('user:create', async () => ({ username: uniq('mx-user'), email: `${uniq('mx')}@example.test`, password: 'matrix-password-1' })),
  user_get: byId('user:read', otherUser),
  user_update: one('user:update', async (fx) => ({ id: await otherUser(fx), full_name: 'Changed By The Matrix' })),
  user_delete: byId('user:delete', otherUser),
  user_change_password: one('user:update', async (fx) => ({ id: await otherUser(fx), new_password: 'matrix-password-2' })),
  user_reset_password: one('user:update', async (fx) => ({ id: await otherUser(fx), new_password: 'matrix-password-3' })),
  user_grant_role: one('role:update', async (fx) => ({ user_id: await otherUser(fx), role_id: await emptyRole(fx) })),
  user_revoke_role: one('role:update', async (fx) => {
    const grant = { user_id: await otherUser(fx), role_id: await emptyRole(fx) };
    await fx.admin('user_grant_role', grant);
    return grant;
  }),
  user_roles: needs(['role:list', 'user:read'], async (fx) => ({ id: await otherUser(fx) })),
  user_permissions: needs(['role:list', 'user:read'], async (fx) => ({ id: await otherUser(fx) })),
  role_list: one('role:list'),
  role_create: one('role:create', async () => ({ name: uniq('mx-role'), permissions: [] })),
  role_get: byId('role:read', emptyRole),
  role_update: one('role:update', async (fx) => ({ id: await emptyRole(fx), description: 'changed by the matrix' })),
  role_delete: byId('role:delete', emptyRole),
  role_permissions: byId('role:read', emptyRole),
  permission_list: one('role:list'),
  api_key_list: one('apikey:list'),
  api_key_create: one('apikey:create', async () => ({ name: uniq('mx-key') })),
  api_key_get: byId('apikey:read', ownKey),
  api_key_delete: byId('apikey:delete', ownKey),
  audit_list: one('audit:list'),
  audit_export: one('audit:export', async () => ({ format: 'json', action: 'datacenter.create' })),
  audit_get: byId('audit:read', auditEntry),
  // Holders of apikey:list see the clients they registered, holders of user:list every client.
  oauth_client_list: { cases: [{ perms: ['apikey:list'], input: none }, { perms: ['user:list'], input: none }] },
  oauth_client_create: one('apikey:create', async () => ({ client_name: uniq('mx-agent'), scope: 'rackd:read' })),
  // Your own agent client needs apikey:delete; anyone else's needs user:delete, and user:list to see it.
  oauth_client_delete: {
    branches: true,
    hiddenAcrossBranches: true,
    cases: [
      { perms: ['apikey:delete'], input: async (fx) => ({ id: await ownClient(fx) }) },
      { perms: ['user:delete', 'user:list'], input: async (fx) => ({ id: await othersClient(fx) }) },
    ],
  },
  oauth_authorization_list: anyone(),
  oauth_authorization_revoke: anyone(async (fx) => ({ id: await authorization(fx) })),
};

// ---------- surfaces ----------

interface Caller {
  label: string;
  user: TestUser;
  mcp(): Promise<Client>;
  tools(): Promise<Set<string>>;
}

const errorCode = (r: CallToolResult) => (r._meta?.['rackd/error'] as { code?: string } | undefined)?.code;
const where = (op: Operation, b: HttpBinding | 'MCP', who: string) => `${op.name} ${b === 'MCP' ? 'MCP' : `${b.method} ${b.path}`} as ${who}`;
const ALL: readonly Permission[] = PERMISSIONS.map((p) => p.name);

describe('security matrix over the operation catalogue', () => {
  let s: TestServer;
  let receiver: Receiver;
  let adminMcp: Client;
  let adminUser: TestUser;
  const clients: Client[] = [];
  const callers = new Map<string, Promise<Caller>>();
  const builtIn: Record<string, Caller> = {};

  function makeCaller(label: string, user: TestUser): Caller {
    let mcp: Promise<Client> | undefined;
    let tools: Promise<Set<string>> | undefined;
    const client = () => (mcp ??= connectMcp(s.url, user.key).then((c) => (clients.push(c), c)));
    return { label, user, mcp: client, tools: () => (tools ??= client().then(async (c) => new Set((await c.listTools()).tools.map((t) => t.name)))) };
  }
  /** A user whose only role is a custom one created through POST /api/roles with exactly these permissions. */
  function withPermissions(perms: readonly Permission[], label: string): Promise<Caller> {
    const key = [...new Set(perms)].sort().join(',');
    let c = callers.get(key);
    if (!c) {
      c = (async () => {
        const name = `mx-role-${++seq}`;
        const res = await s.api.post('/api/roles', { name, description: label, permissions: key ? key.split(',') : [] }, { token: adminUser.key });
        assert.equal(res.status, 201, res.text);
        return makeCaller(label, await createTestUser(s.env, [name]));
      })();
      callers.set(key, c);
    }
    return c;
  }
  const fx = (caller: TestUser): Fx => ({
    caller,
    s,
    receiver,
    async admin(tool, args) {
      const r = (await adminMcp.callTool({ name: tool, arguments: args })) as CallToolResult;
      assert.ok(!r.isError, `fixture ${tool}(${JSON.stringify(args)}) failed: ${JSON.stringify(r.content)}`);
      return r.structuredContent;
    },
    async adminRest(method, path, body) {
      const res = await s.api.request(method, path, { token: adminUser.key, body });
      assert.ok(res.status >= 200 && res.status < 300, `fixture ${method} ${path}: ${res.status} ${res.text}`);
      return res.body;
    },
    async runAs(user, name, args, perms) {
      const op = OPERATIONS.find((o) => o.name === name)!;
      const base = userContext(s.env, { kind: 'api_key', userId: user.id, username: user.username, keyId: 'matrix' }, { requestId: 'matrix', ip: '127.0.0.1', source: 'api' });
      const ctx: CallerContext = { ...base, permissions: new Set([...base.permissions, ...perms]) };
      return op.run(s.env, ctx, op.input.parse(args));
    },
  });

  async function rest(b: HttpBinding, input: Input, caller?: TestUser, auth: Case['auth'] = 'key'): Promise<ApiResponse> {
    const req = requestFor(b, input);
    if (!caller) return s.api.request(req.method, req.url, { body: req.body });
    if (auth === 'session') return s.api.request(req.method, req.url, { body: req.body, cookie: await s.api.login(caller.username, caller.password) });
    return s.api.request(req.method, req.url, { body: req.body, token: caller.key });
  }
  const call = async (c: Caller, op: Operation, input: Input) => (await c.mcp()).callTool({ name: op.name, arguments: input }) as Promise<CallToolResult>;

  before(async () => {
    receiver = await startReceiver();
    // Webhook fixtures post to a receiver on loopback; the small scan budget keeps the running scan running.
    s = await startTestServer({ SSRF_ALLOW_LOOPBACK_TARGETS: 'true', DISCOVERY_MAX_CONCURRENT: '8' });
    adminUser = await createTestUser(s.env, ['admin']);
    adminMcp = await connectMcp(s.url, adminUser.key);
    for (const role of ['viewer', 'operator']) builtIn[role] = makeCaller(role, await createTestUser(s.env, [role]));
  });
  after(async () => {
    if (adminMcp) await cancelLiveScans(fx(adminUser));
    for (const c of clients) await c.close();
    await adminMcp?.close();
    await s?.stop();
    await receiver?.close();
  });

  it('has a fixture for every operation and no fixture without one', () => {
    const names = new Set(OPERATIONS.map((o) => o.name));
    assert.deepEqual(OPERATIONS.map((o) => o.name).filter((n) => !FIXTURES[n]), [], 'operations without a fixture: add one above');
    assert.deepEqual(Object.keys(FIXTURES).filter((n) => !names.has(n)), [], 'fixtures of operations that no longer exist (renamed?)');
    for (const op of OPERATIONS) assert.ok(bindingsOf(op).length > 0 || isTool(op), `${op.name} is reachable nowhere`);
  });

  for (const op of OPERATIONS) {
    const fixture = FIXTURES[op.name];
    if (!fixture) continue;
    const rule = requirementOf(op);
    describe(op.name, () => {
      if (fixture.cleanup) after(() => fixture.cleanup!(fx(adminUser)));
      it(rule.mode === 'public' ? 'needs no credentials (the success case below makes its call without any)' : 'without credentials: REST 401 on every binding, MCP 401', async () => {
        if (rule.mode === 'public') return;
        const input = await fixture.cases[0]!.input(fx(adminUser));
        for (const b of bindingsOf(op)) {
          const res = await rest(b, fits(b, input) ? input : { ...input, ...Object.fromEntries(bindingPlaceholders(b, input)) });
          assert.equal(res.status, 401, where(op, b, 'anonymous'));
          assert.equal(res.body.code, 'UNAUTHORIZED');
        }
        if (isTool(op)) {
          const body = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: op.name, arguments: input } };
          const res = await s.api.post('/mcp', body, { headers: { accept: 'application/json, text/event-stream' } });
          assert.equal(res.status, 401, where(op, 'MCP', 'anonymous'));
          assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /);
        }
      });

      it('lacking the permission: REST 403, MCP hidden and FORBIDDEN', async (t) => {
        if (rule.mode === 'none' || rule.mode === 'public') {
          t.diagnostic(`${op.name} needs ${rule.mode === 'none' ? 'only authentication' : 'nothing'}: no caller lacks a permission for it`);
          return;
        }
        const own = rule.permissions;
        const lacking: Caller[] = [await withPermissions(ALL.filter((p) => !own.includes(p)), `all but ${own.join('|')}`)];
        // For "all of", holding every other one of them is still not enough.
        if (rule.mode === 'all') for (const p of own) lacking.push(await withPermissions(ALL.filter((x) => x !== p), `all but ${p}`));
        for (const role of ['viewer', 'operator']) {
          const held = SYSTEM_ROLES.find((r) => r.name === role)!.permissions;
          const enough = rule.mode === 'all' ? own.every((p) => held.includes(p)) : own.some((p) => held.includes(p));
          if (enough) t.diagnostic(`${role} holds ${own.filter((p) => held.includes(p)).join(', ')}: not a lacking caller`);
          else lacking.push(builtIn[role]!);
        }
        const inputs = await Promise.all(fixture.cases.map((c) => c.input(fx(adminUser))));
        for (const c of lacking) {
          for (const b of bindingsOf(op)) {
            for (const input of inputs.filter((x) => fits(b, x))) {
              const res = await rest(b, input, c.user);
              assert.equal(res.status, 403, `${where(op, b, c.label)}: ${res.text}`);
              assert.equal(res.body.code, 'FORBIDDEN');
            }
          }
          if (!isTool(op)) continue;
          assert.ok(!(await c.tools()).has(op.name), `${op.name} must be hidden from tools/list for ${c.label}`);
          for (const input of inputs) {
            const r = await call(c, op, input);
            assert.equal(r.isError, true, where(op, 'MCP', c.label));
            assert.equal(errorCode(r), 'FORBIDDEN', `${where(op, 'MCP', c.label)}: ${JSON.stringify(r.content)}`);
          }
        }
      });

      it('holding exactly the permission: the real success status on every binding, a result on MCP', async () => {
        const exercised = new Set<HttpBinding>();
        for (const kase of fixture.cases) {
          const c = await withPermissions(kase.perms, kase.perms.length ? `exactly ${kase.perms.join('+')}` : 'no permission at all');
          const f = fx(c.user);
          // The first input also says which bindings the case fits; every later call gets a fresh one.
          let next: Input | undefined = await kase.input(f);
          for (const b of bindingsOf(op).filter((x) => fits(x, next!))) {
            exercised.add(b);
            const input = next ?? (await kase.input(f));
            next = undefined;
            const res = await rest(b, input, rule.mode === 'public' ? undefined : c.user, kase.auth);
            if (kase.expect) {
              assert.equal(res.status, kase.expect.status, `${where(op, b, c.label)} (${kase.expect.why}): ${res.text.slice(0, 300)}`);
              assert.equal(res.body.code, kase.expect.code);
              continue;
            }
            assert.equal(res.status, successStatus(b), `${where(op, b, c.label)} should answer ${successStatus(b)}: ${res.status} ${res.text.slice(0, 300)}`);
          }
          if (isTool(op)) {
            assert.ok((await c.tools()).has(op.name), `${op.name} must be listed for ${c.label}`);
            const r = await call(c, op, await kase.input(f));
            assert.ok(!r.isError, `${where(op, 'MCP', c.label)} should succeed: ${JSON.stringify(r.content)}`);
          }
          // A branch's permission does not open the other branches (create-only cannot update, …).
          if (!fixture.branches) continue;
          for (const other of fixture.cases) {
            if (other === kase || other.perms.some((p) => kase.perms.includes(p) && own(op).includes(p))) continue;
            // Built for this caller: "your own" objects of the other branch are theirs.
            const input = await other.input(f);
            for (const b of bindingsOf(op).filter((x) => fits(x, input))) {
              const res = await rest(b, input, c.user);
              const refused = fixture.hiddenAcrossBranches && res.status === 404 ? 'NOT_FOUND' : 'FORBIDDEN';
              assert.equal(res.status, refused === 'FORBIDDEN' ? 403 : 404, `${where(op, b, c.label)} on the ${other.perms.join('+')} branch: ${res.text}`);
              assert.equal(res.body.code, refused);
            }
            if (isTool(op)) assert.equal(errorCode(await call(c, op, input)), 'FORBIDDEN', `${where(op, 'MCP', c.label)} on the ${other.perms.join('+')} branch`);
          }
        }
        for (const b of bindingsOf(op)) assert.ok(exercised.has(b), `${op.name} ${b.method} ${b.path}: no case fits this binding; add one to its fixture`);
      });
    });
  }
});

/** The permissions an operation's own rule names (a fixture may hold more, e.g. pool:read). */
const own = (op: Operation): readonly Permission[] => requirementOf(op).permissions;

/** Path params a binding needs that the input lacks (a pool_list case sent to /api/networks/:network_id/pools). */
function bindingPlaceholders(b: HttpBinding, input: Input): [string, string][] {
  return [...b.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!).filter((p) => typeof input[p] !== 'string').map((p) => [p, '0190a0a0-0000-7000-8000-00000000dead']);
}
