// Standard 5-field cron (minute hour day-of-month month day-of-week), evaluated in UTC.
// Lists, ranges, steps, `*`, month/day names and 7 = Sunday are accepted; 6-field strings and
// @descriptors are refused. When both day fields are restricted a day matches either of them
// (the Vixie cron rule). Schedules that can fire less than 5 minutes apart are refused.
import { AppError } from '../platform/errors.ts';

export const MIN_INTERVAL_MINUTES = 5;

export interface Cron {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  daysOfMonth: ReadonlySet<number>;
  months: ReadonlySet<number>;
  daysOfWeek: ReadonlySet<number>;
  /** The day fields were `*` (matters for the either-day rule). */
  domStar: boolean;
  dowStar: boolean;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, base: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, base: 0 },
] as const;

const bad = (field: string, message: string) =>
  new AppError('VALIDATION_ERROR', `cron_expression: ${message}`, { details: [{ field, message }] });

function parseField(text: string, spec: (typeof FIELDS)[number]): Set<number> {
  const out = new Set<number>();
  const value = (s: string): number => {
    const lower = s.toLowerCase();
    if ('names' in spec) {
      const i = spec.names.indexOf(lower as never);
      if (i >= 0) return i + spec.base;
    }
    if (!/^\d+$/.test(s)) throw bad('cron_expression', `${spec.name} "${s}" is not a number`);
    const n = Number(s);
    if (n < spec.min || n > spec.max) throw bad('cron_expression', `${spec.name} ${n} is outside ${spec.min}–${spec.max}`);
    return n;
  };
  for (const part of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m) throw bad('cron_expression', `${spec.name} "${part}" is not valid`);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1 || step > spec.max) throw bad('cron_expression', `${spec.name} step "${m[2]}" is not valid`);
    let lo: number;
    let hi: number;
    if (m[1] === '*') [lo, hi] = [spec.min, spec.max];
    else {
      const range = m[1]!.split('-');
      if (range.length > 2) throw bad('cron_expression', `${spec.name} "${part}" is not valid`);
      lo = value(range[0]!);
      hi = range.length === 2 ? value(range[1]!) : m[2] === undefined ? lo : spec.max;
      if (hi < lo) throw bad('cron_expression', `${spec.name} range "${m[1]}" runs backwards`);
    }
    for (let n = lo; n <= hi; n += step) out.add(n);
  }
  return out;
}

export function parseCron(expression: string): Cron {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] === '') {
    throw bad('cron_expression', `expects 5 fields (minute hour day-of-month month day-of-week), got ${parts[0] === '' ? 0 : parts.length}`);
  }
  const sets = parts.map((p, i) => parseField(p, FIELDS[i]!));
  const dow = sets[4]!;
  if (dow.delete(7)) dow.add(0);
  return {
    minutes: sets[0]!,
    hours: sets[1]!,
    daysOfMonth: sets[2]!,
    months: sets[3]!,
    daysOfWeek: dow,
    // As in Vixie cron: a day field "starts with *" counts as unrestricted, even with a step.
    domStar: parts[2]!.startsWith('*'),
    dowStar: parts[4]!.startsWith('*'),
  };
}

function dayMatches(c: Cron, d: Date): boolean {
  if (!c.months.has(d.getUTCMonth() + 1)) return false;
  const dom = c.daysOfMonth.has(d.getUTCDate());
  const dow = c.daysOfWeek.has(d.getUTCDay());
  if (c.domStar && c.dowStar) return true;
  if (c.domStar) return dow;
  if (c.dowStar) return dom;
  return dom || dow;
}

/** How far ahead a next run is looked for; Feb 29 on a given weekday recurs within 28 years. */
const SEARCH_DAYS = 366 * 28;

/** The first fire time strictly after `after` (UTC, whole minutes), or undefined if none. */
export function nextRun(c: Cron, after: Date): Date | undefined {
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  const limit = after.getTime() + SEARCH_DAYS * 86_400_000;
  while (t.getTime() <= limit) {
    if (!dayMatches(c, t)) {
      t.setUTCHours(0, 0, 0, 0);
      t.setUTCDate(t.getUTCDate() + 1);
      continue;
    }
    if (!c.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      continue;
    }
    if (!c.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      continue;
    }
    return t;
  }
  return undefined;
}

/**
 * The shortest gap between two fire times, in minutes. Within a day it follows from the minute
 * and hour sets; across midnight it needs two consecutive matching days, looked for over a
 * 28-year window (the Gregorian weekday/leap cycle repeats within it).
 */
export function minimumGapMinutes(c: Cron, from = new Date()): number {
  const mins = [...c.minutes].sort((a, b) => a - b);
  const hours = [...c.hours].sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < mins.length; i++) gap = Math.min(gap, mins[i]! - mins[i - 1]!);
  const wrap = 60 - mins[mins.length - 1]! + mins[0]!; // last minute of one firing hour → first of the next
  for (let i = 1; i < hours.length; i++) {
    gap = Math.min(gap, (hours[i]! - hours[i - 1]!) * 60 - 60 + wrap);
  }
  // Across midnight: last hour of day D to first hour of day D+1.
  const overnight = (24 - hours[hours.length - 1]! + hours[0]!) * 60 - 60 + wrap;
  if (overnight < gap) {
    const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
    let prev = dayMatches(c, d);
    for (let i = 0; i < SEARCH_DAYS; i++) {
      d.setUTCDate(d.getUTCDate() + 1);
      const cur = dayMatches(c, d);
      if (prev && cur) {
        gap = overnight;
        break;
      }
      prev = cur;
    }
  }
  return gap;
}

/** Parses and checks a schedule: valid, fires at all, never more often than every 5 minutes. */
export function validateCron(expression: string, now: Date): { cron: Cron; next: Date } {
  const cron = parseCron(expression);
  const next = nextRun(cron, now);
  if (!next) throw bad('cron_expression', 'never fires (no date matches the day and month fields)');
  const gap = minimumGapMinutes(cron, now);
  if (gap < MIN_INTERVAL_MINUTES) {
    throw bad('cron_expression', `fires every ${gap} minute(s); the minimum interval is ${MIN_INTERVAL_MINUTES} minutes`);
  }
  return { cron, next };
}
