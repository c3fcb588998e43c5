/**
 * Complaints from members and licensees about a collective, and the regulator's findings.
 * The complaint record (who, about whom, category, subject, the hash of its text, the 60-day
 * investigation clock) is on the ledger, written by the regulator's organisation; the full text may
 * hold personal data and stays off-chain (`offchain.complaint_texts`), checked against its hash.
 */
import { createHash } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { ComplaintRecord } from '@rtl/chaincode/contracts/supervision';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { decodeCursor, errorResponses, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import type { Context } from 'hono';
import type { AuthEnv } from '../../../auth/env';
import { ledgerIdentityFor } from '../../../auth/identity';
import { assertRole } from '../../../auth/middleware';
import type { LedgerFunction } from '../../../ledger/port';
import { commandIdOf, IdempotencyHeaders, submitAndWait, WriteReceipt } from '../../writes';
import { AsOfQuery } from './periods';
import { json, SECURITY, TAG, TxReceipt, txReceipt } from './schemas';

const DAY_MS = 86_400_000;
const STATUSES = ['open', 'investigating', 'closed'] as const;
const OUTCOMES = ['upheld', 'partly_upheld', 'rejected'] as const;

const ComplaintId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'expected a complaint id').openapi({ example: 'CMP-2026-0001' });

const Complaint = z
  .object({
    id: z.string(),
    collectiveId: z.string(),
    complainantId: z.string(),
    complainantKind: z.enum(['member', 'licensee']),
    category: z.string(),
    subject: z.string(),
    status: z.enum(STATUSES),
    filedAt: z.string().openapi({ format: 'date-time' }),
    dueBy: z.string().openapi({ format: 'date-time', description: 'End of the 60-day investigation clock' }),
    daysLeft: z.number().int().nullable().openapi({ description: 'Whole days until dueBy (negative once overdue); null when closed' }),
    overdue: z.boolean().openapi({ description: 'Still open or under investigation after dueBy' }),
    closedLate: z.boolean().nullable().openapi({ description: 'Closed after dueBy; null while not closed' }),
    finding: z.object({ outcome: z.enum(OUTCOMES), summary: z.string(), at: z.string(), txId: z.string() }).nullable(),
    textHash: z.string(),
    receipt: TxReceipt,
  })
  .openapi('Complaint');

const ComplaintDetail = Complaint.extend({
  text: z.string().nullable().openapi({ description: 'Full text from the off-chain store; null when not held here' }),
  textMatchesLedger: z.boolean().nullable().openapi({ description: 'SHA-256 of the text equals the hash on the ledger; null without text' }),
}).openapi('ComplaintDetail');

const listRoute = createRoute({
  method: 'get',
  path: '/complaints',
  tags: [TAG],
  summary: 'Complaints from members and licensees, with the 60-day investigation clock',
  security: SECURITY,
  request: { query: PageQuery.extend({ status: z.enum(STATUSES).optional(), asOf: AsOfQuery }) },
  responses: { 200: json(pageOf(Complaint), 'A page of complaints, by id'), ...errorResponses },
});

const getRoute = createRoute({
  method: 'get',
  path: '/complaints/{id}',
  tags: [TAG],
  summary: 'One complaint with its text and whether the text matches the hash on the ledger',
  security: SECURITY,
  request: { params: z.object({ id: ComplaintId }), query: z.object({ asOf: AsOfQuery }) },
  responses: { 200: json(ComplaintDetail, 'The complaint'), ...errorResponses },
});

/** Body of a finding: moving a complaint to investigation, or closing it with an outcome and a summary. */
export const FindingBody = z
  .object({
    status: z.enum(['investigating', 'closed']),
    outcome: z.enum(OUTCOMES).optional(),
    summary: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.status === 'closed') {
      if (!b.outcome) ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'closing a complaint needs an outcome' });
      if (!b.summary) ctx.addIssue({ code: 'custom', path: ['summary'], message: 'closing a complaint needs a summary' });
    } else {
      // The ledger keeps a finding only when a complaint is closed; refuse rather than drop it.
      if (b.outcome) ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'an outcome is recorded only when closing' });
      if (b.summary) ctx.addIssue({ code: 'custom', path: ['summary'], message: 'a summary is recorded only when closing' });
    }
  })
  .openapi('ComplaintFinding');

const findingRoute = createRoute({
  method: 'post',
  path: '/complaints/{id}/findings',
  tags: [TAG],
  summary: 'Record the regulator’s step on a complaint: investigating, or closed with an outcome and a summary',
  security: SECURITY,
  request: {
    params: z.object({ id: ComplaintId }),
    headers: IdempotencyHeaders,
    body: { required: true, content: { 'application/json': { schema: FindingBody } } },
  },
  responses: { 200: json(WriteReceipt.extend({ complaint: Complaint }), 'The complaint as the ledger now holds it'), ...errorResponses },
});

interface Row {
  id: string;
  data: ComplaintRecord;
  tx_id: string;
  block_number: string | null;
  tx_index: number | null;
}

/** The reference instant of the clock: the start of `asOf` (UTC), or now. */
function clockAt(asOf: string | undefined): number {
  return asOf ? Date.parse(`${asOf}T00:00:00Z`) : Date.now();
}

/** A complaint as the regulator sees it, with its clock evaluated at `now` (ms since epoch). */
export function complaintView(r: Row, now: number): z.infer<typeof Complaint> {
  const d = r.data;
  const due = Date.parse(d.dueBy);
  const closed = d.status === 'closed';
  return {
    id: d.id,
    collectiveId: d.collectiveId,
    complainantId: d.complainantId,
    complainantKind: d.complainantKind,
    category: d.category,
    subject: d.subject,
    status: d.status,
    filedAt: d.filedAt,
    dueBy: d.dueBy,
    daysLeft: closed ? null : Math.floor((due - now) / DAY_MS),
    overdue: !closed && now > due,
    closedLate: closed ? Date.parse(d.finding?.at ?? d.at) > due : null,
    finding: d.finding ?? null,
    textHash: d.textHash,
    receipt: txReceipt(r.tx_id, r.block_number, r.tx_index),
  };
}

/**
 * `submitFor` for the regulator, for a repeated request too. A repeated command is answered by a
 * new transaction that changes nothing and carries no event, so the read model never sees it and
 * waiting for it would time out; the command's result names the transaction that did the work
 * (`txId`), which is the one waited for and returned.
 */
async function submitAsRegulator(c: Context<AuthEnv>, services: Services, fn: LedgerFunction, args: Record<string, unknown>): Promise<{ txId: string; blockNumber: string }> {
  const user = assertRole(c.var.user, 'regulator');
  const commandId = commandIdOf(c);
  const res = await submitAndWait(services, ledgerIdentityFor(user), fn, { ...args, commandId });
  c.set('txId', res.txId);
  return { txId: res.txId, blockNumber: res.blockNumber.toString() };
}

/** The complaint routes. */
export function complaintsRouter(services: Services) {
  const { sql } = services;
  const load = async (id: string) => {
    const [row] = await sql<Array<Row & { text: string | null }>>`
      select r.id, r.data, r.tx_id, t.block_number::text as block_number, t.tx_index, ct.text
      from rm.records r
        left join rm.transactions t on t.tx_id = r.tx_id
        left join offchain.complaint_texts ct on ct.complaint_id = r.id
      where r.type = 'complaint' and r.id = ${id}`;
    if (!row) throw new HttpError('NOT_FOUND', `no complaint ${id}`, { field: 'id' });
    return row;
  };
  return newRouter()
    .openapi(listRoute, async (c) => {
      const q = c.req.valid('query');
      const after = decodeCursor(q.cursor, 1);
      const now = clockAt(q.asOf);
      // Keyset on the records primary key (type, id).
      const rows = await sql<Row[]>`
        select r.id, r.data, r.tx_id, t.block_number::text as block_number, t.tx_index
        from rm.records r left join rm.transactions t on t.tx_id = r.tx_id
        where r.type = 'complaint'
          ${q.status ? sql`and r.data->>'status' = ${q.status}` : sql``}
          ${after ? sql`and r.id > ${String(after[0])}` : sql``}
        order by r.id
        limit ${q.limit + 1}`;
      return c.json(toPage(rows, q.limit, (r) => complaintView(r, now), (r) => [r.id]), 200);
    })
    .openapi(getRoute, async (c) => {
      const { id } = c.req.valid('param');
      const { asOf } = c.req.valid('query');
      const row = await load(id);
      const view = complaintView(row, clockAt(asOf));
      const matches = row.text === null ? null : createHash('sha256').update(row.text, 'utf8').digest('hex') === row.data.textHash;
      return c.json({ ...view, text: row.text, textMatchesLedger: matches }, 200);
    })
    .openapi(findingRoute, async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      c.set('auditAction', 'regulator.complaint.finding');
      c.set('auditTarget', `complaint:${id}`);
      c.set('auditDetails', { status: body.status, ...(body.outcome && { outcome: body.outcome }) });
      // The ledger is the judge of existence and state (NOT_FOUND, closed → LEDGER.INVALID_STATE).
      const result = await submitAsRegulator(c, services, 'supervision:recordFinding', { complaintId: id, ...body });
      const row = await load(id);
      return c.json({ ...result, complaint: complaintView(row, Date.now()) }, 200);
    });
}
