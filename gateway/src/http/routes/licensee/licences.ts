/**
 * A licensee's own licences and the certificate of one: everything a printable page needs,
 * including the public verification link and the receipt of the transaction that issued it.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { licenceStatus, type LicenceRecord, type TariffRecord } from '@rtl/chaincode';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { decodeCursor, errorResponses, MoneyString, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { licenseeOf, today } from './caller';

const LicenceStatusEnum = z.enum(['active', 'expired', 'revoked', 'not_yet_valid']);

const LicenceView = z
  .object({
    id: z.string(),
    code: z.string().openapi({ example: 'LIC-0123456789AB' }),
    collectiveId: z.string(),
    tariffId: z.string(),
    tariffName: z.string().nullable(),
    useType: z.string().nullable(),
    validFrom: z.string(),
    validTo: z.string(),
    territory: z.string(),
    scope: z.string(),
    fee: MoneyString,
    currency: z.string(),
    status: LicenceStatusEnum,
    asOf: z.string().openapi({ description: 'The date (UTC) the status is for' }),
    revoked: z.object({ at: z.string(), reasonCode: z.string(), txId: z.string() }).nullable(),
  })
  .openapi('LicenseeLicence');

const ReceiptView = z
  .object({ txId: z.string(), blockNumber: z.string(), blockHash: z.string(), txIndex: z.number().int(), validationCode: z.string(), timestamp: z.string() })
  .openapi('LedgerReceipt');

const CertificateView = z
  .object({
    licence: LicenceView,
    licensee: z.object({ id: z.string(), name: z.string() }),
    collective: z.object({ id: z.string(), name: z.string() }),
    tariff: z.object({ id: z.string(), name: z.string(), useType: z.string(), reasoning: z.string(), effectiveFrom: z.string(), effectiveTo: z.string().nullable() }),
    term: z.object({ validFrom: z.string(), validTo: z.string() }),
    territory: z.string(),
    scope: z.string(),
    fee: MoneyString,
    currency: z.string(),
    status: LicenceStatusEnum,
    verification: z.object({ code: z.string(), url: z.string().openapi({ example: 'https://ledger.example/verify/LIC-0123456789AB' }) }),
    issuedBy: ReceiptView.openapi({ description: 'Receipt of the ledger transaction that issued the licence' }),
  })
  .openapi('LicenceCertificate');

interface LicenceRow {
  id: string;
  tariff_name: string | null;
  use_type: string | null;
  fee: string;
  data: LicenceRecord;
}

function licenceView(r: LicenceRow, asOf: string): z.infer<typeof LicenceView> {
  const l = r.data;
  return {
    id: l.id,
    code: l.code,
    collectiveId: l.collectiveId,
    tariffId: l.tariffId,
    tariffName: r.tariff_name,
    useType: r.use_type,
    validFrom: l.validFrom,
    validTo: l.validTo,
    territory: l.territory,
    scope: l.scope,
    fee: r.fee,
    currency: l.currency,
    status: licenceStatus(l, asOf),
    asOf,
    revoked: l.revoked ? { at: l.revoked.at, reasonCode: l.revoked.reasonCode, txId: l.revoked.txId } : null,
  };
}

const listRoute = createRoute({
  method: 'get',
  path: '/licences',
  tags: ['licensee'],
  summary: 'Your licences with their status as of today and their fee',
  request: { query: PageQuery },
  responses: { 200: { description: 'A page of licences, by id', content: { 'application/json': { schema: pageOf(LicenceView) } } }, ...errorResponses },
});

const certificateRoute = createRoute({
  method: 'get',
  path: '/licences/{id}/certificate',
  tags: ['licensee'],
  summary: 'The certificate of one of your licences: what a printable page shows, with its public verification link and ledger receipt',
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 200: { description: 'The certificate', content: { 'application/json': { schema: CertificateView } } }, ...errorResponses },
});

/** `GET /licences` and `GET /licences/{id}/certificate`. */
export function licenceRoutes(services: Services) {
  const { sql } = services;
  return newRouter()
    .openapi(listRoute, async (c) => {
      const me = licenseeOf(c.var.user);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor, 1);
      const rows = await sql<LicenceRow[]>`
        select l.id, l.fee::text as fee, l.data, t.data->>'name' as tariff_name, t.use_type
        from rm.licences l left join rm.tariffs t on t.id = l.tariff_id
        where l.licensee_id = ${me.partyId} ${after ? sql`and l.id > ${String(after[0])}` : sql``}
        order by l.id limit ${limit + 1}`;
      const asOf = today();
      return c.json(toPage(rows, limit, (r) => licenceView(r, asOf), (r) => [r.id]), 200);
    })
    .openapi(certificateRoute, async (c) => {
      const me = licenseeOf(c.var.user);
      const { id } = c.req.valid('param');
      const [row] = await sql<(LicenceRow & { tariff: TariffRecord | null; licensee_name: string | null; collective_name: string | null })[]>`
        select l.id, l.fee::text as fee, l.data, t.data->>'name' as tariff_name, t.use_type, t.data as tariff,
               p.name as licensee_name, cp.name as collective_name
        from rm.licences l
        left join rm.tariffs t on t.id = l.tariff_id
        left join rm.parties p on p.id = l.licensee_id
        left join rm.parties cp on cp.id = l.collective_id
        where l.id = ${id} and l.licensee_id = ${me.partyId}`;
      // Another licensee's licence answers exactly like a missing one, so ids do not leak.
      if (!row || !row.tariff) throw new HttpError('NOT_FOUND', `no licence ${id} of yours`, { field: 'id' });
      const asOf = today();
      const licence = licenceView(row, asOf);
      const t = row.tariff;
      // The licence record keeps the issuing transaction's id; a revocation adds its own, elsewhere.
      const receipt = await services.ledger.receipt(row.data.txId);
      const origin = new URL(c.req.url).origin;
      return c.json(
        {
          licence,
          licensee: { id: me.partyId, name: row.licensee_name ?? me.partyId },
          collective: { id: row.data.collectiveId, name: row.collective_name ?? row.data.collectiveId },
          tariff: { id: t.id, name: t.name, useType: t.useType, reasoning: t.reasoning, effectiveFrom: t.effectiveFrom, effectiveTo: t.effectiveTo ?? null },
          term: { validFrom: licence.validFrom, validTo: licence.validTo },
          territory: licence.territory,
          scope: licence.scope,
          fee: licence.fee,
          currency: licence.currency,
          status: licence.status,
          verification: { code: licence.code, url: `${origin}/verify/${encodeURIComponent(licence.code)}` },
          issuedBy: { ...receipt, blockNumber: receipt.blockNumber.toString() },
        },
        200,
      );
    });
}
