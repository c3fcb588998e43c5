/**
 * What the read model says about pools, the unit in which a collective collects and distributes
 * (`pool:<collective>:<right>:<use>:<period>`): money collected into each pool per year of
 * collection, money distributed out of it, and what its suspense account holds. Shared by the
 * dashboard and the annual report, so both state the same figures.
 *
 * Definitions (postings are signed, debit positive; pools are credit-normal):
 * - collected = credits into the pool by anything but a distribution opening (payments, direct
 *   income, and their reversals and adjustments, which net out);
 * - distributed = the gross moved out of the pool by distribution openings;
 * - undistributed = the pool's balance = collected − distributed.
 */
import type postgres from 'postgres';
import { HttpError } from '../../http-error';
import { minorOf } from './amounts';
import { poolOfAccount } from './schemas';

/** One pool in one currency. */
export interface PoolState {
  collectiveId: string;
  account: string;
  rightType: string;
  useType: string;
  period: string;
  currency: string;
  /** Net collected per calendar year (UTC) of the posting, in minor units. */
  collectedByYear: Map<number, bigint>;
  /** Gross distributed out of the pool, in minor units. */
  distributed: bigint;
}

/** A suspense account's balance. */
export interface SuspenseState {
  collectiveId: string;
  account: string;
  rightType: string;
  useType: string;
  period: string;
  currency: string;
  /** Balance in minor units. */
  held: bigint;
}

/** Which postings to look at: some collectives (all when absent), committed before a UTC date. */
export interface LedgerScope {
  collectiveIds?: readonly string[] | undefined;
  /** Exclusive upper bound, `YYYY-MM-DD` (UTC midnight). */
  before: string;
}

/** The collectives the read model knows, by id. */
export async function listCollectives(sql: postgres.Sql): Promise<Array<{ id: string; name: string; data: Record<string, unknown> }>> {
  return sql<Array<{ id: string; name: string; data: Record<string, unknown> }>>`
    select id, name, data from rm.parties where kind = 'collective' order by id`;
}

/** Throws 404 `NOT_FOUND` (field `collective`) unless the read model knows the collective. */
export async function assertCollective(sql: postgres.Sql, collectiveId: string): Promise<void> {
  const [row] = await sql`select 1 from rm.parties where id = ${collectiveId} and kind = 'collective'`;
  if (!row) throw new HttpError('NOT_FOUND', `no collective ${collectiveId}`, { field: 'collective' });
}

function scopeFilter(sql: postgres.Sql, scope: LedgerScope) {
  return scope.collectiveIds ? sql`and p.collective_id = any(${scope.collectiveIds as string[]})` : sql``;
}

/** Every pool with postings in scope, with collections per year and distributions. */
export async function loadPools(sql: postgres.Sql, scope: LedgerScope): Promise<PoolState[]> {
  const rows = await sql<Array<{ collective_id: string; account: string; currency: string; year: number; collected: string; distributed: string }>>`
    select p.collective_id, p.account, p.currency,
      extract(year from p.at at time zone 'UTC')::int as year,
      coalesce(sum(-p.amount) filter (where p.entry_kind <> 'distribution'), 0)::text as collected,
      coalesce(sum(p.amount) filter (where p.entry_kind = 'distribution'), 0)::text as distributed
    from rm.postings p
    where p.account_kind = 'pool' and p.at < ${`${scope.before}T00:00:00Z`}::timestamptz ${scopeFilter(sql, scope)}
    group by 1, 2, 3, 4
    order by 1, 2, 3, 4`;
  const pools = new Map<string, PoolState>();
  for (const r of rows) {
    const key = `${r.account}\u0000${r.currency}`;
    let pool = pools.get(key);
    if (!pool) {
      const ref = poolOfAccount(r.account);
      pool = { ...ref, collectiveId: r.collective_id, account: r.account, currency: r.currency, collectedByYear: new Map(), distributed: 0n };
      pools.set(key, pool);
    }
    pool.collectedByYear.set(r.year, (pool.collectedByYear.get(r.year) ?? 0n) + minorOf(r.collected, r.currency));
    pool.distributed += minorOf(r.distributed, r.currency);
  }
  return [...pools.values()];
}

/** Every suspense account with postings in scope, with its balance. */
export async function loadSuspense(sql: postgres.Sql, scope: LedgerScope): Promise<SuspenseState[]> {
  const rows = await sql<Array<{ collective_id: string; account: string; currency: string; held: string }>>`
    select p.collective_id, p.account, p.currency, coalesce(sum(-p.amount), 0)::text as held
    from rm.postings p
    where p.account_kind = 'suspense' and p.at < ${`${scope.before}T00:00:00Z`}::timestamptz ${scopeFilter(sql, scope)}
    group by 1, 2, 3
    order by 1, 2, 3`;
  return rows.map((r) => ({ ...poolOfAccount(r.account), collectiveId: r.collective_id, account: r.account, currency: r.currency, held: minorOf(r.held, r.currency) }));
}

/** The pool's balance: collected − distributed. */
export function undistributed(pool: PoolState): bigint {
  let collected = 0n;
  for (const v of pool.collectedByYear.values()) collected += v;
  return collected - pool.distributed;
}

/**
 * What is still undistributed of each year's collections. Distributions spend the oldest money
 * first (so the earliest deadline is met first), and a year whose net collection is negative (a
 * reversal booked in a later year) reduces the oldest money the same way. Years with nothing left
 * are omitted.
 */
export function undistributedByCollectionYear(pool: PoolState): Array<{ year: number; minor: bigint }> {
  const years = [...pool.collectedByYear.entries()].sort(([a], [b]) => a - b);
  let spend = pool.distributed;
  for (const [, v] of years) if (v < 0n) spend -= v;
  const out: Array<{ year: number; minor: bigint }> = [];
  for (const [year, v] of years) {
    if (v <= 0n) continue;
    const used = spend >= v ? v : spend > 0n ? spend : 0n;
    spend -= used;
    if (v - used > 0n) out.push({ year, minor: v - used });
  }
  return out;
}

/** The year a pool first received money, the year its suspense counts as collected in. */
export function firstCollectionYear(pool: PoolState | undefined): number | undefined {
  if (!pool) return undefined;
  const years = [...pool.collectedByYear.entries()].filter(([, v]) => v > 0n).map(([y]) => y);
  return years.length > 0 ? Math.min(...years) : undefined;
}
