import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { auditLogs, users } from '../../src/db/schema/index.ts';
import { runRackd } from '../helpers/cli.ts';
import { createTestUser, sessionCookie, startTestServer, tempDir, type TestServer } from '../helpers/server.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('rackd user (offline)', () => {
  let s: TestServer;
  let dataDir: string;
  before(async () => {
    dataDir = tempDir('rackd-cli-user-');
    // The server shares DATA_DIR with the commands, as in production; no initial admin is made.
    s = await startTestServer({ INITIAL_ADMIN_USERNAME: '' }, { dataDir });
  });
  after(async () => {
    await s.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const userRow = (username: string) => s.env.db.select().from(users).where(eq(users.username, username)).get();

  it('creates a user from a password on stdin; the user can log in with it', async () => {
    const password = 'piped-password-123';
    const res = await runRackd(
      ['user', 'create', '--username', 'carol', '--email', 'carol@example.test', '--full-name', 'Carol C', '--role', 'operator', '--role', 'viewer'],
      { dataDir, input: `${password}\nignored second line\n` },
    );
    assert.equal(res.code, 0, res.stderr);
    const id = res.stdout.trim();
    assert.match(id, UUID);
    assert.equal(userRow('carol')?.id, id);

    const login = await s.api.post('/api/auth/login', { username: 'carol', password });
    assert.equal(login.status, 200);
    const me = await s.api.get('/api/auth/me', { cookie: sessionCookie(login.headers) });
    assert.equal(me.status, 200);
    assert.equal(me.body.full_name, 'Carol C');
    assert.deepEqual(me.body.roles.map((r: { name: string }) => r.name).sort(), ['operator', 'viewer']);
    assert.equal((await s.api.post('/api/auth/login', { username: 'carol', password: 'ignored second line' })).status, 401);

    const audit = s.env.db.select().from(auditLogs).where(and(eq(auditLogs.action, 'user.create'), eq(auditLogs.resourceId, id))).all();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.source, 'cli');
    assert.equal(audit[0]!.status, 'success');
    assert.match(audit[0]!.username, /^cli:/);
    assert.doesNotMatch(audit[0]!.changes, /piped-password/);
  });

  it('--admin grants the admin role', async () => {
    const res = await runRackd(['user', 'create', '--username', 'root2', '--email', 'root2@example.test', '--admin'], {
      dataDir,
      input: 'admin-password-456\n',
    });
    assert.equal(res.code, 0, res.stderr);
    const cookie = await s.api.login('root2', 'admin-password-456');
    const me = await s.api.get('/api/auth/me', { cookie });
    assert.equal(me.body.is_admin, true);
    assert.deepEqual(me.body.roles.map((r: { name: string }) => r.name), ['admin']);
    assert.ok(me.body.permissions.includes('user:delete'));
  });

  it('refuses an 11-character password with exit 1 and creates nothing', async () => {
    const res = await runRackd(['user', 'create', '--username', 'shorty', '--email', 'shorty@example.test'], {
      dataDir,
      input: '12345678901\n',
    });
    assert.equal(res.code, 1);
    assert.equal(res.stdout, '');
    assert.equal(res.stderr.trim().split('\n').length, 1);
    assert.match(res.stderr, /^rackd: VALIDATION_ERROR: password: must be at least 12 characters/);
    assert.equal(userRow('shorty'), undefined);
    const failure = s.env.db.select().from(auditLogs).where(and(eq(auditLogs.action, 'user.create'), eq(auditLogs.status, 'failure'))).all();
    assert.ok(failure.some((a) => a.source === 'cli' && a.errorCode === 'VALIDATION_ERROR'));
  });

  it('refuses an unknown role before creating the user', async () => {
    const res = await runRackd(['user', 'create', '--username', 'norole', '--email', 'norole@example.test', '--role', 'viewer', '--role', 'no-such-role'], {
      dataDir,
      input: 'long-enough-password\n',
    });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^rackd: NOT_FOUND: Role not found: no-such-role\n$/);
    assert.equal(userRow('norole'), undefined);
  });

  it('refuses a duplicate username with exit 1', async () => {
    const res = await runRackd(['user', 'create', '--username', 'CAROL', '--email', 'other@example.test'], {
      dataDir,
      input: 'long-enough-password\n',
    });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /ALREADY_EXISTS/);
  });

  it('reset-password sets the new password and ends every existing session', async () => {
    const u = await createTestUser(s.env, ['viewer']);
    const cookie1 = await s.api.login(u.username, u.password);
    const cookie2 = await s.api.login(u.username, u.password);
    assert.equal((await s.api.get('/api/auth/me', { cookie: cookie1 })).status, 200);

    const res = await runRackd(['user', 'reset-password', '--username', u.username], { dataDir, input: 'brand-new-password-1\n' });
    assert.equal(res.code, 0, res.stderr);

    for (const cookie of [cookie1, cookie2]) {
      const me = await s.api.get('/api/auth/me', { cookie });
      assert.equal(me.status, 401);
      assert.equal(me.body.code, 'UNAUTHORIZED');
    }
    assert.equal((await s.api.post('/api/auth/login', { username: u.username, password: u.password })).status, 401);
    assert.equal((await s.api.post('/api/auth/login', { username: u.username, password: 'brand-new-password-1' })).status, 200);
    // API keys are not sessions: they keep working.
    assert.equal((await s.api.get('/api/auth/me', { token: u.key })).status, 200);

    const audit = s.env.db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.action, 'user.password_reset'), eq(auditLogs.resourceId, u.id), eq(auditLogs.status, 'success')))
      .all();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.source, 'cli');
    assert.doesNotMatch(audit[0]!.changes, /brand-new-password|\$2[aby]\$/);
  });

  it('reset-password refuses surrounding whitespace and short passwords, leaving the old one', async () => {
    const u = await createTestUser(s.env, ['viewer']);
    const cookie = await s.api.login(u.username, u.password);
    for (const [input, message] of [
      [' padded-password-123\n', /new_password: must not start or end with whitespace/],
      ['padded-password-123 \n', /new_password: must not start or end with whitespace/],
      ['too-short\n', /new_password: must be at least 12 characters/],
    ] as const) {
      const res = await runRackd(['user', 'reset-password', '--username', u.username], { dataDir, input });
      assert.equal(res.code, 1);
      assert.match(res.stderr, message);
    }
    assert.equal((await s.api.get('/api/auth/me', { cookie })).status, 200);
    assert.equal((await s.api.post('/api/auth/login', { username: u.username, password: u.password })).status, 200);
  });

  it('reset-password of an unknown user fails with NOT_FOUND', async () => {
    const res = await runRackd(['user', 'reset-password', '--username', 'ghost'], { dataDir, input: 'whatever-password-1\n' });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /^rackd: NOT_FOUND: User not found: ghost\n$/);
  });

  it('reset-password does not create a database in an empty DATA_DIR', async () => {
    const empty = tempDir('rackd-cli-empty-');
    try {
      const res = await runRackd(['user', 'reset-password', '--username', 'x'], { dataDir: empty, input: 'whatever-password-1\n' });
      assert.equal(res.code, 1);
      assert.match(res.stderr, /no rackd database in/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('answers usage errors with exit 2 and one line', async () => {
    const cases: [string[], RegExp][] = [
      [['user', 'create', '--username', 'x', '--email', 'x@example.test', '--bogus'], /Unknown option '--bogus'/],
      [['user', 'create', '--email', 'x@example.test'], /--username is required/],
      [['user', 'create', '--username', 'x'], /--email is required/],
      [['user', 'create', '--username', 'x', '--email', 'x@example.test', 'extra'], /unexpected argument "extra"/],
      [['user', 'reset-password'], /--username is required/],
      [['user', 'frobnicate'], /unknown user subcommand "frobnicate"/],
      [['user'], /expected a subcommand/],
    ];
    const results = await Promise.all(cases.map(([args]) => runRackd(args, { dataDir, input: 'long-enough-password\n' })));
    for (const [i, [args, message]] of cases.entries()) {
      const res = results[i]!;
      assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
      assert.match(res.stderr, message);
      assert.equal(res.stderr.trim().split('\n').length, 1);
    }
    // No password at all on stdin is a usage error too, and nothing is created.
    const none = await runRackd(['user', 'create', '--username', 'nopw', '--email', 'nopw@example.test'], { dataDir, input: '' });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no password given/);
    assert.equal(userRow('nopw'), undefined);
  });

  it('prints help for the command and lists every command at the top level', async () => {
    const help = await runRackd(['user', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /rackd user <subcommand>/);
    assert.match(help.stdout, /reset-password/);
    const top = await runRackd(['--help']);
    assert.equal(top.code, 0);
    for (const cmd of ['server', 'user', 'migrate', 'backup', 'restore', 'version']) assert.match(top.stdout, new RegExp(`^  ${cmd}$`, 'm'));
  });
});
