/**
 * Tariffs and licences of the operator's collective: publishing a tariff, issuing and revoking
 * licences, and listing both from the read model.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { licenceStatus, type LicenceRecord, type TariffRecord } from '@rtl/chaincode';
import { tariffFormulaSchema } from '@rtl/distribution/tariff';
import type { Services } from '../../../services';
import { decodeCursor, errorResponses, MoneyString, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { IdempotencyHeaders, WriteReceipt } from '../../writes';
import { Currency, DateString, IdString, json, jsonBody, notFound, OptionalCollective, ownCollective, ReasonCode, RightType, SECURITY, submitOp } from './common';

const TariffBody = OptionalCollective.extend({
  tariffId: IdString,
  name: z.string().trim().min(1).max(200),
  useType: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, 'expected a lower-case use type'),
  rightTypes: z.array(RightType).min(1).max(2),
  reasoning: z.string().trim().min(1).max(5000),
  formula: tariffFormulaSchema,
  effectiveFrom: DateString,
  effectiveTo: DateString.optional(),
  supersedes: IdString.optional(),
}).strict();

const LicenceBody = z
  .object({
    licenceId: IdString,
    licenseeId: IdString,
    tariffId: IdString,
    validFrom: DateString,
    validTo: DateString,
    territory: z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'expected an ISO 3166 code such as CN or CN-BJ'),
    scope: z.string().trim().min(1).max(500),
    fee: MoneyString,
    currency: Currency,
  })
  .strict();

const TariffView = z.object({ id: z.string(), name: z.string(), useType: z.string(), effectiveFrom: z.string(), effectiveTo: z.string().nullable(), record: z.record(z.string(), z.unknown()), txId: z.string() }).openapi('OperatorTariff');
const LicenceView = z
  .object({
    id: z.string(),
    code: z.string(),
    licenseeId: z.string(),
    tariffId: z.string(),
    validFrom: z.string(),
    validTo: z.string(),
    status: z.enum(['active', 'expired', 'revoked', 'not_yet_valid']),
    fee: MoneyString,
    currency: z.string(),
    record: z.record(z.string(), z.unknown()),
    txId: z.string(),
  })
  .openapi('OperatorLicence');

const receipt = (r: { txId: string; blockNumber: bigint }) => ({ txId: r.txId, blockNumber: r.blockNumber.toString() });

const tariffsRoute = createRoute({
  method: 'get',
  path: '/tariffs',
  tags: ['operator'],
  summary: 'Tariffs of your collective, by id',
  security: SECURITY,
  request: { query: PageQuery },
  responses: { 200: json(pageOf(TariffView), 'A page of tariffs'), ...errorResponses },
});
const publishRoute = createRoute({
  method: 'post',
  path: '/tariffs',
  tags: ['operator'],
  summary: 'Publishes a tariff with its reasoning and formula (`licensing:publishTariff`)',
  security: SECURITY,
  request: { headers: IdempotencyHeaders, body: jsonBody(TariffBody) },
  responses: { 201: json(z.object({ tariff: TariffView, receipt: WriteReceipt }), 'Published'), ...errorResponses },
});
const licencesRoute = createRoute({
  method: 'get',
  path: '/licences',
  tags: ['operator'],
  summary: 'Licences of your collective, by id; filter by licensee or by revoked',
  security: SECURITY,
  request: { query: PageQuery.extend({ licenseeId: IdString.optional(), revoked: z.enum(['true', 'false']).optional() }) },
  responses: { 200: json(pageOf(LicenceView), 'A page of licences'), ...errorResponses },
});
const issueRoute = createRoute({
  method: 'post',
  path: '/licences',
  tags: ['operator'],
  summary: 'Issues a licence to a licensee of your collective under one of its tariffs (`licensing:issueLicence`)',
  security: SECURITY,
  request: { headers: IdempotencyHeaders, body: jsonBody(LicenceBody) },
  responses: { 201: json(z.object({ licence: LicenceView, receipt: WriteReceipt }), 'Issued'), ...errorResponses },
});
const revokeRoute = createRoute({
  method: 'post',
  path: '/licences/{id}/revoke',
  tags: ['operator'],
  summary: 'Revokes a licence with a reason code (`licensing:revokeLicence`)',
  security: SECURITY,
  request: { headers: IdempotencyHeaders, params: z.object({ id: IdString }), body: jsonBody(z.object({ reasonCode: ReasonCode, note: z.string().trim().min(1).max(500).optional() }).strict()) },
  responses: { 200: json(z.object({ licence: LicenceView, receipt: WriteReceipt }), 'Revoked'), ...errorResponses },
});

interface TariffRow {
  id: string;
  use_type: string;
  effective_from: string;
  effective_to: string | null;
  data: TariffRecord;
  tx_id: string;
}
interface LicenceRow {
  id: string;
  code: string;
  licensee_id: string;
  tariff_id: string;
  valid_from: string;
  valid_to: string;
  fee: string;
  currency: string;
  data: LicenceRecord;
  tx_id: string;
}

const tariffView = (r: TariffRow) => ({ id: r.id, name: r.data.name, useType: r.use_type, effectiveFrom: r.effective_from, effectiveTo: r.effective_to, record: r.data as unknown as Record<string, unknown>, txId: r.tx_id });
const today = () => new Date().toISOString().slice(0, 10);
const licenceView = (r: LicenceRow) => ({
  id: r.id,
  code: r.code,
  licenseeId: r.licensee_id,
  tariffId: r.tariff_id,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  status: licenceStatus(r.data, today()),
  fee: r.fee,
  currency: r.currency,
  record: r.data as unknown as Record<string, unknown>,
  txId: r.tx_id,
});

/** Routes for tariffs and licences. */
export function licensingRoutes(services: Services) {
  const { sql } = services;
  const tariffRow = (id: string) => sql<TariffRow[]>`select id, use_type, effective_from::text, effective_to::text, data, tx_id from rm.tariffs where id = ${id}`;
  const licenceRow = (id: string, collective: string) =>
    sql<LicenceRow[]>`select id, code, licensee_id, tariff_id, valid_from::text, valid_to::text, fee::text, currency, data, tx_id from rm.licences where id = ${id} and collective_id = ${collective}`;
  return newRouter()
    .openapi(tariffsRoute, async (c) => {
      const collective = ownCollective(c);
      const { limit, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor, 1)?.[0];
      const rows = await sql<TariffRow[]>`select id, use_type, effective_from::text, effective_to::text, data, tx_id from rm.tariffs
        where collective_id = ${collective} ${after !== undefined ? sql`and id > ${String(after)}` : sql``} order by id limit ${limit + 1}`;
      return c.json(toPage(rows, limit, tariffView, (r) => [r.id]), 200);
    })
    .openapi(publishRoute, async (c) => {
      const { collectiveId: named, ...body } = c.req.valid('json');
      const collectiveId = ownCollective(c, named);
      const res = await submitOp<{ tariff: TariffRecord }>(c, services, 'licensing:publishTariff', { ...body, collectiveId });
      const [row] = await tariffRow(res.result.tariff.id);
      return c.json({ tariff: tariffView(row!), receipt: receipt(res) }, 201);
    })
    .openapi(licencesRoute, async (c) => {
      const collective = ownCollective(c);
      const { limit, cursor, licenseeId, revoked } = c.req.valid('query');
      const after = decodeCursor(cursor, 1)?.[0];
      const rows = await sql<LicenceRow[]>`select id, code, licensee_id, tariff_id, valid_from::text, valid_to::text, fee::text, currency, data, tx_id from rm.licences
        where collective_id = ${collective}
          ${licenseeId ? sql`and licensee_id = ${licenseeId}` : sql``}
          ${revoked ? sql`and revoked = ${revoked === 'true'}` : sql``}
          ${after !== undefined ? sql`and id > ${String(after)}` : sql``}
        order by id limit ${limit + 1}`;
      return c.json(toPage(rows, limit, licenceView, (r) => [r.id]), 200);
    })
    .openapi(issueRoute, async (c) => {
      const collectiveId = ownCollective(c);
      const body = c.req.valid('json');
      // The chaincode would refuse a foreign tariff with ACCESS.DENIED; answering 404 first keeps
      // other collectives' ids from being probed.
      const [tariff] = await sql`select 1 from rm.tariffs where id = ${body.tariffId} and collective_id = ${collectiveId}`;
      if (!tariff) throw notFound('tariff', body.tariffId, 'tariffId');
      const [licensee] = await sql`select 1 from rm.parties where id = ${body.licenseeId} and collective_id = ${collectiveId} and kind = 'licensee'`;
      if (!licensee) throw notFound('licensee', body.licenseeId, 'licenseeId');
      const res = await submitOp<{ licence: LicenceRecord }>(c, services, 'licensing:issueLicence', body);
      const [row] = await licenceRow(res.result.licence.id, collectiveId);
      return c.json({ licence: licenceView(row!), receipt: receipt(res) }, 201);
    })
    .openapi(revokeRoute, async (c) => {
      const collectiveId = ownCollective(c);
      const { id } = c.req.valid('param');
      if ((await licenceRow(id, collectiveId)).length === 0) throw notFound('licence', id);
      const res = await submitOp<{ licence: LicenceRecord }>(c, services, 'licensing:revokeLicence', { licenceId: id, ...c.req.valid('json') });
      const [row] = await licenceRow(id, collectiveId);
      return c.json({ licence: licenceView(row!), receipt: receipt(res) }, 200);
    });
}
