/**
 * Open data downloads: the repertoire (works with ISWC, title, creators and current shares), the
 * published tariffs and the pool figures, as CSV (RFC 4180, header row, UTF-8) or JSON. The
 * repertoire can be large, so it is streamed from a server-side cursor in batches of 1000 rows,
 * pulled only as fast as the client reads, and never held in memory whole.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { canonicalJson } from '@rtl/distribution/canonical-json';
import type { Services } from '../../../services';
import { newRouter } from '../../openapi';
import { todayUtc, PUBLIC_TAG, publicErrors } from './common';
import { CSV_TYPE, csvRow } from './csv';
import { poolFigures } from './pool-figures';
import { tariffView, type TariffRow } from './tariffs';
import { creatorViews, workColumns, type WorkRow } from './works-query';

const DATASETS = ['repertoire', 'tariffs', 'pool-figures'] as const;
const FORMATS = ['csv', 'json'] as const;
const FILES = DATASETS.flatMap((d) => FORMATS.map((f) => `${d}.${f}`)) as [string, ...string[]];

const downloadRoute = createRoute({
  method: 'get',
  path: '/open-data/{file}',
  tags: [PUBLIC_TAG],
  summary: 'Download a dataset (repertoire, tariffs, pool-figures) as CSV or JSON',
  request: { params: z.object({ file: z.enum(FILES).openapi({ example: 'repertoire.csv', description: '`<dataset>.<format>`' }) }) },
  responses: {
    200: {
      description: 'The dataset: CSV with a header row, or a JSON array',
      content: { 'text/csv': { schema: z.string() }, 'application/json': { schema: z.array(z.record(z.string(), z.unknown())) } },
    },
    ...publicErrors,
  },
});

/** Columns of repertoire.csv; multi-valued cells are joined with "; ". */
export const REPERTOIRE_COLUMNS = [
  'work_id', 'collective_id', 'iswc', 'title', 'alternate_titles', 'creators',
  'performing_holders', 'performing_unclaimed', 'mechanical_holders', 'mechanical_unclaimed', 'shares_as_of',
] as const;

/** Columns of tariffs.csv (the formula as canonical JSON). */
export const TARIFF_COLUMNS = ['tariff_id', 'collective_id', 'name', 'use_type', 'right_types', 'effective_from', 'effective_to', 'formula_kind', 'currency', 'formula', 'reasoning', 'published_at', 'tx_id'] as const;

/** Columns of pool-figures.csv. */
export const POOL_COLUMNS = [
  'collective_id', 'right_type', 'use_type', 'period', 'currency', 'collected', 'distribution_gross', 'distributed',
  'management_fee', 'deductions', 'suspense', 'management_fee_ratio', 'undistributed', 'distribution_runs',
] as const;

function repertoireCsv(r: WorkRow, asOf: string): string {
  const shares = (right: string) => r.shares.find((s) => s.rightType === right);
  const holders = (right: string) => shares(right)?.holders.map((h) => `${h.partyId} ${h.name ?? ''} ${h.share}%`.replace(/\s+/g, ' ')).join('; ') ?? '';
  return csvRow([
    r.id, r.collective_id, r.iswc, r.title, (r.alternate_titles ?? []).join('; '),
    creatorViews(r).map((c) => `${c.name} (${c.role}${c.ipiNameNumber ? `, IPI ${c.ipiNameNumber}` : ''})`).join('; '),
    holders('performing'), shares('performing')?.unclaimed, holders('mechanical'), shares('mechanical')?.unclaimed, asOf,
  ]);
}

function repertoireJson(r: WorkRow): string {
  return JSON.stringify({ id: r.id, collectiveId: r.collective_id, iswc: r.iswc, title: r.title, alternateTitles: r.alternate_titles ?? [], creators: creatorViews(r), shares: r.shares });
}

/**
 * A body streamed from an async source of row batches: `head`, each row rendered, `tail`. The
 * first batch is read before the response starts, so a failing query is still an error status.
 */
async function streamBatches<T>(batches: AsyncIterable<T[]>, head: string, render: (row: T, index: number) => string, tail: string): Promise<ReadableStream<Uint8Array>> {
  const it = batches[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  let pending: IteratorResult<T[]> | undefined = await it.next();
  let index = 0;
  const renderBatch = (rows: T[]) => {
    let out = '';
    for (const row of rows) out += render(row, index++);
    return out;
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(head));
    },
    async pull(controller) {
      try {
        const next = pending ?? (await it.next());
        pending = undefined;
        if (next.done) {
          controller.enqueue(encoder.encode(tail));
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(renderBatch(next.value)));
      } catch (e) {
        controller.error(e);
      }
    },
    async cancel() {
      // The client went away: end the server-side cursor and give its connection back.
      await it.return?.();
    },
  });
}

/** Routes for open data downloads. */
export function openDataRoutes(services: Services) {
  const { sql } = services;
  return newRouter().openapi(downloadRoute, async (c) => {
    const [dataset, format] = c.req.valid('param').file.split('.') as [(typeof DATASETS)[number], (typeof FORMATS)[number]];
    const type = format === 'csv' ? CSV_TYPE : 'application/json; charset=utf-8';
    const headers = { 'content-type': type, 'content-disposition': `attachment; filename="${dataset}.${format}"`, 'cache-control': 'public, max-age=60' };
    if (dataset === 'repertoire') {
      const asOf = todayUtc();
      const cursor = sql<WorkRow[]>`select ${workColumns(sql, asOf)} from rm.works w order by w.id`.cursor(1000);
      const body =
        format === 'csv'
          ? await streamBatches(cursor, csvRow(REPERTOIRE_COLUMNS), (r) => repertoireCsv(r, asOf), '')
          : await streamBatches(cursor, '[', (r, i) => `${i === 0 ? '' : ','}\n${repertoireJson(r)}`, '\n]\n');
      return c.body(body, 200, headers);
    }
    if (dataset === 'tariffs') {
      const tariffs = (await sql<TariffRow[]>`select id, data, tx_id from rm.tariffs order by id`).map(tariffView);
      const body =
        format === 'csv'
          ? csvRow(TARIFF_COLUMNS) +
            tariffs
              .map((t) => csvRow([t.id, t.collectiveId, t.name, t.useType, t.rightTypes.join('; '), t.effectiveFrom, t.effectiveTo, t.formula.kind, t.formula.currency, canonicalJson(t.formula), t.reasoning, t.publishedAt, t.txId]))
              .join('')
          : JSON.stringify(tariffs);
      return c.body(body, 200, headers);
    }
    const pools = await poolFigures(sql, {});
    const body =
      format === 'csv'
        ? csvRow(POOL_COLUMNS) +
          pools
            .map((p) => csvRow([p.collectiveId, p.rightType, p.useType, p.period, p.currency, p.collected, p.distributionGross, p.distributed, p.managementFee, p.deductions, p.suspense, p.managementFeeRatio, p.undistributed, p.distributionRuns]))
            .join('')
        : JSON.stringify(pools);
    return c.body(body, 200, headers);
  });
}
