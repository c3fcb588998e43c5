/**
 * `GET /collectives`: every collective on the ledger with its headcounts (members, licensees,
 * works) and its money per currency — collected, distributed, management fees, undistributed —
 * each a figure the regulator can drill into through `/figures/{figure}/transactions`.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../../services';
import { errorResponses, MoneyString, newRouter } from '../../openapi';
import { minorOf, moneyText } from './amounts';
import { json, SECURITY, TAG } from './schemas';

const CollectiveTotals = z
  .object({ currency: z.string(), collected: MoneyString, distributed: MoneyString, fees: MoneyString, undistributed: MoneyString })
  .openapi('CollectiveTotals');

const CollectiveSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    mspId: z.string().nullable(),
    country: z.string().nullable(),
    members: z.number().int(),
    licensees: z.number().int(),
    works: z.number().int(),
    totals: z.array(CollectiveTotals),
  })
  .openapi('CollectiveSummary');

const route = createRoute({
  method: 'get',
  path: '/collectives',
  tags: [TAG],
  summary: 'Every collective with its members, licensees and works, and what it collected, distributed, took in fees and still holds',
  security: SECURITY,
  responses: { 200: json(z.object({ items: z.array(CollectiveSummary) }), 'Collectives, by id'), ...errorResponses },
});

/** The collectives overview. */
export function collectivesRouter(services: Services) {
  const { sql } = services;
  return newRouter().openapi(route, async (c) => {
    const collectives = await sql<Array<{ id: string; name: string; msp_id: string | null; country: string | null }>>`
      select id, name, data->>'mspId' as msp_id, data->>'country' as country from rm.parties where kind = 'collective' order by id`;
    const parties = await sql<Array<{ collective_id: string; kind: string; n: string }>>`
      select collective_id, kind, count(*)::text as n from rm.parties where kind in ('member', 'licensee') group by 1, 2`;
    const works = await sql<Array<{ collective_id: string; n: string }>>`select collective_id, count(*)::text as n from rm.works group by 1`;
    // One pass over the pool and fee postings; numeric sums, exact.
    const money = await sql<Array<{ collective_id: string; currency: string; collected: string; distributed: string; undistributed: string; fees: string }>>`
      select collective_id, currency,
        coalesce(sum(-amount) filter (where account_kind = 'pool' and entry_kind <> 'distribution'), 0)::text as collected,
        coalesce(sum(amount) filter (where account_kind = 'pool' and entry_kind = 'distribution'), 0)::text as distributed,
        coalesce(sum(-amount) filter (where account_kind = 'pool'), 0)::text as undistributed,
        coalesce(sum(-amount) filter (where account_kind = 'cmo:fees'), 0)::text as fees
      from rm.postings
      where account_kind in ('pool', 'cmo:fees')
      group by 1, 2
      order by 1, 2`;
    const count = (rows: Array<{ collective_id: string; n: string; kind?: string }>, id: string, kind?: string) =>
      Number(rows.find((r) => r.collective_id === id && (kind === undefined || r.kind === kind))?.n ?? '0');
    const m = (text: string, currency: string) => moneyText(minorOf(text, currency), currency);
    const items = collectives.map((col) => ({
      id: col.id,
      name: col.name,
      mspId: col.msp_id,
      country: col.country,
      members: count(parties, col.id, 'member'),
      licensees: count(parties, col.id, 'licensee'),
      works: count(works, col.id),
      totals: money
        .filter((r) => r.collective_id === col.id)
        .map((r) => ({ currency: r.currency, collected: m(r.collected, r.currency), distributed: m(r.distributed, r.currency), fees: m(r.fees, r.currency), undistributed: m(r.undistributed, r.currency) })),
    }));
    return c.json({ items }, 200);
  });
}
