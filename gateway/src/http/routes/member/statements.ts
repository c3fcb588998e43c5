/**
 * A member's statements: the distribution runs in which it has statement lines, each line with
 * where its money came from (usage source, the licensee behind the usage report and its licence's
 * tariff), and an RFC 6962 inclusion proof against the Merkle root the ledger recorded when the run
 * was opened, with that transaction's block, so a browser can verify the line on its own
 * (`distribution/src/merkle/verify.ts`). Only runs whose lines are final (anchoring or done) show.
 * A page of a done, sealed run never changes: its bytes are kept, and the caller's access to it is
 * re-checked at most every two seconds (`statement-page-cache.ts`).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Context, TypedResponse } from 'hono';
import type { MerkleTree } from '@rtl/distribution/merkle/tree';
import type { AuthEnv } from '../../../auth/env';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { decodeCursor, errorResponses, MoneyString, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { memberOf } from './caller';
import { acceptsGzip, ifNoneMatch, STATEMENT_CACHE_CONTROL, StatementPageCache, pageKey, type StatementPage } from './statement-page-cache';
import type { StatementTrees } from './statement-trees';

/** Run statuses whose statement lines no longer change. */
const FINAL_STATUSES = ['anchoring', 'done'];

const RunId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a run id');

const AnchorView = z
  .object({
    merkleRoot: z.string().openapi({ description: 'Root recorded on the ledger (hex)' }),
    treeSize: z.number().int().openapi({ description: 'Statement lines the root covers' }),
    txId: z.string().openapi({ description: 'The transaction that opened the run and recorded the root' }),
    blockNumber: z.string().nullable(),
    status: z.string().openapi({ description: 'Ledger status of the run: open or sealed' }),
  })
  .openapi('StatementAnchor');

const RunSummary = z
  .object({
    runId: z.string(),
    collectiveId: z.string(),
    pool: z.object({ rightType: z.string(), useType: z.string(), period: z.string() }),
    status: z.string(),
    currency: z.string(),
    lines: z.number().int(),
    gross: MoneyString,
    fee: MoneyString,
    deductions: MoneyString,
    net: MoneyString,
    anchor: AnchorView.nullable(),
  })
  .openapi('StatementRun');

const LineView = z
  .object({
    index: z.number().int().openapi({ description: 'Leaf index in the run’s Merkle tree' }),
    workId: z.string(),
    title: z.string().nullable(),
    iswc: z.string().nullable(),
    usageSource: z.string(),
    usageReportId: z.string().nullable(),
    licensee: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
    licenceId: z.string().nullable(),
    tariff: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
    period: z.string(),
    plays: z.string(),
    share: z.string(),
    currency: z.string(),
    gross: MoneyString,
    fee: MoneyString,
    deductions: MoneyString,
    net: MoneyString,
    leaf: z.string().openapi({ description: 'The line’s canonical JSON: the Merkle leaf' }),
    proof: z.array(z.string()).openapi({ description: 'RFC 6962 audit path (hex), leaf side first' }),
  })
  .openapi('StatementLine');

const StatementView = z
  .object({
    run: RunSummary,
    computedRoot: z.string().openapi({ description: 'Root computed here from the stored lines' }),
    rootMatches: z.boolean().openapi({ description: 'True when the computed root equals the one on the ledger' }),
    lines: pageOf(LineView),
  })
  .openapi('Statement');

const ProofView = z
  .object({
    runId: z.string(),
    index: z.number().int(),
    leaf: z.string(),
    leafHash: z.string(),
    proof: z.array(z.string()),
    treeSize: z.number().int(),
    computedRoot: z.string(),
    anchor: AnchorView.nullable(),
  })
  .openapi('StatementLineProof');

const listRoute = createRoute({
  method: 'get',
  path: '/statements',
  tags: ['member'],
  summary: 'The distribution runs in which you have statement lines, with your totals and the on-chain anchor',
  request: { query: PageQuery },
  responses: { 200: { description: 'A page of runs', content: { 'application/json': { schema: pageOf(RunSummary) } } }, ...errorResponses },
});

const statementRoute = createRoute({
  method: 'get',
  path: '/statements/{runId}',
  tags: ['member'],
  summary: 'Your statement for one run: line items (paginated) with their Merkle proofs',
  request: { params: z.object({ runId: RunId }), query: PageQuery },
  responses: { 200: { description: 'The statement', content: { 'application/json': { schema: StatementView } } }, ...errorResponses },
});

const proofRoute = createRoute({
  method: 'get',
  path: '/statements/{runId}/lines/{index}/proof',
  tags: ['member'],
  summary: 'The Merkle inclusion proof of one of your statement lines',
  request: { params: z.object({ runId: RunId, index: z.coerce.number().int().min(0).max(2 ** 31 - 1) }) },
  responses: { 200: { description: 'The proof', content: { 'application/json': { schema: ProofView } } }, ...errorResponses },
});

const csvRoute = createRoute({
  method: 'get',
  path: '/statements/{runId}.csv',
  tags: ['member'],
  summary: 'Your statement lines of one run as CSV',
  request: { params: z.object({ runId: RunId }) },
  responses: { 200: { description: 'CSV with a header row', content: { 'text/csv': { schema: z.string() } } }, ...errorResponses },
});

interface RunRow {
  run_id: string;
  collective_id: string;
  right_type: string;
  use_type: string;
  period: string;
  status: string;
  currency: string;
  lines: number;
  gross: string;
  fee: string;
  deductions: string;
  net: string;
  merkle_root: string | null;
  tree_size: number | null;
  open_tx_id: string | null;
  ledger_status: string | null;
  block_number: string | null;
}

interface LineRow {
  line_index: number;
  work_id: string;
  title: string | null;
  iswc: string | null;
  usage_source: string;
  usage_report_id: string | null;
  licensee_id: string | null;
  licensee_name: string | null;
  licence_id: string | null;
  tariff_id: string | null;
  tariff_name: string | null;
  period: string;
  plays: string;
  share: string;
  currency: string;
  gross: string;
  fee: string;
  deductions: string;
  net: string;
  leaf: string;
}

function runView(r: RunRow): z.infer<typeof RunSummary> {
  return {
    runId: r.run_id,
    collectiveId: r.collective_id,
    pool: { rightType: r.right_type, useType: r.use_type, period: r.period },
    status: r.status,
    currency: r.currency,
    lines: r.lines,
    gross: r.gross,
    fee: r.fee,
    deductions: r.deductions,
    net: r.net,
    anchor:
      r.merkle_root && r.open_tx_id
        ? { merkleRoot: r.merkle_root, treeSize: r.tree_size ?? 0, txId: r.open_tx_id, blockNumber: r.block_number, status: r.ledger_status ?? 'open' }
        : null,
  };
}

function lineView(r: LineRow, tree: MerkleTree): z.infer<typeof LineView> {
  return {
    index: r.line_index,
    workId: r.work_id,
    title: r.title,
    iswc: r.iswc,
    usageSource: r.usage_source,
    usageReportId: r.usage_report_id,
    licensee: r.licensee_id ? { id: r.licensee_id, name: r.licensee_name } : null,
    licenceId: r.licence_id,
    tariff: r.tariff_id ? { id: r.tariff_id, name: r.tariff_name } : null,
    period: r.period,
    plays: r.plays,
    share: r.share,
    currency: r.currency,
    gross: r.gross,
    fee: r.fee,
    deductions: r.deductions,
    net: r.net,
    leaf: r.leaf,
    proof: tree.proof(r.line_index).map((h) => h.toString('hex')),
  };
}

const CSV_COLUMNS = ['run_id', 'line_index', 'work_id', 'iswc', 'title', 'usage_source', 'usage_report_id', 'licensee_id', 'licence_id', 'tariff_id', 'period', 'plays', 'share', 'currency', 'gross', 'management_fee', 'deductions', 'net'];

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading formula character is neutralised for spreadsheets. */
export function csvField(v: string | number | null): string {
  let s = v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * A cached statement page, gzip-compressed when the client accepts it: 304 when the caller already
 * holds these bytes, else the bytes as they are.
 */
function sendPage(c: Context<AuthEnv>, page: StatementPage): TypedResponse<z.infer<typeof StatementView>, 200, 'json'> {
  const rep = page.gzip && acceptsGzip(c.req.header('accept-encoding')) ? page.gzip : page;
  const res =
    ifNoneMatch(c.req.header('if-none-match'), rep.etag)
      ? c.body(null, 304, { etag: rep.etag, 'cache-control': STATEMENT_CACHE_CONTROL, vary: 'Accept-Encoding' })
      : // Bypasses the context's header merging: the entry's bytes and headers go out as they are.
        new Response(rep.bytes, { status: 200, headers: rep.headers });
  // The bytes are a serialised StatementView; the type only tells the typed client so.
  return res as unknown as TypedResponse<z.infer<typeof StatementView>, 200, 'json'>;
}

/** `GET /statements`, `GET /statements/{runId}`, `GET /statements/{runId}/lines/{index}/proof`, `GET /statements/{runId}.csv`. */
export function statementRoutes(services: Services, trees: StatementTrees, pages = new StatementPageCache()) {
  const { sql } = services;

  // Columns of a run for one member: its totals plus the ledger's anchor of the run.
  const runQuery = (partyId: string, filter: ReturnType<typeof sql>, limit: number) => sql<RunRow[]>`
    select m.run_id, r.collective_id, r.right_type, r.use_type, r.period, r.status, m.currency, m.lines,
           m.gross, m.fee, m.deductions, m.net,
           d.merkle_root, (d.data->>'statementLineCount')::int as tree_size, d.data->>'txId' as open_tx_id, d.status as ledger_status,
           tx.block_number::text as block_number
    from (
      select run_id, min(currency) as currency, count(*)::int as lines, sum(gross)::text as gross, sum(management_fee)::text as fee,
             sum(deductions)::text as deductions, sum(net)::text as net
      from offchain.statement_lines where party_id = ${partyId} ${filter}
      group by run_id
    ) m
    join offchain.distribution_runs r on r.id = m.run_id and r.status in ${sql(FINAL_STATUSES)}
    left join rm.distributions d on d.id = m.run_id
    left join rm.transactions tx on tx.tx_id = d.data->>'txId'
    order by m.run_id desc limit ${limit}`;

  const ownRun = async (partyId: string, runId: string): Promise<RunRow> => {
    const [run] = await runQuery(partyId, sql`and run_id = ${runId}`, 1);
    // No lines of yours in the run, or a run still being computed: the same 404, so run ids do not leak.
    if (!run) throw new HttpError('NOT_FOUND', `no statement of yours in run ${runId}`, { field: 'runId' });
    return run;
  };

  const lineRows = (partyId: string, runId: string, filter: ReturnType<typeof sql>, limit: number | null) => sql<LineRow[]>`
    select sl.line_index, sl.work_id, w.title, w.iswc, sl.usage_source, sl.usage_report_id,
           coalesce(sl.licensee_id, ur.licensee_id) as licensee_id, p.name as licensee_name,
           ur.licence_id, l.tariff_id, t.data->>'name' as tariff_name,
           sl.period, sl.plays::text as plays, sl.share, sl.currency, sl.gross::text as gross, sl.management_fee::text as fee,
           sl.deductions::text as deductions, sl.net::text as net, sl.leaf
    from (
      -- The page first, then the look-ups (each joins on a primary key, so no row is added or lost):
      -- the prepared statement's generic plan otherwise hashes every work to join a page of lines.
      select * from offchain.statement_lines sl
      where sl.party_id = ${partyId} and sl.run_id = ${runId} ${filter}
      order by sl.line_index ${limit === null ? sql`` : sql`limit ${limit}`}
    ) sl
    left join rm.works w on w.id = sl.work_id
    left join offchain.usage_reports ur on ur.id = sl.usage_report_id
    left join rm.parties p on p.id = coalesce(sl.licensee_id, ur.licensee_id)
    left join rm.licences l on l.id = ur.licence_id
    left join rm.tariffs t on t.id = l.tariff_id
    order by sl.line_index`;

  const rootHex = (tree: MerkleTree) => tree.root().toString('hex');

  const csvHandler = async (c: Context<AuthEnv>) => {
    const me = memberOf(c.var.user);
    const raw = c.req.param('runId') ?? '';
    const parsed = z.object({ runId: RunId }).safeParse({ runId: raw.replace(/\.csv$/, '') });
    if (!parsed.success) throw HttpError.fromZod(parsed.error, 'param');
    const { runId } = parsed.data;
    await ownRun(me.partyId, runId);
    const rows = await lineRows(me.partyId, runId, sql``, null);
    const out = [CSV_COLUMNS.join(',')];
    for (const r of rows) {
      out.push(
        [runId, r.line_index, r.work_id, r.iswc, r.title, r.usage_source, r.usage_report_id, r.licensee_id, r.licence_id, r.tariff_id, r.period, r.plays, r.share, r.currency, r.gross, r.fee, r.deductions, r.net]
          .map(csvField)
          .join(','),
      );
    }
    return c.body(`${out.join('\r\n')}\r\n`, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="statement-${runId}-${me.partyId}.csv"`,
    });
  };

  const router = newRouter();
  // `{runId}.csv` is documented like every route, but routed by hand: the OpenAPI path converter
  // would turn it into a parameter named `runId.csv`, which also breaks `/statements/{runId}`.
  router.openAPIRegistry.registerPath(csvRoute);
  router.get('/statements/:runId{[A-Za-z0-9][A-Za-z0-9._-]*\\.csv}', csvHandler);

  // A request whose exact path and query were answered from a confirmed page moments ago gets the
  // same page before its parameters are parsed again: the page was stored only after that parsing
  // and the caller's check succeeded, and the key holds the caller's party.
  const rawKey = (c: Context<AuthEnv>) => {
    const url = c.req.url;
    return `${c.var.user?.partyId ?? ''}\u0000${url.slice(url.indexOf('/', url.indexOf('//') + 2))}`;
  };
  router.use('/statements/:runId', async (c, next) => {
    const hit = c.var.user?.role === 'member' ? pages.fresh(rawKey(c)) : undefined;
    if (hit) return sendPage(c, hit);
    return next();
  });

  return router
    .openapi(listRoute, async (c) => {
      const me = memberOf(c.var.user);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor, 1);
      const rows = await runQuery(me.partyId, after ? sql`and run_id < ${String(after[0])}` : sql``, limit + 1);
      return c.json(toPage(rows, limit, runView, (r) => [r.run_id]), 200);
    })
    .openapi(statementRoute, async (c) => {
      const me = memberOf(c.var.user);
      const { runId } = c.req.valid('param');
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor, 1);
      const key = pageKey(me.partyId, runId, limit, cursor);
      const pageLines = () => lineRows(me.partyId, runId, after ? sql`and sl.line_index > ${Number(after[0])}` : sql``, limit + 1);
      // Confirmed for this caller within the last couple of seconds: no database round trip.
      const fresh = pages.fresh(key);
      if (fresh) return sendPage(c, fresh);
      let ownRow: RunRow;
      let rows: LineRow[];
      if (pages.has(key)) {
        // Confirmed too long ago: the authorisation check runs again before the page is served.
        ownRow = await ownRun(me.partyId, runId);
        const hit = pages.get(key, JSON.stringify(ownRow));
        if (hit) return sendPage(c, hit);
        rows = await pageLines();
      } else {
        // Both at once: the lines are the caller's own by the query itself, and ownRun's 404 wins.
        [ownRow, rows] = await Promise.all([ownRun(me.partyId, runId), pageLines()]);
      }
      const run = runView(ownRow);
      // ownRun only answers runs whose lines are final.
      const tree = await trees.get(runId, true);
      const computedRoot = rootHex(tree);
      const rootMatches = run.anchor !== null && run.anchor.merkleRoot.toLowerCase() === computedRoot && run.anchor.treeSize === tree.size;
      const statement = { run, computedRoot, rootMatches, lines: toPage(rows, limit, (r) => lineView(r, tree), (r) => [r.line_index]) };
      // Only a done run, sealed on the ledger in a known block, with a matching root is immutable.
      const immutable = run.status === 'done' && run.anchor !== null && run.anchor.status === 'sealed' && run.anchor.blockNumber !== null && rootMatches;
      if (!immutable) return c.json(statement, 200);
      const page = pages.set(key, JSON.stringify(statement), JSON.stringify(ownRow));
      pages.alias(rawKey(c), key);
      return sendPage(c, page);
    })
    .openapi(proofRoute, async (c) => {
      const me = memberOf(c.var.user);
      const { runId, index } = c.req.valid('param');
      const run = runView(await ownRun(me.partyId, runId));
      const [row] = await lineRows(me.partyId, runId, sql`and sl.line_index = ${index}`, 1);
      // Another member's line in the same run is not yours to see: 404 like a missing one.
      if (!row) throw new HttpError('NOT_FOUND', `no statement line ${index} of yours in run ${runId}`, { field: 'index' });
      const tree = await trees.get(runId, true);
      return c.json(
        {
          runId,
          index,
          leaf: row.leaf,
          leafHash: tree.leafHash(index).toString('hex'),
          proof: tree.proof(index).map((h) => h.toString('hex')),
          treeSize: tree.size,
          computedRoot: rootHex(tree),
          anchor: run.anchor,
        },
        200,
      );
    });
}
