/**
 * The last stage of a distribution run: paying out carried-forward money that has accumulated to
 * the run's payment threshold. After the run is sealed, every member of the collective whose
 * `member:<id>:carried` balance in the run's currency is above zero and at least the threshold has
 * that whole balance released to `member:<id>:payable` (`distribution:releaseCarried`).
 *
 * The releases are planned once, from the read model as it stands after the seal, and kept in
 * `offchain.carried_releases` (one row per run and member). A resumed run reuses the stored plan
 * with the same amounts and command ids (`dist:<runId>:carried:<partyId>`), so a release that
 * already committed returns its first transaction and none is made twice or left out.
 */
import type postgres from 'postgres';
import { formatMoney, money, parseMoney } from '@rtl/distribution/money';
import { stepCommandId, submitAndWait } from '../http/routes/operator/common';
import type { LedgerIdentity } from '../ledger/port';
import type { Services } from '../services';
import { inParallel } from '../in-parallel';

/** One planned or completed release of a run. */
export interface CarriedRelease {
  partyId: string;
  amount: string;
  currency: string;
  threshold: string;
  commandId: string;
  status: 'planned' | 'released';
  txId: string | null;
}

/** What the job needs to know about the run. */
export interface ReleaseRun {
  runId: string;
  collectiveId: string;
  currency: string;
  /** The run's payment threshold, a decimal string. */
  threshold: string;
  identity: LedgerIdentity;
}

/** The command id of a run's release for one member (hashed if it would exceed the ledger's 128 characters). */
export function carriedReleaseCommandId(runId: string, partyId: string): string {
  return stepCommandId(`dist:${runId}`, `carried:${partyId}`);
}

interface ReleaseRow {
  party_id: string;
  amount: string;
  currency: string;
  threshold: string;
  command_id: string;
  status: 'planned' | 'released';
  tx_id: string | null;
}

const asRelease = (r: ReleaseRow): CarriedRelease => ({
  partyId: r.party_id,
  amount: formatMoney(parseMoney(r.amount, r.currency)),
  currency: r.currency,
  threshold: formatMoney(parseMoney(r.threshold, r.currency)),
  commandId: r.command_id,
  status: r.status,
  txId: r.tx_id,
});

/**
 * The run's releases: the stored plan, or — the first time — the members whose carried balance
 * has reached the threshold, stored as the plan in one SQL transaction.
 */
export async function planCarriedReleases(sql: postgres.Sql, run: ReleaseRun): Promise<CarriedRelease[]> {
  const threshold = formatMoney(parseMoney(run.threshold, run.currency));
  const rows = await sql.begin(async (tx) => {
    // Serialise planners of the same run on its row; the first one's plan stands.
    await tx`select 1 from offchain.distribution_runs where id = ${run.runId} for update`;
    const stored = await tx<ReleaseRow[]>`
      select party_id, amount::text as amount, currency, threshold::text as threshold, command_id, status, tx_id
      from offchain.carried_releases where run_id = ${run.runId} order by party_id`;
    if (stored.length > 0) return stored;
    // Member accounts are credit-normal: the balance is −Σ signed postings.
    const due = await tx<Array<{ party_id: string; balance: string }>>`
      select m.id as party_id, (-sum(p.amount))::text as balance
      from rm.postings p join rm.parties m on m.id = split_part(p.account, ':', 2)
      where p.collective_id = ${run.collectiveId} and p.account_kind = 'member:carried' and p.currency = ${run.currency}
        and m.kind = 'member' and m.collective_id = ${run.collectiveId}
      group by m.id
      having -sum(p.amount) > 0 and -sum(p.amount) >= ${threshold}::numeric
      order by m.id`;
    if (due.length === 0) return [];
    const plan = due.map((d) => ({
      run_id: run.runId,
      party_id: d.party_id,
      collective_id: run.collectiveId,
      currency: run.currency,
      amount: formatMoney(parseMoney(d.balance, run.currency)),
      threshold,
      command_id: carriedReleaseCommandId(run.runId, d.party_id),
      status: 'planned',
    }));
    await tx`insert into offchain.carried_releases ${tx(plan)}`;
    return plan.map((p) => ({ ...p, status: 'planned' as const, tx_id: null }));
  });
  return rows.map(asRelease);
}

/** Releases submitted at once: each touches only its member's accounts and its own record. */
export const RELEASE_CONCURRENCY = 8;

/**
 * Submits every planned release of the run, {@link RELEASE_CONCURRENCY} at a time (already released
 * ones are skipped; a planned one whose transaction committed before a crash returns that first
 * transaction), and records each one's transaction. `onProgress` gets the number done, in order.
 * After a failed release no further one starts; the first failure is thrown once those in flight
 * have finished and been recorded, and a resumed run submits what is still planned.
 */
export async function executeCarriedReleases(services: Services, run: ReleaseRun, plan: readonly CarriedRelease[], onProgress: (done: number) => Promise<void>): Promise<CarriedRelease[]> {
  const { sql } = services;
  const out = [...plan];
  // Progress is written one update after another, so it never goes back.
  let progress = Promise.resolve();
  const releases = inParallel(
    plan,
    RELEASE_CONCURRENCY,
    async (r, i) => {
      if (r.status === 'released') return;
      const res = await submitAndWait<{ release: { amount: string } }>(services, run.identity, 'distribution:releaseCarried', {
        commandId: r.commandId,
        runId: run.runId,
        memberId: r.partyId,
        amount: r.amount,
        threshold: r.threshold,
      });
      await sql`update offchain.carried_releases set status = 'released', tx_id = ${res.txId}, block_number = ${res.blockNumber.toString()}, released_at = now()
        where run_id = ${run.runId} and party_id = ${r.partyId}`;
      out[i] = { ...r, status: 'released', txId: res.txId };
    },
    (done) => {
      progress = progress.then(() => onProgress(done));
    },
  );
  try {
    await releases;
  } catch (e) {
    await progress.catch(() => undefined);
    throw e;
  }
  await progress;
  return out;
}

/** The summary fields a run records about its releases (flat, so a generic view lists them). */
export function releaseSummary(releases: readonly CarriedRelease[], currency: string): { carriedReleasedCount: number; carriedReleasedTotal: string } {
  const total = releases.reduce((s, r) => s + parseMoney(r.amount, currency).minor, 0n);
  return { carriedReleasedCount: releases.length, carriedReleasedTotal: formatMoney(money(total, currency)) };
}
