/**
 * Licence verification by code: anyone holding a licence certificate (a venue's customer, an
 * inspector) can check that the licence exists, is in force today, whom it covers, and prove it
 * from the ledger's receipt of the transaction that issued it. The licence fee is not shown: it
 * is between the licensee and the collective.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { LicenceRecord, TariffRecord } from '@rtl/chaincode';
import { licenceStatus } from '@rtl/chaincode/contracts/licensing';
import type { Receipt } from '../../../ledger/port';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { newRouter } from '../../openapi';
import { DateString, jsonResponse, PUBLIC_TAG, publicErrors, todayUtc } from './common';

/** A ledger receipt: where a transaction was committed. */
export const ReceiptView = z
  .object({
    txId: z.string(),
    blockNumber: z.string(),
    blockHash: z.string(),
    txIndex: z.number().int(),
    validationCode: z.string(),
    timestamp: z.string(),
  })
  .openapi('LedgerReceipt');

/** A receipt as JSON (block number as a decimal string). */
export function receiptView(r: Receipt): z.infer<typeof ReceiptView> {
  return { txId: r.txId, blockNumber: r.blockNumber.toString(), blockHash: r.blockHash, txIndex: r.txIndex, validationCode: r.validationCode, timestamp: r.timestamp };
}

const STATUSES = ['valid', 'expired', 'revoked', 'not_yet_valid'] as const;

const VerificationView = z
  .object({
    code: z.string(),
    status: z.enum(STATUSES),
    asOf: z.string(),
    licenceId: z.string(),
    collectiveId: z.string(),
    licensee: z.object({ id: z.string(), name: z.string().nullable() }),
    tariff: z.object({ id: z.string(), name: z.string().nullable(), useType: z.string().nullable() }),
    validFrom: z.string(),
    validTo: z.string(),
    territory: z.string(),
    scope: z.string(),
    revocation: z.object({ at: z.string(), reasonCode: z.string(), txId: z.string() }).nullable(),
    receipt: ReceiptView.openapi({ description: 'Receipt of the transaction that issued the licence' }),
  })
  .openapi('LicenceVerification');

const verifyRoute = createRoute({
  method: 'get',
  path: '/licences/verify/{code}',
  tags: [PUBLIC_TAG],
  summary: 'Verify a licence by the code on its certificate: valid, expired, revoked or not yet valid, with the ledger receipt of its issue',
  request: {
    params: z.object({ code: z.string().regex(/^LIC-[0-9A-F]{12}$/, 'expected a licence code such as LIC-0123456789AB').openapi({ example: 'LIC-0123456789AB' }) }),
    query: z.object({ asOf: DateString.optional().openapi({ description: 'Check on this date instead of today (UTC)' }) }),
  },
  responses: { 200: jsonResponse(VerificationView, 'The licence and its status'), ...publicErrors },
});

interface LicenceRow {
  data: LicenceRecord;
  tx_id: string;
  licensee_name: string | null;
  tariff: TariffRecord | null;
}

/** Routes for licence verification. */
export function licenceRoutes(services: Services) {
  const { sql, ledger } = services;
  return newRouter().openapi(verifyRoute, async (c) => {
    const { code } = c.req.valid('param');
    const asOf = c.req.valid('query').asOf ?? todayUtc();
    const [row] = await sql<LicenceRow[]>`
      select l.data, l.tx_id, p.name as licensee_name, t.data as tariff
      from rm.licences l
      left join rm.parties p on p.id = l.licensee_id
      left join rm.tariffs t on t.id = l.tariff_id
      where l.code = ${code}`;
    if (!row) throw new HttpError('NOT_FOUND', `no licence with code ${code}`, { field: 'code' });
    const l = row.data;
    // The record keeps the issuing transaction; the row's tx_id moves on to a revocation.
    const receipt = await ledger.receipt(l.txId ?? row.tx_id);
    const status = licenceStatus(l, asOf);
    return c.json(
      {
        code: l.code,
        status: status === 'active' ? ('valid' as const) : status,
        asOf,
        licenceId: l.id,
        collectiveId: l.collectiveId,
        licensee: { id: l.licenseeId, name: row.licensee_name },
        tariff: { id: l.tariffId, name: row.tariff?.name ?? null, useType: row.tariff?.useType ?? null },
        validFrom: l.validFrom,
        validTo: l.validTo,
        territory: l.territory,
        scope: l.scope,
        revocation: l.revoked ? { at: l.revoked.at, reasonCode: l.revoked.reasonCode, txId: l.revoked.txId } : null,
        receipt: receiptView(receipt),
      },
      200,
    );
  });
}
