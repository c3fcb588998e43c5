/**
 * A member's own works: every work in which it holds a share, with its share per right type in the
 * share version in force today (a work whose current versions no longer name the member is listed
 * with share `0` for those right types, so a transferred share stays visible).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../../services';
import { decodeCursor, errorResponses, newRouter, pageOf, PageQuery } from '../../openapi';
import { encodeCursor } from '../../openapi';
import { memberOf } from './caller';

const ShareView = z.object({
  rightType: z.string().openapi({ example: 'performing' }),
  share: z.string().openapi({ example: '50', description: 'Your share in percent, exact' }),
  effectiveFrom: z.string(),
  unclaimed: z.string().openapi({ description: 'Part of the work nobody has claimed for this right, in percent' }),
});

const WorkView = z
  .object({
    id: z.string(),
    title: z.string(),
    iswc: z.string().nullable(),
    creators: z.array(z.object({ name: z.string(), role: z.string(), partyId: z.string().nullable() })),
    shares: z.array(ShareView),
  })
  .openapi('MemberWork');

const worksRoute = createRoute({
  method: 'get',
  path: '/works',
  tags: ['member'],
  summary: 'Your works, with your current share per right type',
  request: { query: PageQuery },
  responses: { 200: { description: 'A page of works, by id', content: { 'application/json': { schema: pageOf(WorkView) } } }, ...errorResponses },
});

interface Row {
  id: string;
  title: string;
  iswc: string | null;
  creators: Array<{ name: string; role: string; partyId?: string }>;
  right_type: string | null;
  effective_from: string | null;
  share: string | null;
  unclaimed: string | null;
}

/** `GET /works`. */
export function workRoutes(services: Services) {
  const { sql } = services;
  return newRouter().openapi(worksRoute, async (c) => {
    const me = memberOf(c.var.user);
    const { limit, cursor } = c.req.valid('query');
    const after = decodeCursor(cursor, 1);
    const today = new Date().toISOString().slice(0, 10);
    // The page is chosen on share_holders_party (party, work); the current version per right type
    // is then one index range per work.
    const rows = await sql<Row[]>`
      with mine as (
        select distinct work_id from rm.share_holders
        where party_id = ${me.partyId} ${after ? sql`and work_id > ${String(after[0])}` : sql``}
        order by work_id limit ${limit + 1}
      )
      select w.id, w.title, w.iswc, w.data->'creators' as creators,
             cur.right_type, cur.effective_from::text as effective_from,
             coalesce(h.share, 0)::text as share, s.unclaimed::text as unclaimed
      from mine
      join rm.works w on w.id = mine.work_id
      left join lateral (
        select distinct on (right_type) right_type, effective_from from rm.shares
        where work_id = mine.work_id and effective_from <= ${today}
        order by right_type, effective_from desc
      ) cur on true
      left join rm.shares s on s.work_id = mine.work_id and s.right_type = cur.right_type and s.effective_from = cur.effective_from
      left join rm.share_holders h on h.work_id = mine.work_id and h.right_type = cur.right_type and h.effective_from = cur.effective_from and h.party_id = ${me.partyId}
      order by w.id, cur.right_type`;
    const works: z.infer<typeof WorkView>[] = [];
    for (const r of rows) {
      let w = works.at(-1);
      if (!w || w.id !== r.id) {
        w = { id: r.id, title: r.title, iswc: r.iswc, creators: (r.creators ?? []).map((x) => ({ name: x.name, role: x.role, partyId: x.partyId ?? null })), shares: [] };
        works.push(w);
      }
      if (r.right_type && r.effective_from && r.share !== null) w.shares.push({ rightType: r.right_type, share: r.share, effectiveFrom: r.effective_from, unclaimed: r.unclaimed ?? '0' });
    }
    const items = works.slice(0, limit);
    const last = items.at(-1);
    return c.json({ items, nextCursor: works.length > limit && last ? encodeCursor([last.id]) : null }, 200);
  });
}
