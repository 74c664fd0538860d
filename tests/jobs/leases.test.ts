// Job leadership (db/job-leases.ts): several processes on one database run each periodic job once
// per interval between them. The same tests on both engines; the PostgreSQL runs are skipped with
// a message where PostgreSQL does not answer (failed under CI=true).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { jobLeases } from '../../src/db/job-leases.ts';
import { startScheduler } from '../../src/jobs/scheduler.ts';
import { silentLogger } from '../../src/platform/logger.ts';
import { ENGINES } from '../helpers/engines.ts';

const MINUTE = 60_000;

for (const [name, open] of Object.entries(ENGINES)) {
  describe(`job leases on ${name}`, () => {
    it('gives a run to one process, and the next only once the interval has passed', async (t) => {
      const engine = await open(t);
      if (!engine) return;
      let clock = Date.parse('2026-12-02T10:00:00.000Z');
      const now = () => clock;
      const a = jobLeases(engine, { owner: 'a', now });
      const b = jobLeases(engine, { owner: 'b', now });
      const opts = { intervalMs: 10 * MINUTE, leaseMs: 10 * MINUTE };
      assert.equal(await a.claim('purge', opts), true);
      assert.equal(await b.claim('purge', opts), false, 'held by a');
      await a.release('purge');
      assert.equal(await b.claim('purge', opts), false, 'released, but not due again yet');
      assert.equal(await b.claim('purge', { ...opts, force: true }), true, 'runNow runs what is not due');
      await b.release('purge');
      clock += 10 * MINUTE;
      assert.equal(await a.claim('purge', opts), true, 'due again');
      assert.equal(await b.claim('other-job', opts), true, 'jobs are leased one by one');
    });

    it('frees the lease of a process that died holding it once the lease ends', async (t) => {
      const engine = await open(t);
      if (!engine) return;
      let clock = Date.parse('2026-12-02T10:00:00.000Z');
      const now = () => clock;
      const dead = jobLeases(engine, { owner: 'dead', now });
      const live = jobLeases(engine, { owner: 'live', now });
      const opts = { intervalMs: MINUTE, leaseMs: 5 * MINUTE };
      assert.equal(await dead.claim('cleanup', opts), true);
      clock += 2 * MINUTE;
      assert.equal(await live.claim('cleanup', opts), false, 'due, but the lease still holds');
      assert.equal(await live.claim('cleanup', { ...opts, force: true }), false, 'not even forced');
      clock += 4 * MINUTE;
      assert.equal(await live.claim('cleanup', opts), true);
    });

    it('lets exactly one of many concurrent claims win', async (t) => {
      const engine = await open(t);
      if (!engine) return;
      const owners = Array.from({ length: 12 }, (_, i) => jobLeases(engine, { owner: `p${i}` }));
      const won = await Promise.all(owners.map((l) => l.claim('race', { intervalMs: MINUTE, leaseMs: MINUTE })));
      assert.equal(won.filter(Boolean).length, 1);
    });

    it('two schedulers on one database run a due job once between them', async (t) => {
      const engine = await open(t);
      if (!engine) return;
      let clock = Date.parse('2026-12-02T10:00:00.000Z');
      const now = () => clock;
      const runs: string[] = [];
      const job = (who: string) => [{ name: 'retention', intervalMs: 10 * MINUTE, run: () => void runs.push(who) }];
      const one = startScheduler(job('one'), silentLogger, jobLeases(engine, { owner: 'one', now }));
      const two = startScheduler(job('two'), silentLogger, jobLeases(engine, { owner: 'two', now }));
      after(() => {
        one.stop();
        two.stop();
      });
      assert.deepEqual(await Promise.all([one.runDue('retention'), two.runDue('retention')]).then((r) => r.filter(Boolean).length), 1);
      assert.equal(await two.runDue('retention'), false, 'not due again');
      clock += 10 * MINUTE;
      assert.equal(await two.runDue('retention'), true);
      assert.equal(await one.runDue('retention'), false);
      assert.equal(runs.length, 2);
    });
  });
}
