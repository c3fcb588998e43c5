/**
 * Calendar arithmetic of supervision, on UTC dates (`YYYY-MM-DD`): when a pool's period ends, how
 * old undistributed money is, and the statutory distribution deadline. Pure functions, no clock:
 * callers pass the reference date, so tests and what-if queries (`?asOf=`) give the same answers.
 */
import { z } from '@hono/zod-openapi';

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD_RE = /^(\d{4})(?:H([12])|Q([1-4])|M(0[1-9]|1[0-2]))?$/;

/** Age buckets of undistributed and suspense money, in months since the end of the pool's period. */
export const AGE_BUCKETS = ['0-3', '3-6', '6-9', '9-12', '>12'] as const;

/** One age bucket. */
export type AgeBucket = (typeof AGE_BUCKETS)[number];

/** Days before a deadline at which a pool counts as `due_soon`. */
export const DUE_SOON_DAYS = 60;

/** Status of a pool against its distribution deadline. */
export type DeadlineStatus = 'ok' | 'due_soon' | 'late';

/** True for a real calendar date written `YYYY-MM-DD` (so `2026-02-30` is refused). */
export function isIsoDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

/** The `?asOf=YYYY-MM-DD` query parameter: a reference date for clocks and ages (default: today, UTC). */
export const AsOfQuery = z
  .string()
  .refine(isIsoDate, 'expected a calendar date YYYY-MM-DD')
  .optional()
  .openapi({ example: '2027-08-01', description: 'Reference date (UTC) for ages, deadlines and clocks; defaults to today. For tests and what-if questions.' });

/** Today's date in UTC. */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function utcDate(year: number, monthIndex: number, day: number): string {
  return new Date(Date.UTC(year, monthIndex, day)).toISOString().slice(0, 10);
}

/** Days from `from` to `to` (both `YYYY-MM-DD`): negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/**
 * The last day of a ledger period (`2026`, `2026H1`, `2026Q3`, `2026M05`), or undefined for text
 * that is not a period.
 */
export function periodEnd(period: string): string | undefined {
  const m = PERIOD_RE.exec(period);
  if (!m) return undefined;
  const year = Number(m[1]);
  // Months are 1-based here; the last month of the period.
  const lastMonth = m[2] ? Number(m[2]) * 6 : m[3] ? Number(m[3]) * 3 : m[4] ? Number(m[4]) : 12;
  // Day 0 of the following month is the last day of this one.
  return utcDate(year, lastMonth, 0);
}

/** The calendar year a period belongs to. */
export function periodYear(period: string): number | undefined {
  const m = PERIOD_RE.exec(period);
  return m ? Number(m[1]) : undefined;
}

/**
 * The age bucket of money from a period that ended on `end`, seen on `asOf`. Boundaries are whole
 * months counted from the first day after the period (a quarter ending 30 September is 3 months
 * old on 1 January). Money from a period that has not ended yet is in the youngest bucket.
 */
export function ageBucket(end: string, asOf: string): AgeBucket {
  const [y, m] = end.split('-').map(Number) as [number, number];
  // First day after the period: end is always a month's last day.
  const monthsAfter = (k: number) => utcDate(y, m + k, 1);
  if (asOf < monthsAfter(3)) return '0-3';
  if (asOf < monthsAfter(6)) return '3-6';
  if (asOf < monthsAfter(9)) return '6-9';
  if (asOf < monthsAfter(12)) return '9-12';
  return '>12';
}

/**
 * The distribution deadline of income collected in `collectionYear`: nine months after the end of
 * that financial (calendar) year, i.e. 30 September of the following year.
 */
export function distributionDeadline(collectionYear: number): string {
  return `${collectionYear + 1}-09-30`;
}

/** Status against a deadline `daysLeft` days away: late once it has passed, due soon within 60 days. */
export function deadlineStatus(daysLeft: number): DeadlineStatus {
  if (daysLeft < 0) return 'late';
  if (daysLeft <= DUE_SOON_DAYS) return 'due_soon';
  return 'ok';
}
