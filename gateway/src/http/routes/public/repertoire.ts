/**
 * Repertoire search (which works the collectives manage) and the public page of a work: creators,
 * current shares per right type with the unclaimed part, and recordings.
 *
 * Title and creator search match `rm.works.search_text`, which holds each title, alternate title
 * and creator name normalised by `normaliseTitle` (full-width folded, traditional Chinese turned
 * simplified, punctuation and spaces dropped). The query is normalised the same way, so `愛情`
 * finds `爱情` and `ＬＯＶＥ` finds `Love`; a substring `LIKE` over it uses the trigram GIN index
 * when pg_trgm is installed. Pages are keyset-paginated by work id.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { normaliseTitle } from '@rtl/distribution/matching/normalise';
import type postgres from 'postgres';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { decodeCursor, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { CollectiveQuery, DateString, jsonResponse, LedgerId, PUBLIC_TAG, publicErrors, todayUtc } from './common';
import { CreatorView, creatorViews, ShareSetView, workColumns, type WorkRow } from './works-query';

/** A work in search results. */
export const WorkSummary = z
  .object({
    id: z.string(),
    collectiveId: z.string(),
    iswc: z.string().nullable(),
    title: z.string(),
    alternateTitles: z.array(z.string()),
    creators: z.array(CreatorView),
  })
  .openapi('PublicWorkSummary');

/** The public page of a work. */
export const WorkPage = WorkSummary.extend({
  asOf: z.string().openapi({ description: 'Date the shares are in force on' }),
  shares: z.array(ShareSetView),
  recordings: z.array(z.object({ isrc: z.string(), title: z.string(), artist: z.string().nullable() })),
  registeredAt: z.string(),
  txId: z.string().openapi({ description: 'Ledger transaction that last registered or changed the work' }),
}).openapi('PublicWork');

/** Normalises an ISWC to the ledger's `T-DDD.DDD.DDD-C`, or undefined when it is not one. */
export function normaliseIswc(text: string): string | undefined {
  const m = /^T-?(\d{3})\.?(\d{3})\.?(\d{3})-?(\d)$/i.exec(text.trim());
  return m ? `T-${m[1]}.${m[2]}.${m[3]}-${m[4]}` : undefined;
}

/** Normalises an ISRC to the ledger's 12 characters without hyphens, or undefined when it is not one. */
export function normaliseIsrc(text: string): string | undefined {
  const s = text.trim().toUpperCase().replace(/-/g, '');
  return /^[A-Z]{2}[A-Z0-9]{3}\d{7}$/.test(s) ? s : undefined;
}

const SearchQuery = PageQuery.extend({
  q: z.string().min(1).max(200).optional().openapi({ description: 'Words of a title, alternate title or creator name (any script; full-width and traditional Chinese match too)', example: '爱情' }),
  iswc: z.string().max(20).optional().openapi({ example: 'T-300.000.037-1' }),
  isrc: z.string().max(15).optional().openapi({ example: 'CNMC12600004' }),
  creator: z.string().min(1).max(200).optional().openapi({ description: 'Part of a creator name' }),
  collective: CollectiveQuery,
});

const searchRoute = createRoute({
  method: 'get',
  path: '/repertoire',
  tags: [PUBLIC_TAG],
  summary: 'Search the repertoire by title, ISWC, ISRC or creator; works by id, keyset-paginated',
  request: { query: SearchQuery },
  responses: { 200: jsonResponse(pageOf(WorkSummary), 'Matching works'), ...publicErrors },
});

const workRoute = createRoute({
  method: 'get',
  path: '/works/{id}',
  tags: [PUBLIC_TAG],
  summary: 'A work: creators, current shares per right type with the unclaimed part, recordings',
  request: {
    params: z.object({ id: LedgerId.openapi({ example: 'MCSC-W0001' }) }),
    query: z.object({ asOf: DateString.optional().openapi({ description: 'Shares in force on this date (default today, UTC)' }) }),
  },
  responses: { 200: jsonResponse(WorkPage, 'The work'), ...publicErrors },
});

/** A normalised, validated search. */
interface Search {
  text?: string;
  creator?: string;
  iswc?: string;
  isrc?: string;
  collective?: string;
}

function parseSearch(q: z.infer<typeof SearchQuery>): Search {
  const s: Search = {};
  if (q.q !== undefined) {
    s.text = normaliseTitle(q.q);
    if (s.text === '') throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'q: nothing to search for once spaces and punctuation are removed', { field: 'q' });
  }
  if (q.creator !== undefined) {
    s.creator = normaliseTitle(q.creator);
    if (s.creator === '') throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'creator: nothing to search for once spaces and punctuation are removed', { field: 'creator' });
  }
  if (q.iswc !== undefined) {
    s.iswc = normaliseIswc(q.iswc);
    if (!s.iswc) throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'iswc: expected an ISWC such as T-123.456.789-0', { field: 'iswc' });
  }
  if (q.isrc !== undefined) {
    s.isrc = normaliseIsrc(q.isrc);
    if (!s.isrc) throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'isrc: expected an ISRC such as CN-A01-26-00001', { field: 'isrc' });
  }
  if (q.collective !== undefined) s.collective = q.collective;
  return s;
}

/** `LIKE` pattern matching `text` anywhere (it is normalised, but may still hold `%`-like characters). */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * `w.search_text` contains `text`. With three characters or more the `LIKE` can use the trigram
 * index. A shorter text has no trigram, so the index would hand back every row to recheck; and
 * since postgres.js prepares statements, the generic plan PostgreSQL settles on after a few calls
 * cannot tell the two apart and picks the index for both (measured: a two-character search ran at
 * a third of the speed of a sequential match). `strpos` matches exactly the same rows (both compare
 * characters, and `containing` escapes the `LIKE` wildcards) but never uses that index.
 */
function containsSql(sql: postgres.Sql, text: string) {
  return [...text].length >= 3 ? sql`w.search_text like ${containing(text)}` : sql`strpos(w.search_text, ${text}) > 0`;
}

type SummaryRow = Pick<WorkRow, 'id' | 'collective_id' | 'iswc' | 'title' | 'alternate_titles' | 'creators'>;

/**
 * Works matching `s` after `afterId`, at most `want`. The creator filter is checked on the
 * creators themselves (a title containing the name is not a match), so candidates from the
 * indexed `search_text` match are fetched in batches until `want` are found or none remain.
 */
export async function searchWorks(sql: postgres.Sql, s: Search, afterId: string | undefined, want: number): Promise<SummaryRow[]> {
  const found: SummaryRow[] = [];
  const batch = s.creator ? Math.max(want, 100) : want;
  let after = afterId;
  for (;;) {
    const rows = await sql<SummaryRow[]>`
      select w.id, w.collective_id, w.iswc, w.title, w.data->'alternateTitles' as alternate_titles, w.data->'creators' as creators
      from rm.works w
      where true
        ${s.text ? sql`and ${containsSql(sql, s.text)}` : sql``}
        ${s.creator ? sql`and ${containsSql(sql, s.creator)}` : sql``}
        ${s.iswc ? sql`and w.iswc = ${s.iswc}` : sql``}
        ${s.isrc ? sql`and w.id in (select r.work_id from rm.recordings r where r.isrc = ${s.isrc})` : sql``}
        ${s.collective ? sql`and w.collective_id = ${s.collective}` : sql``}
        ${after !== undefined ? sql`and w.id > ${after}` : sql``}
      order by w.id limit ${batch}`;
    for (const r of rows) {
      const creator = s.creator;
      if (creator === undefined || (r.creators ?? []).some((c) => normaliseTitle(c.name).includes(creator))) found.push(r);
      if (found.length === want) return found;
    }
    if (rows.length < batch) return found;
    after = rows.at(-1)?.id;
  }
}

function summary(r: SummaryRow): z.infer<typeof WorkSummary> {
  return { id: r.id, collectiveId: r.collective_id, iswc: r.iswc, title: r.title, alternateTitles: r.alternate_titles ?? [], creators: creatorViews(r) };
}

/** Routes for the repertoire. */
export function repertoireRoutes(services: Services) {
  const { sql } = services;
  return newRouter()
    .openapi(searchRoute, async (c) => {
      const q = c.req.valid('query');
      const search = parseSearch(q);
      const after = decodeCursor(q.cursor, 1)?.[0];
      const rows = await searchWorks(sql, search, after === undefined ? undefined : String(after), q.limit + 1);
      return c.json(toPage(rows, q.limit, summary, (r) => [r.id]), 200);
    })
    .openapi(workRoute, async (c) => {
      const { id } = c.req.valid('param');
      const asOf = c.req.valid('query').asOf ?? todayUtc();
      const [row] = await sql<WorkRow[]>`select ${workColumns(sql, asOf)} from rm.works w where w.id = ${id}`;
      if (!row) throw new HttpError('NOT_FOUND', `no work ${id} in the repertoire`, { field: 'id' });
      const recordings = await sql<{ isrc: string; title: string; artist: string | null }[]>`
        select isrc, title, data->>'artist' as artist from rm.recordings where work_id = ${id} order by isrc`;
      return c.json(
        { ...summary(row), asOf, shares: row.shares, recordings: recordings.map((r) => ({ isrc: r.isrc, title: r.title, artist: r.artist })), registeredAt: row.at.toISOString(), txId: row.tx_id },
        200,
      );
    });
}
