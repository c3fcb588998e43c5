/**
 * Unidentified works: usage a distribution could not match to any registered work, held in
 * suspense until someone identifies and claims it. One item per distinct title and identifiers
 * (ISWC, ISRC) within a collective and currency, summed over every run, so a rights holder can find
 * a work of theirs that is waiting for a claim. Read from `offchain.suspense_lines` (reasons
 * `UNMATCHED.*`); unclaimed shares of registered works are not listed here (the work page shows them).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../../services';
import { decodeCursor, MoneyString, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { jsonResponse, PUBLIC_TAG, publicErrors, moneyText } from './common';
import { normaliseIsrc, normaliseIswc } from './repertoire';

const SuspenseWork = z
  .object({
    collectiveId: z.string(),
    title: z.string().nullable(),
    iswc: z.string().nullable(),
    isrc: z.string().nullable(),
    creators: z.array(z.string()),
    plays: z.string().openapi({ description: 'Total plays, as a decimal string (may exceed 2^53)' }),
    amount: MoneyString.openapi({ description: 'Amount held in suspense for this work' }),
    currency: z.string(),
    lines: z.number().int(),
    runs: z.array(z.string()),
    reasons: z.array(z.string()),
  })
  .openapi('SuspenseWork');

const listRoute = createRoute({
  method: 'get',
  path: '/suspense/works',
  tags: [PUBLIC_TAG],
  summary: 'Unidentified works whose royalties are held in suspense, searchable, keyset-paginated',
  request: {
    query: PageQuery.extend({
      q: z.string().min(1).max(200).optional().openapi({ description: 'Part of a title or creator name (case-insensitive), or an exact ISWC or ISRC' }),
    }),
  },
  responses: { 200: jsonResponse(pageOf(SuspenseWork), 'Works by collective, title, identifiers and currency'), ...publicErrors },
});

interface Row {
  collective_id: string;
  title_key: string;
  iswc_key: string;
  isrc_key: string;
  currency: string;
  title: string | null;
  creators: string[] | null;
  plays: string;
  amount: string;
  lines: number;
  runs: string[];
  reasons: string[];
}

/** Routes for the suspense list. */
export function suspenseRoutes(services: Services) {
  const { sql } = services;
  return newRouter().openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const after = decodeCursor(q.cursor, 5)?.map(String);
    const text = q.q?.trim().toLowerCase();
    const iswc = q.q ? normaliseIswc(q.q) : undefined;
    const isrc = q.q ? normaliseIsrc(q.q) : undefined;
    const like = text ? `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : undefined;
    const rows = await sql<Row[]>`
      with lines as (
        select r.collective_id, s.currency, s.run_id, s.reason, s.title, s.creators, s.plays, s.amount,
               lower(coalesce(s.title, '')) as title_key, upper(coalesce(s.iswc, '')) as iswc_key, upper(replace(coalesce(s.isrc, ''), '-', '')) as isrc_key
        from offchain.suspense_lines s join offchain.distribution_runs r on r.id = s.run_id
        where s.reason like 'UNMATCHED.%'
          ${like ? sql`and (lower(coalesce(s.title, '')) like ${like} or lower(coalesce(s.creators, '')) like ${like}
                       ${iswc ? sql`or upper(s.iswc) = ${iswc}` : sql``} ${isrc ? sql`or upper(replace(s.isrc, '-', '')) = ${isrc}` : sql``})` : sql``}
      )
      select collective_id, title_key, iswc_key, isrc_key, currency,
             min(title) as title,
             array_remove(array_agg(distinct creators), null) as creators,
             sum(plays)::text as plays, sum(amount)::text as amount, count(*)::int as lines,
             array_agg(distinct run_id order by run_id) as runs, array_agg(distinct reason order by reason) as reasons
      from lines
      group by collective_id, title_key, iswc_key, isrc_key, currency
      ${after ? sql`having (collective_id, title_key, iswc_key, isrc_key, currency) > (${after[0]!}, ${after[1]!}, ${after[2]!}, ${after[3]!}, ${after[4]!})` : sql``}
      order by collective_id, title_key, iswc_key, isrc_key, currency
      limit ${q.limit + 1}`;
    return c.json(
      toPage(
        rows,
        q.limit,
        (r) => ({
          collectiveId: r.collective_id,
          title: r.title,
          iswc: r.iswc_key || null,
          isrc: r.isrc_key || null,
          creators: r.creators ?? [],
          plays: r.plays,
          amount: moneyText(r.amount, r.currency),
          currency: r.currency,
          lines: r.lines,
          runs: r.runs,
          reasons: r.reasons,
        }),
        (r) => [r.collective_id, r.title_key, r.iswc_key, r.isrc_key, r.currency],
      ),
      200,
    );
  });
}
