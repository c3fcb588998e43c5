/**
 * Members and licensees of the operator's collective. Contact details and bank accounts never go
 * on the ledger (every organisation reads it and nothing on it can be erased): they are stored in
 * `offchain.party_private`, and only their salted SHA-256 goes on the ledger as `personalDataHash`,
 * so the collective can later prove what it held without publishing it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { canonicalJson } from '@rtl/distribution/canonical-json';
import type { PartyRecord } from '@rtl/chaincode';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { decodeCursor, errorResponses, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { IdempotencyHeaders, WriteReceipt } from '../../writes';
import { IdString, json, jsonBody, likePattern, operator, OptionalCollective, ownCollective, SECURITY, submitOp } from './common';

const Contact = z
  .object({
    email: z.string().trim().email().max(200).optional(),
    phone: z.string().trim().regex(/^\+?[0-9 ()-]{5,30}$/, 'expected a phone number').optional(),
    bankAccount: z.string().trim().min(5).max(64).optional(),
  })
  .strict()
  .openapi('PartyContact', { description: 'Private contact details, stored off the ledger; only their salted hash is on it' });

const PartyBody = OptionalCollective.extend({
  partyId: IdString,
  kind: z.enum(['member', 'licensee']),
  name: z.string().trim().min(1).max(200),
  memberType: z.enum(['author', 'composer', 'author_composer', 'publisher', 'producer', 'performer']).optional(),
  ipiNameNumber: z.string().regex(/^\d{9,11}$/, 'expected an IPI name number (9 to 11 digits)').optional(),
  licenseeType: z.enum(['ktv', 'background_music', 'broadcaster', 'streaming', 'live', 'cinema', 'other']).optional(),
  contact: Contact.optional(),
})
  .strict()
  .superRefine((a, ctx) => {
    if (a.kind === 'member' && !a.memberType) ctx.addIssue({ code: 'custom', path: ['memberType'], message: 'a member needs a memberType' });
    if (a.kind === 'licensee' && !a.licenseeType) ctx.addIssue({ code: 'custom', path: ['licenseeType'], message: 'a licensee needs a licenseeType' });
    if (a.kind === 'licensee' && a.ipiNameNumber) ctx.addIssue({ code: 'custom', path: ['ipiNameNumber'], message: 'licensees have no IPI number' });
    if (a.contact && Object.keys(a.contact).length === 0) ctx.addIssue({ code: 'custom', path: ['contact'], message: 'contact needs at least one of email, phone, bankAccount' });
  });

const PartyView = z
  .object({
    id: z.string(),
    kind: z.string(),
    name: z.string(),
    collectiveId: z.string(),
    memberType: z.string().nullable(),
    licenseeType: z.string().nullable(),
    ipiNameNumber: z.string().nullable(),
    personalDataHash: z.string().nullable(),
    hasPrivateData: z.boolean(),
    txId: z.string(),
    at: z.string(),
  })
  .openapi('OperatorParty');

const listRoute = createRoute({
  method: 'get',
  path: '/parties',
  tags: ['operator'],
  summary: 'Members and licensees of your collective, by id; `q` matches id, name or IPI number',
  security: SECURITY,
  request: { query: PageQuery.extend({ kind: z.enum(['member', 'licensee']).optional(), q: z.string().trim().min(1).max(100).optional() }) },
  responses: { 200: json(pageOf(PartyView), 'A page of parties'), ...errorResponses },
});

const createPartyRoute = createRoute({
  method: 'post',
  path: '/parties',
  tags: ['operator'],
  summary: 'Registers a member or licensee (`parties:registerParty`); contact details stay off the ledger',
  security: SECURITY,
  request: { headers: IdempotencyHeaders, body: jsonBody(PartyBody) },
  responses: { 201: json(z.object({ party: PartyView, receipt: WriteReceipt }), 'Registered'), ...errorResponses },
});

interface PartyRow {
  id: string;
  kind: string;
  name: string;
  collective_id: string;
  member_type: string | null;
  licensee_type: string | null;
  ipi_name_number: string | null;
  data: PartyRecord;
  tx_id: string;
  at: Date;
  private: boolean;
}

function view(r: PartyRow): z.infer<typeof PartyView> {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    collectiveId: r.collective_id,
    memberType: r.member_type,
    licenseeType: r.licensee_type,
    ipiNameNumber: r.ipi_name_number,
    personalDataHash: r.data.personalDataHash ?? null,
    hasPrivateData: r.private,
    txId: r.tx_id,
    at: r.at.toISOString(),
  };
}

/** SHA-256 of the canonical JSON of a party's private data with its salt (the salt defeats guessing a phone number from the hash). */
export function personalDataHash(partyId: string, salt: string, contact: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson({ contact, partyId, salt })).digest('hex');
}

/** Routes for members and licensees. */
export function partiesRoutes(services: Services) {
  const { sql } = services;
  const selectParty = (id: string) =>
    sql<PartyRow[]>`select p.*, exists (select 1 from offchain.party_private x where x.party_id = p.id) as private from rm.parties p where p.id = ${id}`;

  return newRouter()
    .openapi(listRoute, async (c) => {
      const collective = ownCollective(c);
      const { limit, cursor, kind, q } = c.req.valid('query');
      const after = decodeCursor(cursor, 1)?.[0];
      const rows = await sql<PartyRow[]>`
        select p.*, exists (select 1 from offchain.party_private x where x.party_id = p.id) as private
        from rm.parties p
        where p.collective_id = ${collective} and p.kind in ('member', 'licensee')
          ${kind ? sql`and p.kind = ${kind}` : sql``}
          ${q ? sql`and (p.id ilike ${likePattern(q)} or p.name ilike ${likePattern(q)} or p.ipi_name_number = ${q})` : sql``}
          ${after !== undefined ? sql`and p.id > ${String(after)}` : sql``}
        order by p.id limit ${limit + 1}`;
      return c.json(toPage(rows, limit, view, (r) => [r.id]), 200);
    })
    .openapi(createPartyRoute, async (c) => {
      const user = operator(c);
      const { contact, collectiveId: named, ...body } = c.req.valid('json');
      const collectiveId = ownCollective(c, named);
      const args = { ...body, collectiveId };
      if (!contact) {
        const res = await submitOp<{ party: PartyRecord }>(c, services, 'parties:registerParty', args);
        const [row] = await selectParty(res.result.party.id);
        return c.json({ party: view(row!), receipt: { txId: res.txId, blockNumber: res.blockNumber.toString() } }, 201);
      }
      // The private row and the ledger write succeed or fail together: the row is written in a SQL
      // transaction that commits only after the ledger accepted the hash. A retry with the same
      // contact reuses the stored salt, so it sends the same hash and gets the first result back.
      const res = await sql.begin(async (tx) => {
        const [existing] = await tx<{ salt: string; contact: Record<string, unknown>; collective_id: string }[]>`
          select salt, contact, collective_id from offchain.party_private where party_id = ${body.partyId} for update`;
        if (existing && existing.collective_id !== collectiveId) throw new HttpError('ALREADY_EXISTS', `party ${body.partyId} already exists`, { field: 'partyId' });
        const same = existing && canonicalJson(existing.contact) === canonicalJson(contact);
        const salt = same ? existing.salt : randomBytes(16).toString('hex');
        const sha256 = personalDataHash(body.partyId, salt, contact);
        await tx`insert into offchain.party_private ${tx({ party_id: body.partyId, collective_id: collectiveId, contact: tx.json(contact), salt, sha256, created_by: user.username })}
          on conflict (party_id) do update set contact = excluded.contact, salt = excluded.salt, sha256 = excluded.sha256`;
        return submitOp<{ party: PartyRecord }>(c, services, 'parties:registerParty', { ...args, personalDataHash: sha256 });
      });
      const [row] = await selectParty(res.result.party.id);
      return c.json({ party: view(row!), receipt: { txId: res.txId, blockNumber: res.blockNumber.toString() } }, 201);
    });
}
