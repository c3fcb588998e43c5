/**
 * Money held in suspense (unidentified works, unclaimed shares) and members' claims on it. A member
 * searches its collective's suspense lines and files a claim with evidence; the claim is stored
 * off-chain as `submitted` and nothing is written to the ledger yet: the collective's operator
 * accepts or rejects it, and an accepted claim is paid with `distribution:releaseSuspense`.
 */
import { createHash } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { formatMoney, money, parseMoney } from '@rtl/distribution/money';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { decodeCursor, errorResponses, MoneyString, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { commandIdOf, IdempotencyHeaders } from '../../writes';
import { memberOf } from './caller';

const RunId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a run id');

const SuspenseView = z
  .object({
    runId: z.string(),
    idx: z.number().int(),
    pool: z.object({ rightType: z.string(), useType: z.string(), period: z.string() }),
    reason: z.string().openapi({ example: 'UNMATCHED.NOT_FOUND' }),
    workId: z.string().nullable(),
    title: z.string().nullable(),
    iswc: z.string().nullable(),
    isrc: z.string().nullable(),
    creators: z.string().nullable(),
    usageSource: z.string().nullable(),
    plays: z.string(),
    amount: MoneyString,
    accepted: MoneyString.openapi({ description: 'Already released to accepted claims' }),
    currency: z.string(),
  })
  .openapi('SuspenseLine');

const ClaimBody = z
  .object({
    runId: RunId,
    suspenseIdx: z.number().int().min(0).max(2 ** 31 - 1),
    amount: MoneyString,
    evidence: z.string().trim().min(1).max(10_000).openapi({ description: 'Why this money is yours: registration, contract, cue sheet reference…' }),
  })
  .strict();

const ClaimView = z
  .object({
    id: z.string(),
    runId: z.string(),
    suspenseIdx: z.number().int(),
    amount: MoneyString,
    currency: z.string(),
    evidence: z.string(),
    status: z.enum(['submitted', 'accepted', 'rejected']),
    decisionNote: z.string().nullable(),
    releaseTxId: z.string().nullable(),
    createdAt: z.string(),
    decidedAt: z.string().nullable(),
  })
  .openapi('Claim');

const suspenseRoute = createRoute({
  method: 'get',
  path: '/suspense',
  tags: ['member'],
  summary: 'Suspense lines of your collective (unidentified works, unclaimed shares), searchable by title, creator, ISWC or ISRC',
  request: { query: PageQuery.extend({ q: z.string().trim().min(1).max(200).optional().openapi({ example: 'moon' }) }) },
  responses: { 200: { description: 'A page of suspense lines', content: { 'application/json': { schema: pageOf(SuspenseView) } } }, ...errorResponses },
});

const fileRoute = createRoute({
  method: 'post',
  path: '/claims',
  tags: ['member'],
  summary: 'Claim money held in suspense; the operator decides (no ledger write until then)',
  request: { headers: IdempotencyHeaders, body: { required: true, content: { 'application/json': { schema: ClaimBody } } } },
  responses: {
    201: { description: 'The claim, submitted', content: { 'application/json': { schema: ClaimView } } },
    200: { description: 'The same claim repeated with the same Idempotency-Key', content: { 'application/json': { schema: ClaimView } } },
    ...errorResponses,
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/claims',
  tags: ['member'],
  summary: 'Your claims with their status, newest first',
  request: { query: PageQuery },
  responses: { 200: { description: 'A page of claims', content: { 'application/json': { schema: pageOf(ClaimView) } } }, ...errorResponses },
});

interface SuspenseRow {
  run_id: string;
  idx: number;
  right_type: string;
  use_type: string;
  period: string;
  reason: string;
  work_id: string | null;
  title: string | null;
  iswc: string | null;
  isrc: string | null;
  creators: string | null;
  usage_source: string | null;
  plays: string;
  amount: string;
  accepted: string;
  currency: string;
}

interface ClaimRow {
  id: string;
  claimant_id: string;
  run_id: string;
  suspense_idx: number;
  amount: string;
  currency: string;
  evidence: string;
  status: 'submitted' | 'accepted' | 'rejected';
  decision_note: string | null;
  release_tx_id: string | null;
  created_at: Date;
  created_key: string;
  decided_at: Date | null;
}

function claimView(r: ClaimRow): z.infer<typeof ClaimView> {
  return {
    id: r.id,
    runId: r.run_id,
    suspenseIdx: r.suspense_idx,
    amount: r.amount,
    currency: r.currency,
    evidence: r.evidence,
    status: r.status,
    decisionNote: r.decision_note,
    releaseTxId: r.release_tx_id,
    createdAt: r.created_at.toISOString(),
    decidedAt: r.decided_at?.toISOString() ?? null,
  };
}

/** Escapes `%`, `_` and `\` for a LIKE pattern. */
function likeContains(q: string): string {
  return `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/** `GET /suspense`, `POST /claims`, `GET /claims`. */
export function claimRoutes(services: Services) {
  const { sql } = services;
  const suspenseRows = (collectiveId: string, filter: ReturnType<typeof sql>, limit: number) => sql<SuspenseRow[]>`
    select s.run_id, s.idx, r.right_type, r.use_type, r.period, s.reason, s.work_id, s.title, s.iswc, s.isrc, s.creators, s.usage_source,
           s.plays::text as plays, s.amount::text as amount, s.currency,
           -- amount * 0 keeps the currency scale: 0.00, not 0.
           coalesce((select sum(k.amount) from offchain.claims k where k.run_id = s.run_id and k.suspense_idx = s.idx and k.status = 'accepted'), s.amount * 0)::text as accepted
    from offchain.suspense_lines s
    join offchain.distribution_runs r on r.id = s.run_id
    where r.collective_id = ${collectiveId} and r.status in ('anchoring', 'done') ${filter}
    order by s.run_id desc, s.idx limit ${limit}`;
  const COLUMNS = sql`id, claimant_id, run_id, suspense_idx, amount::text as amount, currency, evidence, status, decision_note, release_tx_id, created_at, created_at::text as created_key, decided_at`;

  return newRouter()
    .openapi(suspenseRoute, async (c) => {
      const me = memberOf(c.var.user);
      const { limit, cursor, q } = c.req.valid('query');
      const after = decodeCursor(cursor, 2);
      const search = q
        ? sql`and (s.title ilike ${likeContains(q)} or s.creators ilike ${likeContains(q)} or s.work_id = ${q}
              or s.iswc = ${q.replace(/[^0-9Tt]/g, '').toUpperCase()} or s.isrc = ${q.replace(/-/g, '').toUpperCase()})`
        : sql``;
      const page = after ? sql`and (s.run_id < ${String(after[0])} or (s.run_id = ${String(after[0])} and s.idx > ${Number(after[1])}))` : sql``;
      const rows = await suspenseRows(me.collectiveId, sql`${search} ${page}`, limit + 1);
      return c.json(
        toPage(
          rows,
          limit,
          (r) => ({
            runId: r.run_id,
            idx: r.idx,
            pool: { rightType: r.right_type, useType: r.use_type, period: r.period },
            reason: r.reason,
            workId: r.work_id,
            title: r.title,
            iswc: r.iswc,
            isrc: r.isrc,
            creators: r.creators,
            usageSource: r.usage_source,
            plays: r.plays,
            amount: r.amount,
            accepted: r.accepted,
            currency: r.currency,
          }),
          (r) => [r.run_id, r.idx],
        ),
        200,
      );
    })
    .openapi(fileRoute, async (c) => {
      const me = memberOf(c.var.user);
      const body = c.req.valid('json');
      const id = `CLM-${createHash('sha256').update(commandIdOf(c)).digest('hex').slice(0, 24)}`;
      c.set('auditAction', 'member.claim.file');
      c.set('auditTarget', `claim:${id}`);
      const [line] = await suspenseRows(me.collectiveId, sql`and s.run_id = ${body.runId} and s.idx = ${body.suspenseIdx}`, 1);
      // Suspense of another collective, or of a run not yet final, is not found: ids do not leak.
      if (!line) throw new HttpError('NOT_FOUND', `no suspense line ${body.suspenseIdx} in run ${body.runId} of your collective`, { field: 'suspenseIdx' });
      let amount: bigint;
      try {
        amount = parseMoney(body.amount, line.currency, 'amount').minor;
      } catch (e) {
        throw new HttpError('VALIDATION.INVALID_ARGUMENT', `amount: ${(e as Error).message}`, { field: 'amount' });
      }
      const available = parseMoney(line.amount, line.currency).minor - parseMoney(line.accepted, line.currency).minor;
      if (amount <= 0n) throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'amount: must be positive', { field: 'amount' });
      if (amount > available) {
        throw new HttpError('VALIDATION.INVALID_ARGUMENT', `amount: more than the ${formatMoney(money(available, line.currency))} ${line.currency} still held on this line`, { field: 'amount', available: formatMoney(money(available, line.currency)) });
      }
      const amountText = formatMoney(money(amount, line.currency));
      const row = {
        id,
        collective_id: me.collectiveId,
        claimant_id: me.partyId,
        run_id: body.runId,
        suspense_idx: body.suspenseIdx,
        amount: amountText,
        currency: line.currency,
        evidence: body.evidence,
        status: 'submitted',
      };
      // One transaction: the checks for a repeat and for an open claim of the member's on the same
      // line see the same state as the insert (advisory lock per member and line).
      const result = await sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(hashtext(${`claim:${me.partyId}:${body.runId}:${body.suspenseIdx}`}))`;
        const [existing] = await tx<ClaimRow[]>`select ${COLUMNS} from offchain.claims where id = ${id}`;
        if (existing) {
          const same = existing.claimant_id === me.partyId && existing.run_id === body.runId && existing.suspense_idx === body.suspenseIdx && existing.amount === amountText && existing.evidence === body.evidence;
          if (!same) throw new HttpError('ALREADY_EXISTS', 'this Idempotency-Key was used for another claim', { field: 'Idempotency-Key' });
          return { claim: existing, created: false };
        }
        const [open] = await tx<{ id: string }[]>`
          select id from offchain.claims where claimant_id = ${me.partyId} and run_id = ${body.runId} and suspense_idx = ${body.suspenseIdx} and status = 'submitted'`;
        if (open) throw new HttpError('ALREADY_EXISTS', `you already have claim ${open.id} open on this line`, { field: 'suspenseIdx', claimId: open.id });
        const [created] = await tx<ClaimRow[]>`insert into offchain.claims ${tx(row)} returning ${COLUMNS}`;
        return { claim: created!, created: true };
      });
      return result.created ? c.json(claimView(result.claim), 201) : c.json(claimView(result.claim), 200);
    })
    .openapi(listRoute, async (c) => {
      const me = memberOf(c.var.user);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor, 2);
      const rows = await sql<ClaimRow[]>`
        select ${COLUMNS} from offchain.claims
        where claimant_id = ${me.partyId} ${after ? sql`and (created_at, id) < (${String(after[0])}::timestamptz, ${String(after[1])})` : sql``}
        order by created_at desc, id desc limit ${limit + 1}`;
      return c.json(toPage(rows, limit, claimView, (r) => [r.created_key, r.id]), 200);
    });
}
