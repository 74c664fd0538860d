// The 5-field cron parser and next-run computation used by scheduled scans (UTC).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minimumGapMinutes, nextRun, parseCron, validateCron } from '../../src/discovery/cron.ts';
import { AppError } from '../../src/platform/errors.ts';

const at = (iso: string) => new Date(iso);
const next = (expr: string, from: string) => nextRun(parseCron(expr), at(from))?.toISOString();
const refused = (expr: string, now = at('2026-03-10T10:07:30Z')) => {
  try {
    validateCron(expr, now);
  } catch (err) {
    assert.ok(err instanceof AppError && err.code === 'VALIDATION_ERROR', String(err));
    return err.message;
  }
  assert.fail(`${expr} was accepted`);
};

describe('cron', () => {
  it('computes the next fire time strictly after the given instant', () => {
    assert.equal(next('*/5 * * * *', '2026-03-10T10:07:30Z'), '2026-03-10T10:10:00.000Z');
    assert.equal(next('*/5 * * * *', '2026-03-10T10:10:00Z'), '2026-03-10T10:15:00.000Z');
    assert.equal(next('0 2 * * *', '2026-03-10T10:07:00Z'), '2026-03-11T02:00:00.000Z');
    assert.equal(next('30 23 31 12 *', '2026-03-10T10:07:00Z'), '2026-12-31T23:30:00.000Z');
    assert.equal(next('0 0 29 2 *', '2026-03-10T00:00:00Z'), '2028-02-29T00:00:00.000Z');
    assert.equal(next('0 9 * * mon-fri', '2026-03-13T09:00:00Z'), '2026-03-16T09:00:00.000Z'); // Fri → Mon
    assert.equal(next('0 12 * jan,jul sun', '2026-03-10T00:00:00Z'), '2026-07-05T12:00:00.000Z');
    assert.equal(next('0 0 * * 7', '2026-03-10T00:00:00Z'), '2026-03-15T00:00:00.000Z'); // 7 = Sunday
  });

  it('matches either day field when both are restricted (Vixie rule)', () => {
    // 13th of the month OR a Friday: Friday 2026-03-13 is both; after it, Friday the 20th.
    assert.equal(next('0 9 13 * 5', '2026-03-10T00:00:00Z'), '2026-03-13T09:00:00.000Z');
    assert.equal(next('0 9 13 * 5', '2026-03-13T10:00:00Z'), '2026-03-20T09:00:00.000Z');
    assert.equal(next('0 9 1 * 5', '2026-03-02T00:00:00Z'), '2026-03-06T09:00:00.000Z');
  });

  it('measures the shortest gap, across hours and midnight', () => {
    const gap = (e: string) => minimumGapMinutes(parseCron(e), at('2026-03-10T00:00:00Z'));
    assert.equal(gap('*/5 * * * *'), 5);
    assert.equal(gap('58 * * * *'), 60);
    assert.equal(gap('58,2 * * * *'), 4); // 10:58 → 11:02
    assert.equal(gap('59 23,0 * * *'), 60);
    assert.equal(gap('58 23 * * *'), 1440);
    assert.equal(gap('3,59 0,23 1 * *'), 56); // 23:59 on the 1st is never followed by 00:03 on the 2nd
  });

  it('accepts valid schedules and refuses bad, too frequent or impossible ones', () => {
    assert.equal(validateCron('0 2 * * *', at('2026-03-10T10:00:00Z')).next.toISOString(), '2026-03-11T02:00:00.000Z');
    assert.match(refused('* * * * *'), /every 1 minute\(s\); the minimum interval is 5 minutes/);
    assert.match(refused('*/4 * * * *'), /every 4 minute/);
    assert.match(refused('0,3 * * * *'), /every 3 minute/);
    assert.match(refused('0 0 * * * *'), /expects 5 fields/);
    assert.match(refused('@daily'), /expects 5 fields/);
    assert.match(refused(''), /expects 5 fields/);
    assert.match(refused('61 * * * *'), /minute 61 is outside 0–59/);
    assert.match(refused('0 24 * * *'), /hour 24/);
    assert.match(refused('0 0 0 * *'), /day of month 0/);
    assert.match(refused('0 0 * 13 *'), /month 13/);
    assert.match(refused('0 0 * * 8'), /day of week 8/);
    assert.match(refused('x 0 * * *'), /not a number/);
    assert.match(refused('5-1 0 * * *'), /backwards/);
    assert.match(refused('*/0 0 * * *'), /step/);
    assert.match(refused('0 0 30 2 *'), /never fires/);
  });
});
