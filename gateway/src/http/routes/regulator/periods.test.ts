import { describe, expect, it } from 'vitest';
import { ageBucket, daysBetween, deadlineStatus, distributionDeadline, isIsoDate, periodEnd, periodYear } from './periods';

describe('periods', () => {
  it('ends each kind of period on its last day', () => {
    expect(periodEnd('2026')).toBe('2026-12-31');
    expect(periodEnd('2026H1')).toBe('2026-06-30');
    expect(periodEnd('2026H2')).toBe('2026-12-31');
    expect(periodEnd('2026Q1')).toBe('2026-03-31');
    expect(periodEnd('2026Q3')).toBe('2026-09-30');
    expect(periodEnd('2028M02')).toBe('2028-02-29');
    expect(periodEnd('2026M12')).toBe('2026-12-31');
    expect(periodEnd('2026Q5')).toBeUndefined();
    expect(periodYear('2026Q3')).toBe(2026);
  });

  it('ages money in whole months from the first day after the period', () => {
    const end = '2026-09-30';
    expect(ageBucket(end, '2026-08-01')).toBe('0-3'); // period still running
    expect(ageBucket(end, '2026-12-31')).toBe('0-3');
    expect(ageBucket(end, '2027-01-01')).toBe('3-6');
    expect(ageBucket(end, '2027-03-31')).toBe('3-6');
    expect(ageBucket(end, '2027-04-01')).toBe('6-9');
    expect(ageBucket(end, '2027-07-01')).toBe('9-12');
    expect(ageBucket(end, '2027-09-30')).toBe('9-12');
    expect(ageBucket(end, '2027-10-01')).toBe('>12');
    // A month end that is shorter than the start month's (Feb) still counts whole months.
    expect(ageBucket('2026-11-30', '2027-03-01')).toBe('3-6');
    expect(ageBucket('2026-11-30', '2027-02-28')).toBe('0-3');
  });

  it('puts the deadline nine months after the end of the collection year, with status', () => {
    expect(distributionDeadline(2026)).toBe('2027-09-30');
    expect(daysBetween('2027-09-30', '2027-09-30')).toBe(0);
    expect(daysBetween('2027-10-01', '2027-09-30')).toBe(-1);
    expect(daysBetween('2026-12-31', '2027-09-30')).toBe(273);
    // Across the change to summer time elsewhere: UTC dates, whole days.
    expect(daysBetween('2027-03-01', '2027-04-01')).toBe(31);
    expect(deadlineStatus(61)).toBe('ok');
    expect(deadlineStatus(60)).toBe('due_soon');
    expect(deadlineStatus(0)).toBe('due_soon');
    expect(deadlineStatus(-1)).toBe('late');
  });

  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2027-02-28')).toBe(true);
    expect(isIsoDate('2027-02-29')).toBe(false);
    expect(isIsoDate('2027-2-28')).toBe(false);
    expect(isIsoDate('2027-13-01')).toBe(false);
  });
});
