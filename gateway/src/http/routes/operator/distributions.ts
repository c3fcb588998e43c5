/**
 * Distribution runs: `POST /distributions` checks the request, records the run (`queued`) and
 * hands it to the job runner (`gateway/src/jobs/distribution-job.ts`), answering 202 with the run
 * id; `GET /distributions/{id}` shows its status, stage, progress, summary and the anchoring
 * transactions. The run id derives from the Idempotency-Key, so a repeated request returns the
 * same run instead of starting another.
 */
import { createHash } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type postgres from 'postgres';
import { LedgerError } from '@rtl/chaincode';
import { canonicalJson } from '@rtl/distribution/canonical-json';
import { MoneyError, parseMoney } from '@rtl/distribution/money';
import { distributionJobs, poolAccount, poolBalance, type RunParameters } from '../../../jobs/distribution-job';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { errorResponses, MoneyString, newRouter, pageOf, PageQuery, toPage, decodeCursor } from '../../openapi';
import { commandIdOf, IdempotencyHeaders } from '../../writes';
import { Currency, IdString, json, jsonBody, notFound, operator, Pool, SECURITY } from './common';

/** A fraction 0..1 with at most 6 decimals, e.g. `0.15`. */
const Fraction = z.string().regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, 'expected a decimal fraction between 0 and 1 (at most 6 decimals)');

const millionths = (f: string) => {
  const [i = '0', d = ''] = f.split('.');
  return Number(i) * 1_000_000 + Number((d + '000000').slice(0, 6));
};

const StartBody = z
  .object({
    pool: Pool,
    currency: Currency,
    method: z.enum(['points', 'per_line']).openapi({ description: '`points`: the pool split by plays × shares; `per_line`: by the usage lines’ own amounts' }),
    feeRate: Fraction,
    deductionRate: Fraction,
    threshold: MoneyString.default('0'),
    usageReportIds: z.array(IdString).min(1).max(1000).optional().openapi({ description: 'Default: every usage report of your collective for the pool’s period' }),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (millionths(b.feeRate) + millionths(b.deductionRate) > 1_000_000) ctx.addIssue({ code: 'custom', path: ['deductionRate'], message: 'feeRate + deductionRate must not exceed 1' });
    if (b.usageReportIds && new Set(b.usageReportIds).size !== b.usageReportIds.length) ctx.addIssue({ code: 'custom', path: ['usageReportIds'], message: 'a usage report is listed twice' });
  });

const RunView = z
  .object({
    id: z.string(),
    pool: Pool,
    status: z.enum(['queued', 'running', 'anchoring', 'done', 'failed']),
    stage: z.string(),
    progress: z.number().openapi({ description: '0..1' }),
    parameters: z.record(z.string(), z.unknown()),
    summary: z.record(z.string(), z.unknown()).nullable(),
    error: z.record(z.string(), z.unknown()).nullable(),
    usageReportIds: z.array(z.string()),
    anchorTxIds: z.array(z.string()),
    ledger: z.object({ status: z.string(), merkleRoot: z.string(), txId: z.string() }).nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('DistributionRun');

const startRoute = createRoute({
  method: 'post',
  path: '/distributions',
  tags: ['operator'],
  summary: "Starts a distribution run of a pool over usage reports, as a background job; the gross is the pool's balance",
  security: SECURITY,
  request: { headers: IdempotencyHeaders, body: jsonBody(StartBody) },
  responses: { 202: json(z.object({ run: RunView }), 'Queued: poll GET /distributions/{id}'), ...errorResponses },
});
const listRoute = createRoute({
  method: 'get',
  path: '/distributions',
  tags: ['operator'],
  summary: 'Distribution runs of your collective, newest first',
  security: SECURITY,
  request: { query: PageQuery },
  responses: { 200: json(pageOf(RunView), 'A page of runs'), ...errorResponses },
});
const getRoute = createRoute({
  method: 'get',
  path: '/distributions/{id}',
  tags: ['operator'],
  summary: 'A run: status, stage, progress, summary and anchoring transactions',
  security: SECURITY,
  request: { params: z.object({ id: IdString }) },
  responses: { 200: json(z.object({ run: RunView }), 'The run'), ...errorResponses },
});

interface RunRow {
  id: string;
  right_type: 'performing' | 'mechanical';
  use_type: string;
  period: string;
  status: 'queued' | 'running' | 'anchoring' | 'done' | 'failed';
  stage: string;
  progress: string;
  parameters: Record<string, unknown>;
  summary: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  usage_report_ids: string[];
  anchor_tx_ids: string[];
  created_by: string;
  created_at: Date;
  updated_at: Date;
  at_key: string;
  ledger_status: string | null;
  merkle_root: string | null;
  ledger_tx_id: string | null;
}

const view = (r: RunRow): z.infer<typeof RunView> => ({
  id: r.id,
  pool: { rightType: r.right_type, useType: r.use_type, period: r.period },
  status: r.status,
  stage: r.stage,
  progress: Number(r.progress),
  parameters: r.parameters,
  summary: r.summary,
  error: r.error,
  usageReportIds: r.usage_report_ids,
  anchorTxIds: r.anchor_tx_ids,
  ledger: r.ledger_status && r.merkle_root && r.ledger_tx_id ? { status: r.ledger_status, merkleRoot: r.merkle_root, txId: r.ledger_tx_id } : null,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** Routes for distribution runs. The job runner resumes interrupted runs when the router is built. */
export function distributionRoutes(services: Services) {
  const { sql } = services;
  const jobs = distributionJobs(services);
  void jobs.recover().catch((e: unknown) => services.log(`distribution recovery failed: ${e instanceof Error ? e.message : String(e)}`));
  const cols = sql`r.id, r.right_type, r.use_type, r.period, r.status, r.stage, r.progress::text, r.parameters, r.summary, r.error, r.usage_report_ids, r.anchor_tx_ids,
    r.created_by, r.created_at, r.updated_at, r.created_at::text as at_key, d.status as ledger_status, d.merkle_root, d.tx_id as ledger_tx_id`;
  const load = async (id: string, collective: string) =>
    (await sql<RunRow[]>`select ${cols} from offchain.distribution_runs r left join rm.distributions d on d.id = r.id where r.id = ${id} and r.collective_id = ${collective}`)[0];

  return newRouter()
    .openapi(startRoute, async (c) => {
      const user = operator(c);
      const collective = user.collectiveId;
      const body = c.req.valid('json');
      const runId = `RUN-${createHash('sha256').update(commandIdOf(c)).digest('hex').slice(0, 24)}`;
      const parameters: RunParameters = { pool: body.pool, currency: body.currency, method: body.method, feeRate: body.feeRate, deductionRate: body.deductionRate, threshold: body.threshold };
      try {
        if (parseMoney(body.threshold, body.currency, 'threshold').minor < 0n) throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'threshold must not be negative', { field: 'threshold' });
      } catch (e) {
        if (e instanceof MoneyError) throw new HttpError('VALIDATION.INVALID_ARGUMENT', e.message, { field: 'threshold' });
        throw e;
      }
      const existing = await load(runId, collective);
      if (existing) {
        if (canonicalJson(existing.parameters) !== canonicalJson({ ...parameters, requestedUsageReportIds: body.usageReportIds ?? null })) {
          throw new LedgerError('LEDGER.IDEMPOTENCY_CONFLICT', 'this Idempotency-Key started a run with other parameters', { field: 'Idempotency-Key', runId });
        }
        return c.json({ run: view(existing) }, 202);
      }
      // Usage reports: the ones named (each of this collective and the pool's period) or all of the period.
      let reportIds: string[];
      if (body.usageReportIds) {
        const found = new Map(
          (await sql<{ id: string; period: string }[]>`select id, period from offchain.usage_reports where id = any(${body.usageReportIds}) and collective_id = ${collective}`).map((r) => [r.id, r.period]),
        );
        body.usageReportIds.forEach((id, i) => {
          const period = found.get(id);
          if (period === undefined) throw notFound('usage report', id, `usageReportIds.${i}`);
          if (period !== body.pool.period) throw new HttpError('VALIDATION.INVALID_ARGUMENT', `usage report ${id} is for ${period}, not ${body.pool.period}`, { field: `usageReportIds.${i}` });
        });
        reportIds = body.usageReportIds;
      } else {
        reportIds = (await sql<{ id: string }[]>`select id from offchain.usage_reports where collective_id = ${collective} and period = ${body.pool.period} order by id`).map((r) => r.id);
        if (reportIds.length === 0) throw new HttpError('VALIDATION.INVALID_ARGUMENT', `no usage reports of your collective for ${body.pool.period}`, { field: 'usageReportIds' });
      }
      const balance = await poolBalance(sql, collective, body.pool, body.currency);
      if (parseMoney(balance, body.currency).minor <= 0n) {
        throw new LedgerError('LEDGER.INSUFFICIENT_FUNDS', `pool ${poolAccount(collective, body.pool)} holds nothing to distribute`, { field: 'pool', balance });
      }
      try {
        await sql`insert into offchain.distribution_runs ${sql({
          id: runId,
          collective_id: collective,
          right_type: body.pool.rightType,
          use_type: body.pool.useType,
          period: body.pool.period,
          status: 'queued',
          stage: 'queued',
          parameters: sql.json({ ...parameters, requestedUsageReportIds: body.usageReportIds ?? null } as unknown as postgres.JSONValue),
          usage_report_ids: reportIds,
          created_by: user.username,
        })}`;
      } catch (e) {
        // The partial unique index allows one unfinished run per pool.
        if ((e as { code?: string }).code === '23505') throw new HttpError('ALREADY_EXISTS', 'a run of this pool is still in progress', { field: 'pool' });
        throw e;
      }
      c.set('auditTarget', `distribution:${runId}`);
      jobs.enqueue(runId, collective);
      return c.json({ run: view((await load(runId, collective))!) }, 202);
    })
    .openapi(listRoute, async (c) => {
      const { collectiveId } = operator(c);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor, 2);
      const rows = await sql<RunRow[]>`select ${cols} from offchain.distribution_runs r left join rm.distributions d on d.id = r.id
        where r.collective_id = ${collectiveId}
          ${after ? sql`and (r.created_at, r.id) < (${String(after[0])}::timestamptz, ${String(after[1])})` : sql``}
        order by r.created_at desc, r.id desc limit ${limit + 1}`;
      return c.json(toPage(rows, limit, view, (r) => [r.at_key, r.id]), 200);
    })
    .openapi(getRoute, async (c) => {
      const { collectiveId } = operator(c);
      const { id } = c.req.valid('param');
      const row = await load(id, collectiveId);
      if (!row) throw notFound('distribution run', id);
      return c.json({ run: view(row) }, 200);
    });
}
