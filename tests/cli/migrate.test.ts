import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runRackd } from '../helpers/cli.ts';
import { ROOT, tempDir } from '../helpers/server.ts';

const shipped = (
  JSON.parse(readFileSync(join(ROOT, 'src/db/migrations/meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] }
).entries.map((e) => e.tag);

describe('rackd migrate', () => {
  const dataDir = tempDir('rackd-cli-migrate-');
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('status lists every shipped migration as pending without creating the database', async () => {
    assert.ok(shipped.length >= 1);
    const res = await runRackd(['migrate', 'status'], { dataDir });
    assert.equal(res.code, 0, res.stderr);
    for (const tag of shipped) assert.match(res.stdout, new RegExp(`^pending  ${tag}$`, 'm'));
    assert.doesNotMatch(res.stdout, /^applied /m);
    assert.match(res.stdout, new RegExp(`^0 applied, ${shipped.length} pending$`, 'm'));
    assert.deepEqual(readdirSync(dataDir), []);
  });

  it('run applies the pending migrations and says how many; status then shows them applied', async () => {
    const run = await runRackd(['migrate', 'run'], { dataDir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^${shipped.length} migration\\(s\\) applied$`, 'm'));
    assert.ok(existsSync(join(dataDir, 'rackd.db')));

    const status = await runRackd(['migrate', 'status', '--data-dir', dataDir]);
    assert.equal(status.code, 0, status.stderr);
    for (const tag of shipped) assert.match(status.stdout, new RegExp(`^applied  ${tag}$`, 'm'));
    assert.match(status.stdout, new RegExp(`^${shipped.length} applied, 0 pending$`, 'm'));

    const again = await runRackd(['migrate', 'run'], { dataDir });
    assert.equal(again.code, 0);
    assert.match(again.stdout, /0 migrations applied/);
  });

  it('answers usage errors with exit 2', async () => {
    const [none, bad, extra, flag] = await Promise.all([
      runRackd(['migrate'], { dataDir }),
      runRackd(['migrate', 'sideways'], { dataDir }),
      runRackd(['migrate', 'status', 'now'], { dataDir }),
      runRackd(['migrate', 'status', '--dry-run'], { dataDir }),
    ]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /expected an action: status, run or copy/);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown migrate action "sideways"/);
    assert.equal(extra.code, 2);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /Unknown option '--dry-run'/);
  });
});
