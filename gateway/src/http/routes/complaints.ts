/**
 * Complaints from members and licensees about their collective, shared by the member and licensee
 * routers. The full text stays off-chain (`offchain.complaint_texts`: it may hold personal data and
 * the ledger can never erase anything); the ledger gets its SHA-256, the subject and category
 * through `supervision:fileComplaint`, submitted with the REGULATOR's identity so that the
 * collective hosting the complainant cannot withhold or edit it, and the regulator's 60-day
 * investigation clock starts at once.
 */
import { createHash } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type { ComplaintRecord } from '@rtl/chaincode';
import { assertRole } from '../../auth/middleware';
import type { AuthUser } from '../../auth/identity';
import { regulatorIdentity } from '../../ledger/organisations';
import type { Services } from '../../services';
import { HttpError } from '../http-error';
import { decodeCursor, errorResponses, newRouter, pageOf, PageQuery, toPage } from '../openapi';
import { commandIdOf, IdempotencyHeaders, WriteReceipt } from '../writes';

/** Categories the chaincode accepts. */
export const COMPLAINT_CATEGORIES = ['distribution', 'statement', 'tariff', 'licence', 'fees', 'other'] as const;

const ComplaintBody = z
  .object({
    category: z.enum(COMPLAINT_CATEGORIES),
    subject: z.string().trim().min(1).max(300).openapi({ example: 'Q3 statement omits my KTV usage' }),
    text: z.string().trim().min(1).max(20_000).openapi({ description: 'Full text; kept off-chain, only its SHA-256 goes on the ledger' }),
  })
  .strict();

/** A complaint as its complainant sees it. */
export const ComplaintView = z
  .object({
    id: z.string(),
    collectiveId: z.string(),
    category: z.string(),
    subject: z.string(),
    text: z.string(),
    textSha256: z.string(),
    status: z.enum(['open', 'investigating', 'closed']),
    filedAt: z.string(),
    dueBy: z.string().openapi({ description: 'When the regulator’s 60-day investigation period ends' }),
    finding: z.object({ outcome: z.string(), summary: z.string(), at: z.string(), txId: z.string() }).nullable(),
    txId: z.string().openapi({ description: 'The ledger transaction that filed it' }),
  })
  .openapi('Complaint');

type ComplaintViewT = z.infer<typeof ComplaintView>;

interface ComplaintRow {
  complaint_id: string;
  text: string;
  sha256: string;
  created_at: Date;
  /** `created_at` at full (microsecond) precision, for the keyset cursor. */
  created_key: string;
  data: ComplaintRecord | null;
}

function view(r: ComplaintRow): ComplaintViewT {
  const d = r.data;
  return {
    id: r.complaint_id,
    collectiveId: d?.collectiveId ?? '',
    category: d?.category ?? '',
    subject: d?.subject ?? '',
    text: r.text,
    textSha256: r.sha256,
    status: d?.status ?? 'open',
    filedAt: d?.filedAt ?? r.created_at.toISOString(),
    dueBy: d?.dueBy ?? '',
    finding: d?.finding ?? null,
    txId: d?.txId ?? '',
  };
}

/** The complaint id of a request: derived from the caller-scoped Idempotency-Key, so a retry files the same complaint. */
function complaintIdOf(commandId: string): string {
  return `CMP-${createHash('sha256').update(commandId).digest('hex').slice(0, 24)}`;
}

/** The signed-in member or licensee with the party and collective a complaint needs. */
function complainant(user: AuthUser | null | undefined, role: 'member' | 'licensee'): { partyId: string; collectiveId: string } {
  const u = assertRole(user, role);
  if (!u.partyId || !u.collectiveId) throw new HttpError('AUTH.FORBIDDEN', 'this account is not linked to a party');
  return { partyId: u.partyId, collectiveId: u.collectiveId };
}

/**
 * `POST /complaints` and `GET /complaints` for one audience (`member` or `licensee`); mount the
 * result inside that audience's router.
 */
export function complaintRoutes(services: Services, role: 'member' | 'licensee') {
  const tags = [role];
  const fileRoute = createRoute({
    method: 'post',
    path: '/complaints',
    tags,
    summary: 'File a complaint about your collective with the regulator (text off-chain, its SHA-256 on the ledger)',
    request: { headers: IdempotencyHeaders, body: { required: true, content: { 'application/json': { schema: ComplaintBody } } } },
    responses: {
      201: { description: 'Filed; the regulator’s 60-day clock runs', content: { 'application/json': { schema: z.object({ complaint: ComplaintView }).merge(WriteReceipt) } } },
      ...errorResponses,
    },
  });
  const listRoute = createRoute({
    method: 'get',
    path: '/complaints',
    tags,
    summary: 'Your complaints with their status, newest first',
    request: { query: PageQuery },
    responses: { 200: { description: 'A page of complaints', content: { 'application/json': { schema: pageOf(ComplaintView) } } }, ...errorResponses },
  });

  const router = newRouter();
  return router
    .openapi(fileRoute, async (c) => {
      const me = complainant(c.var.user, role);
      const body = c.req.valid('json');
      const commandId = commandIdOf(c);
      const complaintId = complaintIdOf(commandId);
      const sha256 = createHash('sha256').update(body.text, 'utf8').digest('hex');
      c.set('auditAction', `${role}.complaint.file`);
      c.set('auditTarget', `complaint:${complaintId}`);
      // The text row and the ledger write commit together: if the ledger refuses, the SQL
      // transaction rolls back and nothing is left behind; a retry with the same key repeats the
      // (idempotent) ledger command and stores the text then.
      const submitted = await services.sql.begin(async (tx) => {
        const [existing] = await tx<{ sha256: string; complainant_id: string }[]>`
          select sha256, complainant_id from offchain.complaint_texts where complaint_id = ${complaintId}`;
        if (existing && (existing.sha256 !== sha256 || existing.complainant_id !== me.partyId)) {
          throw new HttpError('ALREADY_EXISTS', 'this Idempotency-Key already filed a different complaint', { field: 'Idempotency-Key' });
        }
        if (!existing) await tx`insert into offchain.complaint_texts ${tx({ complaint_id: complaintId, complainant_id: me.partyId, text: body.text, sha256 })}`;
        // The regulator's identity, named after the person, so the collective's own peer cannot refuse it.
        return services.ledger.submit<{ txId: string; complaint: ComplaintRecord }>(regulatorIdentity(`${role}:${me.partyId}`), 'supervision:fileComplaint', {
          commandId,
          complaintId,
          collectiveId: me.collectiveId,
          complainantId: me.partyId,
          category: body.category,
          subject: body.subject,
          textHash: sha256,
        });
      });
      // A repeated command is answered by a new transaction that changes nothing and never reaches
      // the read model; the result names the transaction that filed the complaint.
      const txId = submitted.result.txId;
      c.set('txId', txId);
      await services.projector.waitFor(txId);
      const blockNumber = (await services.sql<{ b: string }[]>`select block_number::text as b from rm.transactions where tx_id = ${txId}`)[0]?.b ?? submitted.blockNumber.toString();
      const [row] = await services.sql<ComplaintRow[]>`
        select t.complaint_id, t.text, t.sha256, t.created_at, t.created_at::text as created_key, r.data
        from offchain.complaint_texts t left join rm.records r on r.type = 'complaint' and r.id = t.complaint_id
        where t.complaint_id = ${complaintId}`;
      const complaint = row ? view(row) : view({ complaint_id: complaintId, text: body.text, sha256, created_at: new Date(), created_key: '', data: submitted.result.complaint });
      return c.json({ complaint, txId, blockNumber }, 201);
    })
    .openapi(listRoute, async (c) => {
      const me = complainant(c.var.user, role);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor, 2);
      const rows = await services.sql<ComplaintRow[]>`
        select t.complaint_id, t.text, t.sha256, t.created_at, t.created_at::text as created_key, r.data
        from offchain.complaint_texts t left join rm.records r on r.type = 'complaint' and r.id = t.complaint_id
        where t.complainant_id = ${me.partyId}
          ${after ? services.sql`and (t.created_at, t.complaint_id) < (${String(after[0])}::timestamptz, ${String(after[1])})` : services.sql``}
        order by t.created_at desc, t.complaint_id desc
        limit ${limit + 1}`;
      return c.json(toPage(rows, limit, view, (r) => [r.created_key, r.complaint_id]), 200);
    });
}
