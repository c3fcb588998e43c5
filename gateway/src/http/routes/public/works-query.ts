/**
 * SQL over the read model's repertoire shared by the work page and the open-data download: a
 * work with its creators and its current shares per right type (the latest version effective on
 * the given date), each holder named, and the unclaimed part. Shares leave PostgreSQL as text.
 */
import type postgres from 'postgres';
import { z } from '@hono/zod-openapi';

/** A creator credit as published on the ledger. */
export const CreatorView = z.object({
  name: z.string(),
  role: z.string(),
  partyId: z.string().nullable(),
  ipiNameNumber: z.string().nullable(),
});

/** The shares of one right type in force on a date. */
export const ShareSetView = z.object({
  rightType: z.string(),
  effectiveFrom: z.string(),
  unclaimed: z.string().openapi({ description: 'Percentage no known rights holder claims; its royalties are held in suspense', example: '12.5000' }),
  holders: z.array(z.object({ partyId: z.string(), name: z.string().nullable(), share: z.string().openapi({ example: '33.3333', description: 'Percentage' }) })),
});

/** A work row with creators and current shares, as the queries below return it. */
export interface WorkRow {
  id: string;
  collective_id: string;
  iswc: string | null;
  title: string;
  alternate_titles: string[] | null;
  creators: Array<{ name: string; role: string; partyId?: string; ipiNameNumber?: string }> | null;
  shares: Array<z.infer<typeof ShareSetView>>;
  tx_id: string;
  at: Date;
}

/** Creator credits in their public form (no field the ledger did not publish). */
export function creatorViews(row: Pick<WorkRow, 'creators'>): Array<z.infer<typeof CreatorView>> {
  return (row.creators ?? []).map((c) => ({ name: c.name, role: c.role, partyId: c.partyId ?? null, ipiNameNumber: c.ipiNameNumber ?? null }));
}

/**
 * The select list and joins producing {@link WorkRow} for works aliased `w`, with shares in force
 * on `asOf`. One version per right type through `distinct on`, over the shares' primary key.
 */
export function workColumns(sql: postgres.Sql, asOf: string) {
  return sql`
    w.id, w.collective_id, w.iswc, w.title, w.data->'alternateTitles' as alternate_titles, w.data->'creators' as creators, w.tx_id, w.at,
    coalesce((
      select json_agg(json_build_object(
        'rightType', s.right_type,
        'effectiveFrom', to_char(s.effective_from, 'YYYY-MM-DD'),
        'unclaimed', s.unclaimed::text,
        'holders', coalesce((
          select json_agg(json_build_object('partyId', h.party_id, 'name', p.name, 'share', h.share::text) order by h.party_id)
          from rm.share_holders h left join rm.parties p on p.id = h.party_id
          where h.work_id = s.work_id and h.right_type = s.right_type and h.effective_from = s.effective_from), '[]'::json)
      ) order by s.right_type)
      from (
        select distinct on (right_type) work_id, right_type, effective_from, unclaimed
        from rm.shares where work_id = w.id and effective_from <= ${asOf}::date
        order by right_type, effective_from desc
      ) s
    ), '[]'::json) as shares`;
}
