/**
 * Repertoire coverage: a licensee sends a playlist or catalogue and learns which entries its
 * collective manages (work id, ISWC, how it matched), which it does not (and why), and the exact
 * coverage percentage. Read-only, so no Idempotency-Key.
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { RepertoireIndex } from '@rtl/distribution/matching/index';
import { ParseError, type RejectedLine } from '@rtl/distribution/parsers/common';
import { parseUsageCsv, USAGE_COLUMNS } from '@rtl/distribution/parsers/csv';
import type { MatchableUsage } from '@rtl/distribution/matching/index';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { ErrorBody, errorResponses, newRouter } from '../../openapi';
import { licenseeOf } from './caller';
import type { RepertoireCache } from './repertoire-cache';
import { PayloadTooLarge, readBodyText } from './upload';

/** Largest playlist accepted, in bytes and entries: the answer lists every entry. */
export const COVERAGE_MAX_BYTES = 2 * 1024 * 1024;
export const COVERAGE_MAX_ENTRIES = 20_000;

const ManagedEntry = z.object({
  line: z.number().int(),
  query: z.object({ title: z.string().nullable(), creators: z.array(z.string()) }),
  workId: z.string(),
  iswc: z.string().nullable(),
  title: z.string().openapi({ description: 'The managed work’s title' }),
  method: z.enum(['work_id', 'iswc', 'isrc', 'title_creator']),
});
const UnmanagedEntry = z.object({
  line: z.number().int(),
  query: z.object({ title: z.string().nullable(), creators: z.array(z.string()) }),
  reason: z.string().openapi({ example: 'UNMATCHED.NOT_FOUND' }),
});

const CoverageView = z
  .object({
    collectiveId: z.string(),
    format: z.enum(['csv', 'list']),
    total: z.number().int(),
    matched: z.number().int(),
    coveragePercent: z.string().openapi({ example: '83.33', description: 'matched / total × 100, exact, rounded half up to 2 decimals' }),
    managed: z.array(ManagedEntry),
    notManaged: z.array(UnmanagedEntry),
    rejected: z.array(z.object({ line: z.number().int(), field: z.string().nullable(), code: z.string(), message: z.string() })),
  })
  .openapi('RepertoireCoverage');

const textBody = z.string().openapi({ example: '月亮代表我的心 - 翁清溪\nThe Moon Represents My Heart - Weng Ching-hsi' });

const coverageRoute = createRoute({
  method: 'post',
  path: '/coverage',
  tags: ['licensee'],
  summary: 'Which works of a playlist or catalogue your collective manages (CSV with the usage.csv columns, or "title - artist" per line)',
  request: { body: { required: true, content: { 'text/plain': { schema: textBody }, 'text/csv': { schema: textBody } } } },
  responses: {
    200: { description: 'The coverage of the list', content: { 'application/json': { schema: CoverageView } } },
    ...errorResponses,
    413: { description: 'Larger than 2 MB: `VALIDATION.PAYLOAD_TOO_LARGE`', content: { 'application/json': { schema: ErrorBody } } },
  },
});

/** matched / total × 100 with 2 decimals, rounded half up, in exact integer arithmetic. */
export function coveragePercent(matched: number, total: number): string {
  if (total === 0) return '0.00';
  const num = BigInt(matched) * 10_000n;
  const den = BigInt(total);
  let q = num / den;
  if ((num % den) * 2n >= den) q += 1n;
  return `${q / 100n}.${String(q % 100n).padStart(2, '0')}`;
}

interface Entry {
  line: number;
  usage: MatchableUsage;
}

// "title - artist", also with an en or em dash; the last separator splits, so titles may contain dashes.
const SEPARATOR = /\s+[-–—]\s+/g;

/** A plain list: one "title - artist" (or just a title) per line. */
export function parsePlainList(text: string): Entry[] {
  const out: Entry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const seps = [...line.matchAll(SEPARATOR)];
    const last = seps.at(-1);
    if (!last || last.index === undefined) {
      out.push({ line: i + 1, usage: { title: line, creators: [] } });
      return;
    }
    const title = line.slice(0, last.index).trim();
    const artist = line.slice(last.index + last[0].length).trim();
    out.push({ line: i + 1, usage: { title, creators: artist.split(/\s*[&,/]\s*|\s+feat\.?\s+/i).filter((a) => a !== '') } });
  });
  return out;
}

function isUsageCsv(text: string): boolean {
  const first = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return first.trim().toLowerCase() === USAGE_COLUMNS.join(',');
}

async function parseCsvList(text: string): Promise<{ entries: Entry[]; rejected: RejectedLine[] }> {
  const rejected: RejectedLine[] = [];
  try {
    const { records } = await parseUsageCsv([text], { onError: 'quarantine', rejects: rejected }).collect();
    return { entries: records.map((u) => ({ line: u.line, usage: u })), rejected };
  } catch (e) {
    if (e instanceof ParseError) throw new HttpError('VALIDATION.INVALID_ARGUMENT', `body: ${e.message}`, { field: e.field ?? 'body', parseCode: e.code, line: e.line });
    throw e;
  }
}

function coverageOf(index: RepertoireIndex, entries: Entry[]) {
  const managed: z.infer<typeof ManagedEntry>[] = [];
  const notManaged: z.infer<typeof UnmanagedEntry>[] = [];
  for (const { line, usage } of entries) {
    const query = { title: usage.title ?? null, creators: [...(usage.creators ?? [])] };
    const m = index.match(usage);
    if (m.matched) {
      const work = index.getWork(m.workId);
      managed.push({ line, query, workId: m.workId, iswc: work?.iswc ?? null, title: work?.titles[0] ?? m.workId, method: m.method });
    } else notManaged.push({ line, query, reason: m.reason });
  }
  return { managed, notManaged };
}

/** `POST /coverage`. */
export function coverageRoutes(_services: Services, repertoire: RepertoireCache) {
  return newRouter().openapi(coverageRoute, async (c) => {
    const me = licenseeOf(c.var.user);
    const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (mediaType !== 'text/plain' && mediaType !== 'text/csv') {
      throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'content-type: send the list as text/plain or text/csv', { field: 'content-type' });
    }
    let text: string;
    try {
      text = await readBodyText(c.req.raw.body, COVERAGE_MAX_BYTES);
    } catch (e) {
      if (e instanceof PayloadTooLarge) return c.json({ error: { code: 'VALIDATION.PAYLOAD_TOO_LARGE', message: e.message, details: { field: 'body', limit: COVERAGE_MAX_BYTES } } }, 413);
      throw e;
    }
    const csv = isUsageCsv(text);
    const { entries, rejected } = csv ? await parseCsvList(text) : { entries: parsePlainList(text), rejected: [] as RejectedLine[] };
    if (entries.length === 0) throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'body: the list holds no entries', { field: 'body' });
    if (entries.length > COVERAGE_MAX_ENTRIES) throw new HttpError('VALIDATION.INVALID_ARGUMENT', `body: at most ${COVERAGE_MAX_ENTRIES} entries per request`, { field: 'body' });
    const { managed, notManaged } = coverageOf(await repertoire.get(me.collectiveId), entries);
    return c.json(
      {
        collectiveId: me.collectiveId,
        format: csv ? ('csv' as const) : ('list' as const),
        total: entries.length,
        matched: managed.length,
        coveragePercent: coveragePercent(managed.length, entries.length),
        managed,
        notManaged,
        rejected: rejected.map((r) => ({ line: r.line, field: r.field ?? null, code: r.code, message: r.message })),
      },
      200,
    );
  });
}
