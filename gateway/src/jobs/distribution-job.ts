/**
 * Distribution runs as background jobs, one at a time per collective, with their state in
 * `offchain.distribution_runs` (`status`, `stage`, `progress` 0..1, `summary`, `error`,
 * `anchor_tx_ids`).
 *
 * A run: reads the pool's balance from the read model (the gross, frozen in the run's summary the
 * first time) → exports the collective's repertoire to `works.csv`/`recordings.csv` → aggregates
 * the selected usage reports → allocates (`computeDistribution`) → writes statement and suspense
 * lines → anchors on the ledger: `openDistribution`, every `postDistributionBatch`,
 * `sealDistribution`, with command ids derived from the run id → releases the carried-forward
 * balances that have reached the run's threshold (`carried-release.ts`).
 *
 * Restart: interrupted runs (`queued`, `running`, `anchoring`) are RESUMED, not failed — an
 * anchoring run that stopped half-way would otherwise leave the pool's money in the run's clearing
 * account. Resuming recomputes from the same inputs (the frozen gross, the same reports, the
 * repertoire as of the period's end); the derived command ids make every ledger step that already
 * committed return its first result. If the recomputation no longer yields the Merkle root that was
 * recorded (the repertoire changed meanwhile), the run fails with `DISTRIBUTION.INPUTS_CHANGED`
 * rather than anchor something else.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type postgres from 'postgres';
import { isLedgerError } from '@rtl/chaincode';
import { canonicalJson } from '@rtl/distribution/canonical-json';
import { anchorPlan } from '@rtl/distribution/engine/anchor-plan';
import { computeDistribution } from '@rtl/distribution/engine/compute';
import { resolveParameters } from '@rtl/distribution/engine/parameters';
import { loadRepertoire } from '@rtl/distribution/engine/repertoire';
import { currencyScale, formatMoney, money, parseMoney } from '@rtl/distribution/money';
import { buildStatementTree } from '@rtl/distribution/statements/proofs';
import { statementLine, statementLineJsonAt, suspenseOutputLine } from '@rtl/distribution/statements/line';
import { COLLECTIVE_MSP } from '../auth/identity';
import type { LedgerFunction } from '../ledger/port';
import { submitAndWait } from '../http/routes/operator/common';
import type { Services } from '../services';
import { executeCarriedReleases, planCarriedReleases, releaseSummary } from './carried-release';
import { exportRepertoire, periodEnd } from './repertoire-export';
import { aggregateReports } from './usage-merge';

/** The parameters a run was started with (stored in `parameters`). */
export interface RunParameters {
  pool: { rightType: 'performing' | 'mechanical'; useType: string; period: string };
  currency: string;
  method: 'points' | 'per_line';
  feeRate: string;
  deductionRate: string;
  threshold: string;
}

interface RunRow {
  id: string;
  collective_id: string;
  status: string;
  parameters: RunParameters;
  summary: Record<string, unknown> | null;
  usage_report_ids: string[];
  anchor_tx_ids: string[];
  created_by: string;
}

/** A failure with a stable code, stored in the run's `error`. */
export class JobError extends Error {
  /** Creates an error with a stable code and details. */
  constructor(readonly code: string, message: string, readonly details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'JobError';
  }
}

/** The ledger account a pool's distributable money sits in. */
export function poolAccount(collectiveId: string, pool: RunParameters['pool']): string {
  return `pool:${collectiveId}:${pool.rightType}:${pool.useType}:${pool.period}`;
}

/** A pool's balance (credit-normal: minus the sum of its signed postings), exact, as a decimal string. */
export async function poolBalance(sql: postgres.Sql, collectiveId: string, pool: RunParameters['pool'], currency: string): Promise<string> {
  const [row] = await sql<{ balance: string }[]>`select coalesce(-sum(amount), 0)::text as balance from rm.postings where account = ${poolAccount(collectiveId, pool)} and currency = ${currency}`;
  // numeric prints without trailing zeros after a sum of mixed scales; normalise through minor units.
  return formatMoney(parseMoney(normaliseNumeric(row!.balance, currency), currency));
}

function normaliseNumeric(text: string, currency: string): string {
  const scale = currencyScale(currency);
  const [i = '0', f = ''] = text.split('.');
  if (f.length <= scale) return text;
  if (/[1-9]/.test(f.slice(scale))) throw new JobError('DISTRIBUTION.BAD_BALANCE', `balance ${text} has more than ${scale} decimals`);
  return scale === 0 ? i : `${i}.${f.slice(0, scale)}`;
}

/** The directory a run keeps its exported inputs in until it is done. */
export function runDirectory(runId: string): string {
  return join(tmpdir(), 'rtl-distribution-runs', runId);
}

/** Runs distribution jobs for one gateway. */
export class DistributionJobs {
  private readonly chains = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly services: Services) {}

  /** Resumes every run a previous process left unfinished, oldest first. */
  async recover(): Promise<string[]> {
    const rows = await this.services.sql<{ id: string; collective_id: string }[]>`
      select id, collective_id from offchain.distribution_runs where status in ('queued', 'running', 'anchoring') order by created_at, id`;
    for (const r of rows) this.enqueue(r.id, r.collective_id);
    return rows.map((r) => r.id);
  }

  /** Queues a run behind the collective's current one. */
  enqueue(runId: string, collectiveId: string): void {
    if (this.closed) return;
    const prev = this.chains.get(collectiveId) ?? Promise.resolve();
    const next = prev.then(() => this.execute(runId));
    this.chains.set(collectiveId, next);
    void next.finally(() => {
      if (this.chains.get(collectiveId) === next) this.chains.delete(collectiveId);
    });
  }

  /** Resolves once every queued run has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.chains.size > 0) await Promise.allSettled([...this.chains.values()]);
  }

  /** Stops taking runs and waits for the current ones. */
  async close(): Promise<void> {
    this.closed = true;
    await this.idle();
  }

  private async update(runId: string, fields: { status?: string; stage?: string; progress?: number }): Promise<void> {
    const { sql } = this.services;
    await sql`update offchain.distribution_runs set
      status = coalesce(${fields.status ?? null}, status), stage = coalesce(${fields.stage ?? null}, stage),
      progress = coalesce(${fields.progress === undefined ? null : fields.progress.toFixed(4)}::numeric, progress), updated_at = now()
      where id = ${runId}`;
  }

  /** Runs one job to its end; never throws (a failure is recorded on the run). */
  private async execute(runId: string): Promise<void> {
    try {
      await this.run(runId);
    } catch (e) {
      const error = errorOf(e);
      this.services.log(`distribution ${runId} failed: ${error.code} ${error.message}`);
      await this.services.sql`update offchain.distribution_runs set status = 'failed', error = ${this.services.sql.json(error as unknown as postgres.JSONValue)}, updated_at = now() where id = ${runId}`.catch(() => {});
    }
  }

  private async run(runId: string): Promise<void> {
    const { sql } = this.services;
    const [row] = await sql<RunRow[]>`select id, collective_id, status, parameters, summary, usage_report_ids, anchor_tx_ids, created_by from offchain.distribution_runs where id = ${runId}`;
    if (!row || row.status === 'done' || row.status === 'failed') return;
    const c = row.collective_id;
    const p = row.parameters;
    const mspId = COLLECTIVE_MSP[c];
    if (!mspId) throw new JobError('DISTRIBUTION.UNKNOWN_COLLECTIVE', `no organisation for collective ${c}`);
    const identity = { mspId, role: 'operator', user: row.created_by };
    const frozen = row.summary ?? {};

    // 1. The gross: the pool's balance the first time the run reaches this point, frozen so a resumed run uses the same.
    await this.update(runId, { status: 'running', stage: 'pool', progress: 0.02 });
    let gross = typeof frozen.gross === 'string' ? frozen.gross : undefined;
    if (gross === undefined) {
      gross = await poolBalance(sql, c, p.pool, p.currency);
      if (parseMoney(gross, p.currency).minor <= 0n) throw new JobError('LEDGER.INSUFFICIENT_FUNDS', `pool ${poolAccount(c, p.pool)} holds nothing to distribute`, { account: poolAccount(c, p.pool) });
      await sql`update offchain.distribution_runs set summary = ${sql.json({ gross })} where id = ${runId}`;
    }

    // 2. The repertoire, as of the end of the period.
    await this.update(runId, { stage: 'repertoire', progress: 0.05 });
    const dir = runDirectory(runId);
    await mkdir(dir, { recursive: true });
    const worksPath = join(dir, 'works.csv');
    const recordingsPath = join(dir, 'recordings.csv');
    const exported = await exportRepertoire(sql, c, p.pool.rightType, periodEnd(p.pool.period), worksPath, recordingsPath);
    const rp = resolveParameters({
      currency: p.currency,
      ...(p.method === 'points' && { gross }),
      right: p.pool.rightType,
      method: p.method === 'points' ? 'pro_rata_points' : 'per_line_amounts',
      managementFeeRate: p.feeRate,
      deductionRate: p.deductionRate,
      threshold: p.threshold,
      period: p.pool.period,
    });
    const rep = await loadRepertoire({ path: worksPath, format: 'works-csv' }, p.pool.rightType, { onError: 'quarantine' });
    const recordings = (await readFile(recordingsPath, 'utf8')).split('\n').slice(1).filter(Boolean);
    for (const line of recordings) {
      const [isrc = '', workId = ''] = line.split(',');
      rep.addRecording(isrc, workId);
    }
    const worksDigest = rep.digest;
    const recordingsDigest = createHash('sha256').update(await readFile(recordingsPath)).digest('hex');
    // The repertoire input is both files: recordings let usage match by ISRC.
    rep.digest = createHash('sha256').update(canonicalJson({ recordings: recordingsDigest, works: worksDigest })).digest('hex');

    // 3. Usage.
    await this.update(runId, { stage: 'usage', progress: 0.1 });
    const reports = await sql<{ id: string; format: 'dsr' | 'csv'; file_path: string; licensee_id: string }[]>`
      select id, format, file_path, licensee_id from offchain.usage_reports where id = any(${row.usage_report_ids}) and collective_id = ${c}`;
    if (reports.length !== row.usage_report_ids.length) throw new JobError('DISTRIBUTION.USAGE_REPORT_MISSING', 'a usage report of the run no longer exists', { field: 'usageReportIds' });
    let lastTick = 0;
    const { usage, digests, rejects } = await aggregateReports(
      reports.map((r) => ({ id: r.id, format: r.format, path: r.file_path })),
      rep,
      rp,
      (done, lines) => {
        // Progress writes are throttled by volume, not time: one per 100,000 usage lines.
        if (lines - lastTick >= 100_000 || done === reports.length) {
          lastTick = lines;
          void this.update(runId, { progress: 0.1 + 0.4 * (done / reports.length) });
        }
      },
    );

    // 4. Allocation.
    await this.update(runId, { stage: 'allocation', progress: 0.5 });
    const result = computeDistribution(usage, rep, rp);
    const tree = buildStatementTree(result);
    const merkleRoot = tree.root().toString('hex');
    if (typeof frozen.merkleRoot === 'string' && frozen.merkleRoot !== merkleRoot) {
      throw new JobError('DISTRIBUTION.INPUTS_CHANGED', 'resuming the run gave a different Merkle root than first computed: its inputs changed', { recorded: frozen.merkleRoot, now: merkleRoot });
    }
    const plan = anchorPlan(result, merkleRoot, runId);
    const scale = currencyScale(p.currency);
    const f = (v: bigint) => formatMoney(money(v, p.currency));
    const t = result.totals;
    const summary = {
      gross: f(t.gross),
      managementFee: f(t.managementFee),
      deductions: f(t.deductions),
      distributable: f(t.distributable),
      allocated: f(t.allocated),
      suspense: f(t.suspense),
      carriedForward: f(t.carriedForward),
      rounding: f(t.rounding),
      currency: p.currency,
      merkleRoot,
      holderCount: plan.open.holderCount,
      statementLineCount: result.lines.count,
      suspenseLineCount: result.suspenseLines.length,
      batchCount: plan.batches.length,
      usageLines: result.usageLines,
      unmatchedLines: result.unmatchedLines,
      usageRejected: usage.summary.rejected,
      usageRejects: rejects.slice(0, 20),
      repertoire: { ...exported, rejected: rep.summary.rejected, worksDigest, recordingsDigest },
      inputs: result.inputs,
      usageReports: digests,
    };

    // 5. Statement and suspense lines, replaced as a whole so a resumed run writes them once.
    await this.update(runId, { stage: 'statements', progress: 0.6 });
    const licenseeOf = new Map(reports.map((r) => [r.id, r.licensee_id]));
    await sql.begin(async (tx) => {
      await tx`delete from offchain.statement_lines where run_id = ${runId}`;
      await tx`delete from offchain.suspense_lines where run_id = ${runId}`;
      const CHUNK = 1000;
      for (let start = 0; start < result.lines.count; start += CHUNK) {
        const rows = [];
        for (let i = start; i < Math.min(start + CHUNK, result.lines.count); i++) {
          const l = statementLine(result, i);
          rows.push({
            run_id: runId,
            line_index: i,
            party_id: l.partyId,
            work_id: l.workId,
            usage_source: canonicalJson({ file: l.source, period: l.period, service: l.service, territory: l.territory, useType: l.useType }),
            usage_report_id: licenseeOf.has(l.source) ? l.source : null,
            licensee_id: licenseeOf.get(l.source) ?? null,
            period: l.period ?? p.pool.period,
            plays: l.plays,
            share: l.share,
            gross: l.gross,
            management_fee: l.fee,
            deductions: l.deductions,
            net: l.net,
            currency: l.currency,
            leaf: statementLineJsonAt(result, i, scale),
          });
        }
        await tx`insert into offchain.statement_lines ${tx(rows)}`;
      }
      const suspense = result.suspenseLines.map((s, idx) => {
        const o = suspenseOutputLine(result, s);
        return {
          run_id: runId,
          idx,
          reason: o.code,
          work_id: o.workId ?? null,
          title: o.title ?? null,
          iswc: o.iswc ?? null,
          isrc: null,
          creators: null,
          usage_source: s.source ? canonicalJson(s.source) : null,
          plays: o.plays,
          amount: o.net,
          currency: o.currency,
        };
      });
      for (let i = 0; i < suspense.length; i += 1000) await tx`insert into offchain.suspense_lines ${tx(suspense.slice(i, i + 1000))}`;
      await tx`update offchain.distribution_runs set summary = ${tx.json(summary as unknown as postgres.JSONValue)}, updated_at = now() where id = ${runId}`;
    });

    // 6. Anchoring, each step with a command id derived from the run id.
    await this.update(runId, { status: 'anchoring', stage: 'anchoring', progress: 0.75 });
    const txIds: string[] = [];
    const submit = async (fn: LedgerFunction, step: string, args: Record<string, unknown>) => {
      const res = await submitAndWait(this.services, identity, fn, { ...args, commandId: `dist:${runId}:${step}` });
      txIds.push(res.txId);
      await sql`update offchain.distribution_runs set anchor_tx_ids = ${txIds}, updated_at = now() where id = ${runId}`;
    };
    await submit('distribution:openDistribution', 'open', { ...plan.open, collectiveId: c, pool: p.pool });
    for (const [n, batch] of plan.batches.entries()) {
      await submit('distribution:postDistributionBatch', `batch:${batch.batchNo}`, { ...batch });
      await this.update(runId, { progress: 0.75 + 0.2 * ((n + 1) / plan.batches.length) });
    }
    await submit('distribution:sealDistribution', 'seal', { runId });

    // 7. Carried-forward balances that have reached the run's threshold become payable.
    await this.update(runId, { stage: 'carried', progress: 0.96 });
    const releaseRun = { runId, collectiveId: c, currency: p.currency, threshold: p.threshold, identity };
    const releasePlan = await planCarriedReleases(sql, releaseRun);
    const released = await executeCarriedReleases(this.services, releaseRun, releasePlan, (done) => this.update(runId, { progress: 0.96 + 0.03 * (done / releasePlan.length) }));
    await sql`update offchain.distribution_runs set summary = summary || ${sql.json(releaseSummary(released, p.currency))}::jsonb, updated_at = now() where id = ${runId}`;
    await this.update(runId, { status: 'done', stage: 'done', progress: 1 });
    await rm(dir, { recursive: true, force: true });
  }
}

/** The stored form of a failure: ledger, job, engine, parser and input errors keep their codes. */
function errorOf(e: unknown): { code: string; message: string; details: Record<string, unknown> } {
  if (isLedgerError(e)) return { code: e.code, message: e.text, details: e.details };
  if (e instanceof JobError) return { code: e.code, message: e.message, details: e.details };
  const code = (e as { code?: unknown } | null)?.code;
  return { code: typeof code === 'string' ? code : 'INTERNAL', message: e instanceof Error ? e.message : String(e), details: {} };
}

const registry = new WeakMap<Services, DistributionJobs>();

/** The job runner of a gateway (one per `Services`), created on first use. */
export function distributionJobs(services: Services): DistributionJobs {
  let jobs = registry.get(services);
  if (!jobs) {
    jobs = new DistributionJobs(services);
    registry.set(services, jobs);
  }
  return jobs;
}
