// The security matrix, generated from the operation catalogue: for every operation, on REST (every
// binding) and MCP (unless restOnly), (a) no credentials → 401, (b) a caller lacking the permission
// (viewer, operator, a custom role holding everything else) → 403 FORBIDDEN / tool hidden and
// refused, (c) a custom role holding exactly the operation's permission(s) → authorized (success,
// or a domain error such as 404). An operation without a fixture below runs with an input
// generated from its schema, so a new operation is covered the moment it joins OPERATIONS.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { CallerContext } from '../../src/auth/context.ts';
import { PERMISSIONS, SYSTEM_ROLES } from '../../src/auth/permissions.ts';
import { OPERATIONS } from '../../src/operations/index.ts';
import { bindingsOf, isTool, permissionsOf, type HttpBinding, type Operation } from '../../src/operations/types.ts';
import { userContext } from '../../src/services/auth/context.ts';
import { connectMcp } from '../helpers/mcp.ts';
import { createTestUser, startTestServer, type ApiResponse, type TestServer, type TestUser } from '../helpers/server.ts';

type Input = Record<string, unknown>;
type Json = Record<string, any>;
const DUMMY_ID = '0190a0a0-0000-7000-8000-00000000dead';
let seq = 0;

// ---------- inputs: fixtures, else generated from the input schema ----------

interface Case {
  perms: readonly string[];
  input: Input;
  /** The call must succeed (not just pass authorization). */
  ok?: boolean;
}
interface Fx {
  /** Runs a tool as the admin and returns its output. */
  admin(tool: string, args: Input): Promise<any>;
  /** Runs an operation as `user` with extra permissions granted for the setup only. */
  runAs(user: TestUser, tool: string, args: Input, perms: string[]): Promise<any>;
  /** The user the case will run as. */
  caller: TestUser;
}
/** `branches`: each case is a separate branch of the verb (save: create vs update), checked against the others. */
interface Fixture {
  cases(fx: Fx): Promise<Case[]>;
  branches?: boolean;
}

const uniq = (p: string) => `${p}-${++seq}-${Date.now() % 100000}`;
const dc = (fx: Fx) => fx.admin('datacenter_save', { name: uniq('mx-dc') }).then((d) => d.id as string);
async function net(fx: Fx): Promise<{ id: string; base: string }> {
  const n = ++seq;
  const base = `10.${100 + ((n >> 8) & 63)}.${n & 255}`;
  const out = await fx.admin('network_save', { name: uniq('mx-net'), subnet: `${base}.0/24` });
  return { id: out.id, base };
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

const one = (perm: string, input: (fx: Fx) => Promise<Input>): Fixture => ({ cases: async (fx) => [{ perms: [perm], input: await input(fx), ok: true }] });
const save = (prefix: string, create: (fx: Fx) => Promise<Input>, existing: (fx: Fx) => Promise<string>): Fixture => ({
  branches: true,
  cases: async (fx) => [
    { perms: [`${prefix}:create`], input: await create(fx), ok: true },
    { perms: [`${prefix}:update`], input: { id: await existing(fx), description: 'changed by the matrix' }, ok: true },
  ],
});

const FIXTURES: Record<string, Fixture> = {
  datacenter_list: one('datacenter:list', async () => ({})),
  datacenter_get: one('datacenter:read', async (fx) => ({ id: await dc(fx) })),
  datacenter_save: save('datacenter', async () => ({ name: uniq('mx-dc') }), dc),
  datacenter_delete: one('datacenter:delete', async (fx) => ({ id: await dc(fx) })),
  network_list: one('network:list', async () => ({})),
  network_get: one('network:read', async (fx) => ({ id: (await net(fx)).id })),
  network_utilization: one('network:read', async (fx) => ({ id: (await net(fx)).id })),
  network_save: save('network', async () => ({ name: uniq('mx-net'), subnet: `10.99.${++seq & 255}.0/24` }), async (fx) => (await net(fx)).id),
  network_delete: one('network:delete', async (fx) => ({ id: (await net(fx)).id })),
  pool_list: one('pool:list', async (fx) => ({ network_id: (await net(fx)).id })),
  pool_get: one('pool:read', async (fx) => ({ id: await pool(fx) })),
  pool_save: save('pool', async (fx) => {
    const n = await net(fx);
    return { network_id: n.id, name: uniq('mx-pool'), start_ip: `${n.base}.10`, end_ip: `${n.base}.20` };
  }, pool),
  pool_delete: one('pool:delete', async (fx) => ({ id: await pool(fx) })),
  pool_get_next_ip: one('pool:read', async (fx) => ({ pool_id: await pool(fx) })),
  pool_heatmap: one('pool:read', async (fx) => ({ pool_id: await pool(fx) })),
  // Allocating also reads the pool, so each branch holds pool:read besides its own permission.
  ip_allocate: {
    branches: true,
    cases: async (fx) => [
      { perms: ['reservation:create', 'pool:read'], input: { pool_id: await pool(fx), hostname: 'mx.example.com' }, ok: true },
      { perms: ['device:update', 'pool:read'], input: { pool_id: await pool(fx), device_id: await device(fx), label: 'mx' }, ok: true },
    ],
  },
  // Promotion creates a device, so it needs device:create besides discovery:create; the dummy id
  // then answers 404, which is past authorization.
  discovery_promote: {
    cases: async () => [
      { perms: ['discovery:create', 'device:create'], input: { discovered_id: '01900000-0000-7000-8000-000000000000', name: 'mx-promoted' } },
    ],
  },
  reservation_list: one('reservation:list', async (fx) => ({ pool_id: await pool(fx) })),
  reservation_get: one('reservation:read', async (fx) => ({ id: (await fx.admin('reservation_create', { pool_id: await pool(fx) })).id })),
  reservation_create: one('reservation:create', async (fx) => ({ pool_id: await pool(fx), purpose: 'matrix' })),
  // Only the reserver (or an administrator) may change a reservation, so the caller reserves first.
  reservation_update: one('reservation:update', async (fx) => ({ id: await ownReservation(fx), notes: 'matrix' })),
  reservation_release: one('reservation:update', async (fx) => ({ id: await ownReservation(fx) })),
  reservation_delete: one('reservation:delete', async (fx) => ({ id: await ownReservation(fx) })),
  device_list: one('device:list', async () => ({})),
  device_status_counts: one('device:list', async () => ({})),
  device_get: one('device:read', async (fx) => ({ id: await device(fx) })),
  device_save: save('device', async () => ({ name: uniq('mx-dev') }), device),
  device_delete: one('device:delete', async (fx) => ({ id: await device(fx) })),
  datacenter_devices: one('device:list', async (fx) => ({ id: await dc(fx) })),
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
  relationship_list: one('relationship:list', async () => ({})),
  relationship_update: one('relationship:update', async (fx) => ({ ...(await link(fx)), notes: 'matrix' })),
  relationship_delete: one('relationship:delete', async (fx) => link(fx)),
  dashboard_get: one('dashboard:read', async () => ({})),
  search: { cases: async () => ['device:list', 'network:list', 'datacenter:list'].map((p) => ({ perms: [p], input: { query: 'mx' }, ok: true })) },
};

const inputJson = (op: Operation) => z.toJSONSchema(op.input, { io: 'input', unrepresentable: 'any' }) as Json;
const pathParams = (b: HttpBinding) => [...b.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
const future = () => new Date(Date.now() + 7 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');

function sampleString(s: Json, key: string): string {
  const byFormat: Record<string, string> = {
    uuid: DUMMY_ID, ipv4: '192.0.2.10', ipv6: '2001:db8::10', cidrv4: '192.0.2.0/24', cidrv6: '2001:db8::/64',
    email: 'matrix@example.com', 'date-time': future(), date: '2030-01-01', uri: 'https://example.com/', url: 'https://example.com/',
  };
  if (s.format && byFormat[s.format]) return byFormat[s.format]!;
  if (/(^|_)ids?$/.test(key)) return DUMMY_ID;
  if (/subnet|cidr/.test(key)) return '192.0.2.0/24';
  if (/(^|_)(ip|ip_address|start_ip|end_ip|gateway|address)$/.test(key)) return '192.0.2.10';
  if (/(_at|_date)$/.test(key)) return future();
  if (/hostname/.test(key)) return 'matrix.example.com';
  if (key === 'name') return uniq('mx-gen');
  const v = 'matrix'.padEnd(s.minLength ?? 0, 'x');
  return s.maxLength !== undefined ? v.slice(0, s.maxLength) : v;
}

function sampleValue(s: Json, key: string): unknown {
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  const variants = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (variants) return sampleValue(variants.find((v) => v.type !== 'null') ?? variants[0]!, key);
  const type = Array.isArray(s.type) ? s.type.find((t: string) => t !== 'null') : s.type;
  switch (type) {
    case 'string':
      return sampleString(s, key);
    case 'integer':
    case 'number':
      return Math.min(Math.max(1, s.minimum ?? 1, s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1), s.maximum ?? Infinity);
    case 'boolean':
      return false;
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => sampleValue(s.items ?? {}, key.replace(/s$/, '')));
    case 'object':
      return Object.fromEntries(((s.required ?? []) as string[]).map((k) => [k, sampleValue(s.properties?.[k] ?? {}, k)]));
    default:
      return 'matrix';
  }
}

/** Required keys plus `include` (when they exist), minus `omit`; must satisfy the operation's own schema. */
function sampleInput(op: Operation, include: string[], omit: string[] = []): Input {
  const json = inputJson(op);
  const props = (json.properties ?? {}) as Record<string, Json>;
  const attempt = (extra: string[]) => {
    const keys = new Set([...((json.required ?? []) as string[]), ...extra.filter((k) => k in props)].filter((k) => !omit.includes(k)));
    const input = Object.fromEntries([...keys].map((k) => [k, sampleValue(props[k]!, k)]));
    return { input, parsed: op.input.safeParse(input) };
  };
  let r = attempt(include);
  if (!r.parsed.success) r = attempt(include.filter((k) => k !== 'name'));
  if (!r.parsed.success) {
    throw new Error(`${op.name}: cannot generate a valid input (${JSON.stringify(r.parsed.error.issues)}); add a fixture to tests/security/matrix.test.ts`);
  }
  return r.input;
}

/** Save operations (create + update permissions, optional id) get one case per branch; others one per permission (any of them). */
function generated(op: Operation): { cases: Case[]; branches: boolean } {
  const perms = permissionsOf(op);
  const props = (inputJson(op).properties ?? {}) as Record<string, Json>;
  const required = (inputJson(op).required ?? []) as string[];
  const bindings = bindingsOf(op);
  const create = perms.find((p) => p.endsWith(':create'));
  const update = perms.find((p) => p.endsWith(':update'));
  if (perms.length === 2 && create && update && 'id' in props && !required.includes('id')) {
    const createParams = bindings.filter((b) => b.forbid?.includes('id')).flatMap(pathParams);
    const updateParams = bindings.filter((b) => !b.forbid?.includes('id')).flatMap(pathParams);
    return {
      branches: true,
      cases: [
        { perms: [create], input: sampleInput(op, [...createParams, 'name'], ['id']) },
        { perms: [update], input: sampleInput(op, ['id', ...updateParams]) },
      ],
    };
  }
  const input = sampleInput(op, bindings.flatMap(pathParams));
  return { branches: false, cases: perms.map((p) => ({ perms: [p], input })) };
}

// ---------- surfaces ----------

interface Caller {
  label: string;
  user: TestUser;
  mcp: Client;
  tools: Set<string>;
}

const compatible = (b: HttpBinding, input: Input) => !(b.forbid ?? []).some((k) => k in input) && pathParams(b).every((p) => p in input);

async function rest(s: TestServer, b: HttpBinding, input: Input, token?: string): Promise<ApiResponse> {
  const params = pathParams(b);
  const path = b.path.replace(/:([A-Za-z0-9_]+)/g, (_m, p: string) => encodeURIComponent(String(input[p] ?? DUMMY_ID)));
  const skip = new Set([...params, ...(b.forbid ?? []), ...Object.keys(b.fixed ?? {})]);
  const rest = Object.fromEntries(Object.entries(input).filter(([k]) => !skip.has(k)));
  if (b.body === 'array') return s.api.request(b.method, path, { token, body: input[b.bodyKey ?? 'items'] });
  if (b.body === 'object' || (b.method !== 'GET' && b.method !== 'DELETE')) return s.api.request(b.method, path, { token, body: rest });
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(rest)) for (const x of Array.isArray(v) ? v : [v]) q.append(k, typeof x === 'object' ? JSON.stringify(x) : String(x));
  return s.api.request(b.method, q.size ? `${path}?${q}` : path, { token });
}

const errorCode = (r: CallToolResult) => (r._meta?.['rackd/error'] as { code?: string } | undefined)?.code;
const call = (c: Caller, op: Operation, input: Input) => c.mcp.callTool({ name: op.name, arguments: input }) as Promise<CallToolResult>;
const where = (op: Operation, b: HttpBinding | 'MCP', who: string) => `${op.name} ${b === 'MCP' ? 'MCP' : `${b.method} ${b.path}`} as ${who}`;

describe('security matrix over the operation catalogue', () => {
  let s: TestServer;
  let adminMcp: Client;
  let adminUser: TestUser;
  const callers = new Map<string, Promise<Caller>>();
  const builtIn: Record<string, Caller> = {};

  async function makeCaller(label: string, user: TestUser): Promise<Caller> {
    const mcp = await connectMcp(s.url, user.key);
    return { label, user, mcp, tools: new Set((await mcp.listTools()).tools.map((t) => t.name)) };
  }
  /** A user whose only role is a custom one created through POST /api/roles with exactly these permissions. */
  function withPermissions(perms: readonly string[], label: string): Promise<Caller> {
    const key = [...new Set(perms)].sort().join(',');
    let c = callers.get(key);
    if (!c) {
      c = (async () => {
        const name = `mx-role-${++seq}`;
        const res = await s.api.post('/api/roles', { name, description: label, permissions: key.split(',') }, { token: adminUser.key });
        assert.equal(res.status, 201, res.text);
        return makeCaller(label, await createTestUser(s.env, [name]));
      })();
      callers.set(key, c);
    }
    return c;
  }
  const fx = (caller: TestUser): Fx => ({
    caller,
    async admin(tool, args) {
      const r = (await adminMcp.callTool({ name: tool, arguments: args })) as CallToolResult;
      assert.ok(!r.isError, `fixture ${tool}(${JSON.stringify(args)}) failed: ${JSON.stringify(r.content)}`);
      return r.structuredContent;
    },
    async runAs(user, tool, args, perms) {
      const op = OPERATIONS.find((o) => o.name === tool)!;
      const base = userContext(s.env, { kind: 'api_key', userId: user.id, username: user.username, keyId: 'matrix' }, { requestId: 'matrix', ip: '127.0.0.1', source: 'api' });
      const ctx: CallerContext = { ...base, permissions: new Set([...base.permissions, ...perms]) };
      return op.run(s.env, ctx, op.input.parse(args));
    },
  });
  const casesOf = async (op: Operation, user: TestUser) => {
    const f = FIXTURES[op.name];
    return f ? { cases: await f.cases(fx(user)), branches: f.branches ?? false } : generated(op);
  };

  before(async () => {
    s = await startTestServer();
    adminUser = await createTestUser(s.env, ['admin']);
    adminMcp = await connectMcp(s.url, adminUser.key);
    for (const role of ['viewer', 'operator']) builtIn[role] = await makeCaller(role, await createTestUser(s.env, [role]));
  });
  after(async () => {
    for (const c of [...Object.values(builtIn), ...(await Promise.all(callers.values()))]) await c.mcp.close();
    await adminMcp?.close();
    await s?.stop();
  });

  it('covers every operation of the catalogue, each with at least one surface', () => {
    assert.ok(OPERATIONS.length > 0);
    for (const op of OPERATIONS) assert.ok(bindingsOf(op).length > 0 || !!isTool(op), `${op.name} is reachable nowhere`);
    for (const name of Object.keys(FIXTURES)) {
      if (!OPERATIONS.some((o) => o.name === name)) process.stderr.write(`matrix: fixture ${name} has no operation (renamed?)\n`);
    }
  });

  for (const op of OPERATIONS) {
    describe(op.name, () => {
      const perms = permissionsOf(op);

      it('without credentials: REST 401 on every binding, MCP 401', async () => {
        const { cases } = await casesOf(op, adminUser);
        for (const b of bindingsOf(op)) {
          const input = cases.find((c) => compatible(b, c.input))?.input ?? {};
          const res = await rest(s, b, input);
          assert.equal(res.status, 401, where(op, b, 'anonymous'));
          assert.equal(res.body.code, 'UNAUTHORIZED');
        }
        if (!!isTool(op)) {
          const body = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: op.name, arguments: cases[0]!.input } };
          const res = await s.api.post('/mcp', body, { headers: { accept: 'application/json, text/event-stream' } });
          assert.equal(res.status, 401, where(op, 'MCP', 'anonymous'));
          assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer /);
        }
      });

      it('lacking the permission (viewer, operator, custom role): REST 403, MCP hidden and FORBIDDEN', async (t) => {
        const { cases } = await casesOf(op, adminUser);
        const everythingElse = PERMISSIONS.map((p) => p.name).filter((p) => !perms.includes(p));
        const lacking: Caller[] = [await withPermissions(everythingElse, `all but ${perms.join('|')}`)];
        for (const role of ['viewer', 'operator']) {
          const held = SYSTEM_ROLES.find((r) => r.name === role)!.permissions;
          if (perms.some((p) => held.includes(p))) t.diagnostic(`${role} holds ${perms.filter((p) => held.includes(p)).join(', ')}: not a lacking caller`);
          else lacking.push(builtIn[role]!);
        }
        for (const c of lacking) {
          for (const b of bindingsOf(op)) {
            for (const { input } of cases.filter((x) => compatible(b, x.input))) {
              const res = await rest(s, b, input, c.user.key);
              assert.equal(res.status, 403, `${where(op, b, c.label)}: ${res.text}`);
              assert.equal(res.body.code, 'FORBIDDEN');
            }
          }
          if (!isTool(op)) continue;
          assert.ok(!c.tools.has(op.name), `${op.name} must be hidden from tools/list for ${c.label}`);
          for (const { input } of cases) {
            const r = await call(c, op, input);
            assert.equal(r.isError, true, where(op, 'MCP', c.label));
            assert.equal(errorCode(r), 'FORBIDDEN', `${where(op, 'MCP', c.label)}: ${JSON.stringify(r.content)}`);
          }
        }
      });

      it('holding exactly the permission: authorized on every binding and on MCP', async () => {
        const shape = await casesOf(op, adminUser);
        const exercised = new Set<HttpBinding>();
        for (const [i, template] of shape.cases.entries()) {
          const c = await withPermissions(template.perms, `exactly ${template.perms.join('+')}`);
          const fresh = async () => (await casesOf(op, c.user)).cases[i]!;
          for (const b of bindingsOf(op).filter((x) => compatible(x, template.input))) {
            exercised.add(b);
            const kase = await fresh();
            const res = await rest(s, b, kase.input, c.user.key);
            assert.ok(![401, 403].includes(res.status), `${where(op, b, c.label)} → ${res.status}: ${res.text}`);
            assert.ok(res.status < 500, `${where(op, b, c.label)} → ${res.status}: ${res.text}`);
            if (kase.ok) assert.ok(res.status >= 200 && res.status < 300, `${where(op, b, c.label)} should succeed: ${res.status} ${res.text}`);
          }
          if (!!isTool(op)) {
            assert.ok(c.tools.has(op.name), `${op.name} must be listed for ${c.label}`);
            const kase = await fresh();
            const r = await call(c, op, kase.input);
            const code = errorCode(r);
            assert.ok(code !== 'FORBIDDEN' && code !== 'UNAUTHORIZED' && code !== 'INTERNAL_ERROR', `${where(op, 'MCP', c.label)} → ${code}: ${JSON.stringify(r.content)}`);
            if (kase.ok) assert.ok(!r.isError, `${where(op, 'MCP', c.label)} should succeed: ${JSON.stringify(r.content)}`);
          }
          // A branch's permission does not open the other branches (create-only cannot update, …).
          if (!shape.branches) continue;
          const mine = template.perms.filter((p) => (perms as readonly string[]).includes(p));
          for (const other of shape.cases) {
            const theirs = other.perms.filter((p) => (perms as readonly string[]).includes(p));
            if (other === template || theirs.some((p) => mine.includes(p))) continue;
            for (const b of bindingsOf(op).filter((x) => compatible(x, other.input))) {
              const res = await rest(s, b, other.input, c.user.key);
              assert.equal(res.status, 403, `${where(op, b, c.label)} on the ${theirs.join('+')} branch: ${res.text}`);
            }
            if (!!isTool(op)) assert.equal(errorCode(await call(c, op, other.input)), 'FORBIDDEN', `${where(op, 'MCP', c.label)} on the ${theirs.join('+')} branch`);
          }
        }
        for (const b of bindingsOf(op)) assert.ok(exercised.has(b), `${op.name} ${b.method} ${b.path}: no case fits this binding; add a fixture`);
      });
    });
  }
});
