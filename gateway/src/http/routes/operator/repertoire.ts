/**
 * Works, shares and recordings of the operator's collective. A request with more works than one
 * ledger transaction takes (200) is split into batches whose command ids derive from the request's
 * (`<key>:<n>`); everything is checked before the first batch goes out, and a retried request
 * re-sends the same batches, so the ones already committed return their first result.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { LedgerError, type ShareVersion, type WorkRecord } from '@rtl/chaincode';
import { normaliseTitle } from '@rtl/distribution/matching/normalise';
import type { Services } from '../../../services';
import { decodeCursor, errorResponses, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { IdempotencyHeaders, WriteReceipt } from '../../writes';
import { DateString, IdString, json, jsonBody, likePattern, notFound, OptionalCollective, ownCollective, RightType, SECURITY, stepCommitted, submitOp } from './common';
import { MAX_WORKS_PER_REQUEST, RecordingInput, ShareSet, WorkInput, WORKS_PER_TX, type WorkInputT } from './repertoire-schemas';
import { checkShareSet, checkWorks } from './works-check';

const WorkView = z
  .object({
    id: z.string(),
    iswc: z.string().nullable(),
    title: z.string(),
    alternateTitles: z.array(z.string()),
    creators: z.array(z.object({ name: z.string(), role: z.string(), partyId: z.string().optional(), ipiNameNumber: z.string().optional() })),
    shares: z.array(z.object({ rightType: z.string(), effectiveFrom: z.string(), unclaimed: z.string(), holders: z.array(z.object({ partyId: z.string(), share: z.string() })) })),
    txId: z.string(),
  })
  .openapi('OperatorWork');

const listRoute = createRoute({
  method: 'get',
  path: '/works',
  tags: ['operator'],
  summary: 'Works of your collective with their share versions; `q` searches titles, creators and ISWC',
  security: SECURITY,
  request: { query: PageQuery.extend({ q: z.string().trim().min(1).max(200).optional() }) },
  responses: { 200: json(pageOf(WorkView), 'A page of works, by id'), ...errorResponses },
});

const registerRoute = createRoute({
  method: 'post',
  path: '/works',
  tags: ['operator'],
  summary: `Registers works (\`repertoire:registerWorks\`), up to ${MAX_WORKS_PER_REQUEST} per request in ledger batches of ${WORKS_PER_TX}`,
  security: SECURITY,
  request: { headers: IdempotencyHeaders, body: jsonBody(OptionalCollective.extend({ works: z.array(WorkInput).min(1).max(MAX_WORKS_PER_REQUEST) }).strict()) },
  responses: {
    201: json(z.object({ workIds: z.array(z.string()), batches: z.array(WriteReceipt.extend({ batch: z.number().int(), works: z.number().int() })) }), 'Registered'),
    ...errorResponses,
  },
});

const sharesRoute = createRoute({
  method: 'post',
  path: '/works/{id}/shares',
  tags: ['operator'],
  summary: 'Records a new share version of a work for one right type (`repertoire:setShares`)',
  security: SECURITY,
  request: {
    headers: IdempotencyHeaders,
    params: z.object({ id: IdString }),
    body: jsonBody(z.object({ rightType: RightType, effectiveFrom: DateString, shares: ShareSet }).strict()),
  },
  responses: { 201: json(z.object({ shares: z.record(z.string(), z.unknown()), receipt: WriteReceipt }), 'Recorded'), ...errorResponses },
});

const recordingsRoute = createRoute({
  method: 'post',
  path: '/recordings',
  tags: ['operator'],
  summary: 'Registers recordings (ISRC) of your works (`repertoire:registerRecordings`)',
  security: SECURITY,
  request: { headers: IdempotencyHeaders, body: jsonBody(OptionalCollective.extend({ recordings: z.array(RecordingInput).min(1).max(500) }).strict()) },
  responses: { 201: json(z.object({ isrcs: z.array(z.string()), receipt: WriteReceipt }), 'Registered'), ...errorResponses },
});

interface WorkRow {
  id: string;
  iswc: string | null;
  title: string;
  data: WorkRecord;
  tx_id: string;
  shares: Array<{ rightType: string; effectiveFrom: string; unclaimed: string; holders: Array<{ partyId: string; share: string }> }>;
}

/**
 * Registers works in ledger batches of {@link WORKS_PER_TX}, step `<n>` each; the caller has
 * checked them. Returns the receipts in order.
 */
export async function registerWorkBatches(
  submit: (step: number, works: WorkInputT[]) => Promise<{ txId: string; blockNumber: bigint }>,
  works: readonly WorkInputT[],
  onBatch?: (done: number, total: number) => Promise<void> | void,
): Promise<Array<{ batch: number; works: number; txId: string; blockNumber: string }>> {
  const out = [];
  const total = Math.ceil(works.length / WORKS_PER_TX);
  for (let n = 0; n < total; n++) {
    const batch = works.slice(n * WORKS_PER_TX, (n + 1) * WORKS_PER_TX);
    const res = await submit(n, batch);
    out.push({ batch: n, works: batch.length, txId: res.txId, blockNumber: res.blockNumber.toString() });
    await onBatch?.(n + 1, total);
  }
  return out;
}

/** Routes for works, shares and recordings. */
export function repertoireRoutes(services: Services) {
  const { sql } = services;
  return newRouter()
    .openapi(listRoute, async (c) => {
      const collective = ownCollective(c);
      const { limit, cursor, q } = c.req.valid('query');
      const after = decodeCursor(cursor, 1)?.[0];
      const needle = q ? normaliseTitle(q) : undefined;
      const rows = await sql<WorkRow[]>`
        select w.id, w.iswc, w.title, w.data, w.tx_id,
          coalesce((select json_agg(json_build_object('rightType', s.right_type, 'effectiveFrom', s.effective_from::text, 'unclaimed', s.unclaimed::text,
            'holders', coalesce((select json_agg(json_build_object('partyId', h.party_id, 'share', h.share::text) order by h.party_id) from rm.share_holders h
              where h.work_id = s.work_id and h.right_type = s.right_type and h.effective_from = s.effective_from), '[]'::json))
            order by s.right_type, s.effective_from) from rm.shares s where s.work_id = w.id), '[]'::json) as shares
        from rm.works w
        where w.collective_id = ${collective}
          ${q ? sql`and (w.search_text like ${likePattern(needle ?? q)} or w.id = ${q} or w.iswc = ${q})` : sql``}
          ${after !== undefined ? sql`and w.id > ${String(after)}` : sql``}
        order by w.id limit ${limit + 1}`;
      return c.json(
        toPage(rows, limit, (r) => ({ id: r.id, iswc: r.iswc, title: r.title, alternateTitles: r.data.alternateTitles, creators: r.data.creators, shares: r.shares, txId: r.tx_id }), (r) => [r.id]),
        200,
      );
    })
    .openapi(registerRoute, async (c) => {
      const body = c.req.valid('json');
      const collectiveId = ownCollective(c, body.collectiveId);
      if (!(await stepCommitted(c, services, 0))) {
        const [issue] = await checkWorks(sql, collectiveId, body.works);
        if (issue) throw new LedgerError(issue.code, issue.message, { field: issue.field });
      }
      const batches = await registerWorkBatches(
        (n, works) => submitOp<{ workIds: string[] }>(c, services, 'repertoire:registerWorks', { collectiveId, works }, n),
        body.works,
      );
      return c.json({ workIds: body.works.map((w) => w.workId), batches }, 201);
    })
    .openapi(sharesRoute, async (c) => {
      const collectiveId = ownCollective(c);
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const [work] = await sql<{ id: string }[]>`select id from rm.works where id = ${id} and collective_id = ${collectiveId}`;
      if (!work) throw notFound('work', id);
      const [issue] = await checkShareSet(sql, collectiveId, body.shares, 'shares');
      if (issue) throw new LedgerError(issue.code, issue.message, { field: issue.field });
      const res = await submitOp<{ shares: ShareVersion }>(c, services, 'repertoire:setShares', { workId: id, ...body });
      return c.json({ shares: res.result.shares as unknown as Record<string, unknown>, receipt: { txId: res.txId, blockNumber: res.blockNumber.toString() } }, 201);
    })
    .openapi(recordingsRoute, async (c) => {
      const body = c.req.valid('json');
      const collectiveId = ownCollective(c, body.collectiveId);
      const workIds = [...new Set(body.recordings.map((r) => r.workId))];
      const own = new Set((await sql<{ id: string }[]>`select id from rm.works where id = any(${workIds}) and collective_id = ${collectiveId}`).map((r) => r.id));
      body.recordings.forEach((r, i) => {
        if (!own.has(r.workId)) throw new LedgerError('NOT_FOUND', `no work ${r.workId} in your collective`, { field: `recordings.${i}.workId` });
      });
      const res = await submitOp<{ isrcs: string[] }>(c, services, 'repertoire:registerRecordings', { collectiveId, recordings: body.recordings });
      return c.json({ isrcs: res.result.isrcs, receipt: { txId: res.txId, blockNumber: res.blockNumber.toString() } }, 201);
    });
}
