/**
 * Decisions on members' claims to money held in suspense (an unidentified work, an unclaimed
 * share). Accepting releases the claimed amount from the run's pool suspense to the claimant on
 * the ledger (`distribution:releaseSuspense`) and then marks the claim accepted with that
 * transaction; rejecting is an off-chain decision with a note.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { LedgerError } from '@rtl/chaincode';
import type { Services } from '../../../services';
import { decodeCursor, errorResponses, MoneyString, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { commandIdOf, IdempotencyHeaders } from '../../writes';
import { IdString, json, jsonBody, notFound, operator, ownCollective, SECURITY, submitOp } from './common';

const ClaimView = z
  .object({
    id: z.string(),
    claimantId: z.string(),
    runId: z.string(),
    suspenseIdx: z.number().int(),
    amount: MoneyString,
    currency: z.string(),
    evidence: z.string(),
    status: z.enum(['submitted', 'accepted', 'rejected']),
    decidedBy: z.string().nullable(),
    decisionNote: z.string().nullable(),
    releaseTxId: z.string().nullable(),
    createdAt: z.string(),
    decidedAt: z.string().nullable(),
  })
  .openapi('OperatorClaim');

const listRoute = createRoute({
  method: 'get',
  path: '/claims',
  tags: ['operator'],
  summary: 'Claims on suspense of your collective, newest first; filter by status',
  security: SECURITY,
  request: { query: PageQuery.extend({ status: z.enum(['submitted', 'accepted', 'rejected']).optional() }) },
  responses: { 200: json(pageOf(ClaimView), 'A page of claims'), ...errorResponses },
});
const acceptRoute = createRoute({
  method: 'post',
  path: '/claims/{id}/accept',
  tags: ['operator'],
  summary: "Accepts a claim: releases the amount from the run's pool suspense to the claimant (`distribution:releaseSuspense`)",
  security: SECURITY,
  request: { headers: IdempotencyHeaders, params: z.object({ id: IdString }), body: jsonBody(z.object({ note: z.string().trim().min(1).max(500).optional() }).strict()) },
  responses: { 200: json(z.object({ claim: ClaimView }), 'Accepted'), ...errorResponses },
});
const rejectRoute = createRoute({
  method: 'post',
  path: '/claims/{id}/reject',
  tags: ['operator'],
  summary: 'Rejects a claim with a note (off the ledger: no money moves)',
  security: SECURITY,
  request: { headers: IdempotencyHeaders, params: z.object({ id: IdString }), body: jsonBody(z.object({ note: z.string().trim().min(1).max(2000) }).strict()) },
  responses: { 200: json(z.object({ claim: ClaimView }), 'Rejected'), ...errorResponses },
});

interface ClaimRow {
  id: string;
  claimant_id: string;
  run_id: string;
  suspense_idx: number;
  amount: string;
  currency: string;
  evidence: string;
  status: 'submitted' | 'accepted' | 'rejected';
  decided_by: string | null;
  decision_note: string | null;
  release_tx_id: string | null;
  created_at: Date;
  decided_at: Date | null;
  at_key: string;
}

const view = (r: ClaimRow) => ({
  id: r.id,
  claimantId: r.claimant_id,
  runId: r.run_id,
  suspenseIdx: r.suspense_idx,
  amount: r.amount,
  currency: r.currency,
  evidence: r.evidence,
  status: r.status,
  decidedBy: r.decided_by,
  decisionNote: r.decision_note,
  releaseTxId: r.release_tx_id,
  createdAt: r.created_at.toISOString(),
  decidedAt: r.decided_at?.toISOString() ?? null,
});

/** Routes for claim decisions. */
export function claimsRoutes(services: Services) {
  const { sql } = services;
  const cols = sql`id, claimant_id, run_id, suspense_idx, amount::text, currency, evidence, status, decided_by, decision_note, release_tx_id, created_at, decided_at, created_at::text as at_key`;
  const claimRow = async (id: string, collective: string) => (await sql<ClaimRow[]>`select ${cols} from offchain.claims where id = ${id} and collective_id = ${collective}`)[0];
  return newRouter()
    .openapi(listRoute, async (c) => {
      const collective = ownCollective(c);
      const { limit, cursor, status } = c.req.valid('query');
      const after = decodeCursor(cursor, 2);
      const rows = await sql<ClaimRow[]>`select ${cols} from offchain.claims
        where collective_id = ${collective}
          ${status ? sql`and status = ${status}` : sql``}
          ${after ? sql`and (created_at, id) < (${String(after[0])}::timestamptz, ${String(after[1])})` : sql``}
        order by created_at desc, id desc limit ${limit + 1}`;
      return c.json(toPage(rows, limit, view, (r) => [r.at_key, r.id]), 200);
    })
    .openapi(acceptRoute, async (c) => {
      const user = operator(c);
      const collective = ownCollective(c);
      const { id } = c.req.valid('param');
      const { note } = c.req.valid('json');
      const claim = await claimRow(id, collective);
      if (!claim) throw notFound('claim', id);
      if (claim.status === 'rejected') throw new LedgerError('LEDGER.INVALID_STATE', `claim ${id} was rejected`, { field: 'id' });
      const [run] = await sql<{ right_type: 'performing' | 'mechanical'; use_type: string; period: string }[]>`
        select right_type, use_type, period from offchain.distribution_runs where id = ${claim.run_id} and collective_id = ${collective}`;
      if (!run) throw new LedgerError('LEDGER.INVALID_STATE', `the run ${claim.run_id} of claim ${id} is unknown`, { field: 'id' });
      // Also when the claim already shows accepted: the same Idempotency-Key then returns the first
      // release (and this finishes a decision whose database update was lost); another key is
      // refused by the ledger, which releases a claim once.
      const res = await submitOp<{ release: { txId: string } }>(c, services, 'distribution:releaseSuspense', {
        claimId: id,
        collectiveId: collective,
        pool: { rightType: run.right_type, useType: run.use_type, period: run.period },
        memberId: claim.claimant_id,
        amount: claim.amount,
        currency: claim.currency,
        ...(note && { note }),
      });
      await sql`update offchain.claims set status = 'accepted', decided_by = ${user.username}, decision_note = ${note ?? null}, release_tx_id = ${res.result.release.txId}, decided_at = now()
        where id = ${id} and status = 'submitted'`;
      return c.json({ claim: view((await claimRow(id, collective))!) }, 200);
    })
    .openapi(rejectRoute, async (c) => {
      const user = operator(c);
      const collective = ownCollective(c);
      commandIdOf(c); // every write carries an Idempotency-Key, even one that stays off the ledger
      const { id } = c.req.valid('param');
      const { note } = c.req.valid('json');
      const claim = await claimRow(id, collective);
      if (!claim) throw notFound('claim', id);
      if (claim.status === 'rejected' && claim.decision_note === note) return c.json({ claim: view(claim) }, 200);
      if (claim.status !== 'submitted') throw new LedgerError('LEDGER.INVALID_STATE', `claim ${id} is already ${claim.status}`, { field: 'id' });
      await sql`update offchain.claims set status = 'rejected', decided_by = ${user.username}, decision_note = ${note}, decided_at = now() where id = ${id} and status = 'submitted'`;
      return c.json({ claim: view((await claimRow(id, collective))!) }, 200);
    });
}
