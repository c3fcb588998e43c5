/**
 * Reporting periods as the ledger writes them (`2026`, `2026H2`, `2026Q3`, `2026M09`) and the
 * dates they cover, to find the licence a usage report falls under.
 */
import { z } from '@hono/zod-openapi';

const PERIOD = /^(\d{4})(?:(H)([12])|(Q)([1-4])|(M)(0[1-9]|1[0-2]))?$/;

/** A period query or body field, with the ledger's grammar. */
export const PeriodString = z.string().regex(PERIOD, 'expected a period such as 2026, 2026H2, 2026Q3 or 2026M09').openapi({ example: '2026Q3' });

/** First and last day (`YYYY-MM-DD`) of a period; throws on a string that is not one. */
export function periodRange(period: string): { from: string; to: string } {
  const m = PERIOD.exec(period);
  if (!m) throw new RangeError(`not a period: ${period}`);
  const year = Number(m[1]);
  let first = 1, months = 12;
  if (m[2]) [first, months] = [(Number(m[3]) - 1) * 6 + 1, 6];
  else if (m[4]) [first, months] = [(Number(m[5]) - 1) * 3 + 1, 3];
  else if (m[6]) [first, months] = [Number(m[7]), 1];
  const pad = (n: number) => String(n).padStart(2, '0');
  // Day 0 of the following month is the last day of the period's last month.
  const lastDay = new Date(Date.UTC(year, first - 1 + months, 0)).getUTCDate();
  return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(first + months - 1)}-${pad(lastDay)}` };
}
