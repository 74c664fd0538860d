// Discovery credentials and scan profiles over REST and MCP: secrets go in and never come out —
// not in any response, tool result, audit entry, webhook outbox event or log line — and they are
// sealed at rest (AES-256-GCM under the derived key, bound to the row).
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import ssh2 from 'ssh2';
import { decryptSecret } from '../../src/platform/crypto.ts';
import { parseConfig } from '../../src/platform/config.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { startServer, type RunningServer } from '../../src/runtime.ts';
import { callTool, connectMcp } from '../helpers/mcp.ts';
import { ApiClient, createTestUser, TEST_ENV, tempDir, type TestUser, writerOf } from '../helpers/server.ts';

const SECRETS = {
  community: 'community-Zq81xWv',
  v3user: 'v3user-Kp29LmN',
  auth: 'authkey-Yt62BvCx',
  priv: 'privkey-Hs73NdQe',
  password: 'sshpass-Rm45TgWk',
  mcpCommunity: 'mcp-community-Jx58PaLz',
  newPassword: 'sshpass2-Wd19KeUy',
};
const key = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'rackd-test' });
const SECRET_STRINGS = [...Object.values(SECRETS), key.private.split('\n')[1]!];

describe('credentials and scan profiles', () => {
  let server: RunningServer;
  let api: ApiClient;
  let dataDir: string;
  let admin: TestUser;
  let operator: TestUser;
  let viewer: TestUser;
  let mcp: Client;
  const logLines: string[] = [];
  const seen: string[] = []; // every response body and tool result
  const ids: Record<string, string> = {};

  const rest = async (method: 'get' | 'post' | 'put' | 'delete', path: string, body?: unknown, token = admin.key) => {
    const res = method === 'get' || method === 'delete' ? await api[method](path, { token }) : await api[method](path, body, { token });
    seen.push(res.text);
    return res;
  };
  const tool = async (name: string, args: Record<string, unknown>) => {
    const r = await callTool(mcp, name, args);
    seen.push(JSON.stringify(r.raw));
    return r;
  };
  const sealed = (id: string) => (server.runtime.env.db.$client.prepare('SELECT secret FROM credentials WHERE id = ?').get(id) as { secret: string }).secret;
  const unseal = (id: string) => JSON.parse(decryptSecret(server.runtime.env.keys.derive('credential-encryption'), sealed(id), `credential:${id}`));

  before(async () => {
    dataDir = tempDir();
    const config = parseConfig({ ...TEST_ENV, DATA_DIR: dataDir, AUDIT_READS: 'true', LOG_LEVEL: 'trace' });
    const logger = createLogger({ level: 'trace', format: 'json', write: (l) => void logLines.push(l) });
    server = await startServer(config, { logger });
    api = new ApiClient(`http://127.0.0.1:${server.port}`);
    admin = await createTestUser(server.runtime.env, ['admin']);
    operator = await createTestUser(server.runtime.env, ['operator']);
    viewer = await createTestUser(server.runtime.env, ['viewer']);
    mcp = await connectMcp(api.url, admin.key);
  });
  after(async () => {
    await mcp?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates each type over REST and answers with has_* flags only', async () => {
    let r = await rest('post', '/api/credentials', { name: 'v2c', type: 'snmp_v2c', snmp_community: SECRETS.community, description: 'lab' });
    assert.equal(r.status, 201, r.text);
    ids.v2c = r.body.id;
    assert.deepEqual(
      Object.fromEntries(Object.entries(r.body).filter(([k]) => k.startsWith('has_'))),
      { has_secret: true, has_community: true, has_snmp_v3_user: false, has_auth_key: false, has_priv_key: false, has_password: false, has_private_key: false },
    );
    // Rackd's field names for the v3 secrets are accepted on REST.
    r = await rest('post', '/api/credentials', { name: 'v3', type: 'snmp_v3', snmp_v3_user: SECRETS.v3user, snmp_v3_auth: SECRETS.auth, snmp_v3_priv: SECRETS.priv, snmp_v3_auth_protocol: 'sha256' });
    assert.equal(r.status, 201, r.text);
    ids.v3 = r.body.id;
    assert.equal(r.body.snmp_v3_auth_protocol, 'sha256');
    assert.equal(r.body.snmp_v3_priv_protocol, 'aes');
    assert.equal(r.body.has_auth_key && r.body.has_priv_key && r.body.has_snmp_v3_user, true);
    r = await rest('post', '/api/credentials', { name: 'pw', type: 'ssh_password', ssh_username: 'netops', ssh_password: SECRETS.password }, operator.key);
    assert.equal(r.status, 201, r.text);
    ids.pw = r.body.id;
    assert.equal(r.body.ssh_username, 'netops');
    assert.equal(r.body.has_password, true);
    r = await rest('post', '/api/credentials', { name: 'key', type: 'ssh_key', ssh_username: 'root', ssh_private_key: key.private });
    assert.equal(r.status, 201, r.text);
    ids.key = r.body.id;
    assert.equal(r.body.has_private_key, true);
  });

  it('stores the secrets sealed, bound to the row', () => {
    for (const id of Object.values(ids)) {
      const value = sealed(id);
      assert.match(value, /^v1\.[A-Za-z0-9_-]+$/);
      for (const s of SECRET_STRINGS) assert.equal(value.includes(s), false);
    }
    assert.deepEqual(unseal(ids.v2c!), { community: SECRETS.community });
    assert.deepEqual(unseal(ids.v3!), { user: SECRETS.v3user, auth_key: SECRETS.auth, priv_key: SECRETS.priv });
    assert.deepEqual(unseal(ids.key!), { private_key: key.private });
    // A sealed value copied into another row does not open there.
    const env = server.runtime.env;
    assert.throws(() => decryptSecret(env.keys.derive('credential-encryption'), sealed(ids.v2c!), `credential:${ids.pw}`));
    assert.throws(() => decryptSecret(env.keys.derive('webhook-secret-encryption'), sealed(ids.v2c!), `credential:${ids.v2c}`));
  });

  it('updates partially: omitted secrets are kept, sent ones replaced', async () => {
    let r = await rest('put', `/api/credentials/${ids.pw}`, { description: 'jump host' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.description, 'jump host');
    assert.equal(r.body.ssh_username, 'netops');
    assert.deepEqual(unseal(ids.pw!), { password: SECRETS.password });
    r = await rest('put', `/api/credentials/${ids.pw}`, { ssh_password: SECRETS.newPassword });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(unseal(ids.pw!), { password: SECRETS.newPassword });
    assert.equal(r.body.description, 'jump host');
    // Changing the type needs the new type's secrets; the username carries over between SSH types.
    r = await rest('put', `/api/credentials/${ids.pw}`, { type: 'ssh_key' });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.details[0].field, 'ssh_private_key');
    assert.match(r.body.error, /when changing its type/);
  });

  it('answers 409, not 500, when a stored secret no longer opens, and a full update replaces it', async () => {
    const r0 = await rest('post', '/api/credentials', { name: 'stale', type: 'ssh_password', ssh_username: 'ops', ssh_password: SECRETS.password });
    assert.equal(r0.status, 201, r0.text);
    const id = r0.body.id as string;
    // As if the master key had been changed without rotate-key: a value sealed for another row.
    writerOf(server.runtime.env).$client.prepare('UPDATE credentials SET secret = ? WHERE id = ?').run(sealed(ids.v2c!), id);
    const partial = await rest('put', `/api/credentials/${id}`, { description: 'x' });
    assert.equal(partial.status, 409, partial.text);
    assert.equal(partial.body.code, 'CONFLICT');
    assert.match(partial.body.error, /cannot be decrypted.*update it with all of its secrets/);
    const full = await rest('put', `/api/credentials/${id}`, { ssh_password: SECRETS.newPassword });
    assert.equal(full.status, 200, full.text);
    assert.deepEqual(unseal(id), { password: SECRETS.newPassword });
    assert.equal((await rest('delete', `/api/credentials/${id}`)).status, 204);
  });

  it('validates per type, by field name, never as a 500', async () => {
    const cases: [unknown, number, string, string?][] = [
      [{ name: 'a', type: 'snmp_v2c' }, 400, 'snmp_community'],
      [{ name: 'a', type: 'snmp_v3', snmp_v3_user: 'u', snmp_v3_auth_key: 'short', snmp_v3_priv_key: 'longenough' }, 400, 'snmp_v3_auth_key'],
      [{ name: 'a', type: 'snmp_v3', snmp_v3_user: 'u', snmp_v3_auth_key: 'longenough' }, 400, 'snmp_v3_priv_key'],
      [{ name: 'a', type: 'ssh_password', ssh_password: 'x' }, 400, 'ssh_username'],
      [{ name: 'a', type: 'snmp_v2c', snmp_community: 'c', ssh_password: 'x' }, 400, 'ssh_password', 'does not apply'],
      [{ name: 'a', type: 'ssh_key', ssh_username: 'root', ssh_private_key: 'not a key' }, 400, 'ssh_private_key', 'not a private key'],
      [{ name: 'a', type: 'ssh_key', ssh_username: 'root', ssh_private_key: key.public }, 400, 'ssh_private_key'],
      [{ name: 'a', type: 'telnet' }, 400, 'type'],
      [{ name: 'a', type: 'snmp_v2c', snmp_community: 'c', community: 'c' }, 400, 'community', 'unknown field'],
      [{ name: 'v2c', type: 'snmp_v2c', snmp_community: 'c' }, 409, 'name'],
      [{ type: 'snmp_v2c', snmp_community: 'c' }, 400, 'name'],
      [{ name: 'a', type: 'snmp_v2c', snmp_community: 'c', datacenter_id: '0190a0a0-0000-7000-8000-00000000dead' }, 404, 'datacenter_id'],
    ];
    for (const [body, status, field, message] of cases) {
      const r = await rest('post', '/api/credentials', body);
      assert.equal(r.status, status, `${JSON.stringify(body)} → ${r.text}`);
      assert.equal(r.body.details?.[0]?.field, field, r.text);
      if (message) assert.match(r.body.error, new RegExp(message));
    }
    const encrypted = ssh2.utils.generateKeyPairSync('ed25519', { passphrase: 'pp-secret-123', cipher: 'aes256-cbc', rounds: 4 });
    const r = await rest('post', '/api/credentials', { name: 'enc', type: 'ssh_key', ssh_username: 'root', ssh_private_key: encrypted.private });
    assert.equal(r.status, 400, r.text);
    assert.match(r.body.error, /encrypted private keys are not supported/);
  });

  it('works over MCP with the same contract', async () => {
    const created = await tool('credential_save', { name: 'mcp-v2c', type: 'snmp_v2c', snmp_community: SECRETS.mcpCommunity });
    assert.ok(created.ok, JSON.stringify(created.error));
    assert.equal(created.data.has_community, true);
    const got = await tool('credential_get', { id: created.data.id });
    assert.equal(got.data.name, 'mcp-v2c');
    const list = await tool('credential_list', { type: 'snmp_v2c' });
    assert.deepEqual(list.data.items.map((c: { name: string }) => c.name).sort(), ['mcp-v2c', 'v2c']);
    const del = await tool('credential_delete', { id: created.data.id });
    assert.deepEqual(del.data, { status: 'deleted', id: created.data.id });
  });

  it('lists and reads over REST for a viewer, who cannot write', async () => {
    const list = await rest('get', '/api/credentials', undefined, viewer.key);
    assert.equal(list.status, 200);
    assert.equal(list.headers.get('x-total-count'), '4');
    assert.deepEqual(list.body.map((c: { name: string }) => c.name), ['key', 'pw', 'v2c', 'v3']);
    assert.equal((await rest('get', `/api/credentials/${ids.v3}`, undefined, viewer.key)).status, 200);
    assert.equal((await rest('post', '/api/credentials', { name: 'x', type: 'snmp_v2c', snmp_community: 'c' }, viewer.key)).status, 403);
    assert.equal((await rest('delete', `/api/credentials/${ids.v2c}`, undefined, operator.key)).status, 403);
  });

  it('has the four built-in scan profiles, which cannot be deleted', async () => {
    const list = await rest('get', '/api/scan-profiles?limit=100');
    const builtins = list.body.filter((p: { is_builtin: boolean }) => p.is_builtin).map((p: { id: string }) => p.id).sort();
    assert.deepEqual(builtins, ['default-deep', 'default-full', 'default-infrastructure', 'default-quick']);
    const quick = await rest('get', '/api/scan-profiles/default-quick');
    assert.equal(quick.body.name, 'Quick Scan');
    assert.equal(quick.body.scan_type, 'quick');
    const del = await rest('delete', '/api/scan-profiles/default-quick');
    assert.equal(del.status, 400, del.text);
    assert.match(del.body.error, /built in/);
    assert.equal((await rest('put', '/api/scan-profiles/default-quick', { name: 'Renamed' })).status, 400);
    // Tuning a built-in is allowed.
    const tuned = await rest('put', '/api/scan-profiles/default-deep', { snmp_credential_id: ids.v3, ssh_credential_id: ids.key });
    assert.equal(tuned.status, 200, tuned.text);
    assert.equal(tuned.body.snmp_credential_id, ids.v3);
    assert.equal(tuned.body.name, 'Deep Scan');
  });

  it('checks that a profile names credentials of the matching kind', async () => {
    let r = await rest('post', '/api/scan-profiles', { name: 'bad', scan_type: 'quick', snmp_credential_id: ids.pw });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.details[0].field, 'snmp_credential_id');
    r = await rest('post', '/api/scan-profiles', { name: 'bad', scan_type: 'quick', ssh_credential_id: ids.v2c });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.details[0].field, 'ssh_credential_id');
    r = await rest('post', '/api/scan-profiles', { name: 'bad', scan_type: 'quick', ssh_credential_id: '0190a0a0-0000-7000-8000-00000000dead' });
    assert.equal(r.status, 404, r.text);
    r = await rest('post', '/api/scan-profiles', { name: 'bad', scan_type: 'custom' });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.details[0].field, 'ports');
    r = await rest('post', '/api/scan-profiles', { name: 'Quick Scan', scan_type: 'quick' });
    assert.equal(r.status, 409, r.text);
    r = await rest('post', '/api/scan-profiles', { name: 'lab', scan_type: 'custom', ports: [443, 22, 22], enable_snmp: true, snmp_credential_id: ids.v2c });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.body.ports, [22, 443]);
    ids.profile = r.body.id;
    const partial = await rest('put', `/api/scan-profiles/${ids.profile}`, { description: 'lab gear' });
    assert.deepEqual(partial.body.ports, [22, 443]);
    assert.equal(partial.body.snmp_credential_id, ids.v2c);
    assert.equal(partial.body.enable_snmp, true);
  });

  it('refuses to delete a credential a profile uses', async () => {
    let r = await rest('delete', `/api/credentials/${ids.v2c}`);
    assert.equal(r.status, 409, r.text);
    assert.equal(r.body.code, 'IN_USE');
    assert.match(r.body.error, /lab/);
    r = await rest('put', `/api/scan-profiles/${ids.profile}`, { snmp_credential_id: null });
    assert.equal(r.status, 200, r.text);
    r = await rest('delete', `/api/credentials/${ids.v2c}`);
    assert.equal(r.status, 204, r.text);
    assert.equal((await rest('get', `/api/credentials/${ids.v2c}`)).status, 404);
  });

  it('never lets a secret out: responses, tool results, audit log, event outbox, logs', async () => {
    // Also a failed write carrying secrets (its audit entry is a failure entry).
    await rest('post', '/api/credentials', { name: 'key', type: 'ssh_password', ssh_username: 'x', ssh_password: SECRETS.password });
    const db = server.runtime.env.db.$client;
    const audit = JSON.stringify(db.prepare('SELECT * FROM audit_logs').all());
    const events = JSON.stringify(db.prepare('SELECT * FROM events').all());
    assert.ok(audit.includes('credential.create') && audit.includes('credential.update') && audit.includes('credential.read'), 'the audit log has the credential actions');
    // Positive control: the non-secret parts of the same changes are there to be found.
    assert.ok(audit.includes('netops') && audit.includes('jump host') && audit.includes('has_password'), 'audit before/after hold the redacted credential');
    const logs = logLines.join('\n');
    assert.ok(logLines.length > 0);
    for (const secret of SECRET_STRINGS) {
      for (const [where, text] of [['responses', seen.join('\n')], ['audit_logs', audit], ['events', events], ['logs', logs]] as const) {
        assert.equal(text.includes(secret), false, `${secret} leaked into ${where}`);
      }
    }
  });
});
