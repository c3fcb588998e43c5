/**
 * `GET /distributions/{id}/carried-releases`: the carried-forward balances a run released to its
 * members' payable accounts because they had reached the run's payment threshold
 * (`distribution:releaseCarried`, one transaction per member), each with its receipt. A release is
 * `planned` from the moment the job fixed it until its transaction is recorded.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../../services';
import { decodeCursor, errorResponses, MoneyString, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { TxReceipt, txReceipt } from '../regulator/schemas';
import { IdString, json, notFound, operator, SECURITY } from './common';

const ReleaseView = z
  .object({
    memberId: z.string(),
    memberName: z.string().nullable(),
    amount: MoneyString.openapi({ description: 'The whole carried-forward balance, moved to payable' }),
    currency: z.string(),
    threshold: MoneyString.openapi({ description: 'The run’s payment threshold the balance had reached' }),
    status: z.enum(['planned', 'released']),
    receipt: TxReceipt.nullable().openapi({ description: 'The release transaction; null while planned' }),
    releasedAt: z.string().nullable().openapi({ format: 'date-time', description: 'Time of the release transaction' }),
  })
  .openapi('CarriedRelease');

const route = createRoute({
  method: 'get',
  path: '/distributions/{id}/carried-releases',
  tags: ['operator'],
  summary: 'Carried-forward balances the run released to payable, by member',
  security: SECURITY,
  request: { params: z.object({ id: IdString }), query: PageQuery },
  responses: { 200: json(pageOf(ReleaseView).extend({ total: z.array(z.object({ currency: z.string(), amount: MoneyString })) }), 'A page of releases and their total'), ...errorResponses },
});

interface Row {
  party_id: string;
  name: string | null;
  amount: string;
  currency: string;
  threshold: string;
  status: 'planned' | 'released';
  tx_id: string | null;
  block_number: string | null;
  tx_index: number | null;
  released_at: string | null;
}

/** The route. */
export function carriedReleaseRoutes(services: Services) {
  const { sql } = services;
  return newRouter().openapi(route, async (c) => {
    const { collectiveId } = operator(c);
    const { id } = c.req.valid('param');
    const { limit, cursor } = c.req.valid('query');
    const [run] = await sql`select 1 from offchain.distribution_runs where id = ${id} and collective_id = ${collectiveId}`;
    if (!run) throw notFound('distribution run', id);
    const after = decodeCursor(cursor, 1);
    const rows = await sql<Row[]>`
      select r.party_id, p.name, r.amount::text as amount, r.currency, r.threshold::text as threshold, r.status, r.tx_id,
        coalesce(t.block_number, r.block_number)::text as block_number, t.tx_index,
        to_char(t.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as released_at
      from offchain.carried_releases r
        left join rm.parties p on p.id = r.party_id
        left join rm.transactions t on t.tx_id = r.tx_id
      where r.run_id = ${id} ${after ? sql`and r.party_id > ${String(after[0])}` : sql``}
      order by r.party_id limit ${limit + 1}`;
    const total = await sql<Array<{ currency: string; amount: string }>>`
      select currency, sum(amount)::text as amount from offchain.carried_releases where run_id = ${id} and status = 'released' group by currency order by currency`;
    const page = toPage(
      rows,
      limit,
      (r) => ({
        memberId: r.party_id,
        memberName: r.name,
        amount: r.amount,
        currency: r.currency,
        threshold: r.threshold,
        status: r.status,
        receipt: r.tx_id ? txReceipt(r.tx_id, r.block_number, r.tx_index) : null,
        releasedAt: r.released_at,
      }),
      (r) => [r.party_id],
    );
    return c.json({ ...page, total }, 200);
  });
}
