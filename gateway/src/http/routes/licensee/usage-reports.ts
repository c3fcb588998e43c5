/**
 * Usage reports: a licensee uploads its usage file (DDEX DSR flat file or `usage.csv`) as the raw
 * request body; the gateway streams it to `DATA_DIR/uploads/<id>.<ext>`, validates and matches it
 * against its collective's repertoire, stores the validation report in `offchain.usage_reports`
 * and answers with it. The report id derives from the Idempotency-Key: repeating the upload with
 * the same key and the same bytes returns the first report; other bytes are a conflict.
 */
import { createHash, randomUUID } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AuthEnv } from '../../../auth/env';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { decodeCursor, ErrorBody, errorResponses, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { commandIdOf, IdempotencyHeaders } from '../../writes';
import { licenseeOf } from './caller';
import { periodRange, PeriodString } from './period';
import type { RepertoireCache } from './repertoire-cache';
import { PayloadTooLarge, streamBodyToFile } from './upload';
import { UnreadableUsageFile, validateUsageFile, type UsageFormat, type UsageReport } from './usage-validation';

/** Default upload limit: 50 MB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** Media types a usage file may be sent as, and the format each implies when `format` is absent. */
const MEDIA_TYPES: Record<string, UsageFormat | undefined> = {
  'text/plain': undefined,
  'text/csv': 'csv',
  'text/tab-separated-values': 'dsr',
};

const ReportBody = z
  .object({
    format: z.enum(['dsr', 'csv']),
    lines: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    errorCount: z.number().int(),
    warningCount: z.number().int(),
    rejects: z.array(z.object({ line: z.number().int(), field: z.string().nullable(), code: z.string(), message: z.string() })),
    rejectsTruncated: z.boolean(),
    matched: z.object({ lines: z.number().int(), plays: z.string(), byMethod: z.record(z.string(), z.number().int()) }),
    unmatched: z.object({ lines: z.number().int(), plays: z.string(), byReason: z.record(z.string(), z.number().int()) }),
    totalPlays: z.string(),
  })
  .openapi('UsageValidationReport');

const UsageReportSummary = z
  .object({
    id: z.string(),
    period: z.string(),
    format: z.enum(['dsr', 'csv']),
    licenceId: z.string().nullable(),
    sha256: z.string(),
    lines: z.number().int(),
    accepted: z.number().int(),
    rejected: z.number().int(),
    totalPlays: z.string(),
    createdAt: z.string(),
  })
  .openapi('UsageReportSummary');

const UsageReportView = UsageReportSummary.extend({ report: ReportBody }).openapi('UsageReport');

const UploadQuery = z.object({
  period: PeriodString,
  format: z.enum(['dsr', 'csv']).optional().openapi({ description: 'Defaults from the Content-Type: text/csv → csv, text/tab-separated-values → dsr; required with text/plain' }),
});

const fileBody = z.string().openapi({ format: 'binary' });

const uploadRoute = createRoute({
  method: 'post',
  path: '/usage-reports',
  tags: ['licensee'],
  summary: 'Upload a usage report (DSR flat file or usage.csv) as the raw body; answers with its validation and matching report',
  request: {
    query: UploadQuery,
    headers: IdempotencyHeaders,
    body: {
      required: true,
      content: { 'text/plain': { schema: fileBody }, 'text/csv': { schema: fileBody }, 'text/tab-separated-values': { schema: fileBody } },
    },
  },
  responses: {
    201: { description: 'Stored and validated', content: { 'application/json': { schema: UsageReportView } } },
    200: { description: 'The same upload repeated with the same Idempotency-Key: the first report', content: { 'application/json': { schema: UsageReportView } } },
    ...errorResponses,
    413: { description: 'The body is larger than the limit (50 MB): `VALIDATION.PAYLOAD_TOO_LARGE`', content: { 'application/json': { schema: ErrorBody } } },
    415: { description: 'Not a text/plain, text/csv or text/tab-separated-values body: `VALIDATION.UNSUPPORTED_MEDIA_TYPE`', content: { 'application/json': { schema: ErrorBody } } },
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/usage-reports',
  tags: ['licensee'],
  summary: 'Your usage reports, newest first',
  request: { query: PageQuery },
  responses: { 200: { description: 'A page of usage reports', content: { 'application/json': { schema: pageOf(UsageReportSummary) } } }, ...errorResponses },
});

const getRoute = createRoute({
  method: 'get',
  path: '/usage-reports/{id}',
  tags: ['licensee'],
  summary: 'One of your usage reports with its validation report',
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 200: { description: 'The usage report', content: { 'application/json': { schema: UsageReportView } } }, ...errorResponses },
});

interface ReportRow {
  id: string;
  licensee_id: string;
  period: string;
  format: UsageFormat;
  licence_id: string | null;
  sha256: string;
  lines: number;
  accepted: number;
  rejected: number;
  total_plays: string;
  created_at: Date;
  created_key: string;
  report: UsageReport;
}

const COLUMNS = 'id, licensee_id, period, format, licence_id, sha256, lines, accepted, rejected, total_plays::text as total_plays, created_at, created_at::text as created_key';

function summaryView(r: ReportRow): z.infer<typeof UsageReportSummary> {
  return { id: r.id, period: r.period, format: r.format, licenceId: r.licence_id, sha256: r.sha256, lines: r.lines, accepted: r.accepted, rejected: r.rejected, totalPlays: r.total_plays, createdAt: r.created_at.toISOString() };
}

/** Options of the usage report routes. */
export interface UsageReportOptions {
  /** Largest accepted body in bytes (default 50 MB). */
  maxUploadBytes?: number;
}

function statusError(c: Context<AuthEnv>, status: 413 | 415, code: string, message: string, details: Record<string, unknown>) {
  return c.json({ error: { code, message, details } }, status);
}

/** `POST /usage-reports`, `GET /usage-reports`, `GET /usage-reports/{id}`. */
export function usageReportRoutes(services: Services, repertoire: RepertoireCache, options: UsageReportOptions = {}) {
  const { sql } = services;
  const limit = options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  const findOwn = async (id: string, partyId: string) =>
    (await sql.unsafe<ReportRow[]>(`select ${COLUMNS}, report from offchain.usage_reports where id = $1 and licensee_id = $2`, [id, partyId]))[0];

  return newRouter()
    .openapi(uploadRoute, async (c) => {
      const me = licenseeOf(c.var.user);
      const query = c.req.valid('query');
      const mediaType = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!(mediaType in MEDIA_TYPES)) {
        return statusError(c, 415, 'VALIDATION.UNSUPPORTED_MEDIA_TYPE', 'send the file as text/plain, text/csv or text/tab-separated-values', { field: 'content-type', accepted: Object.keys(MEDIA_TYPES) });
      }
      const format = query.format ?? MEDIA_TYPES[mediaType];
      if (!format) throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'format: dsr or csv is required for a text/plain body', { field: 'format' });
      const declared = Number(c.req.header('content-length') ?? '0');
      if (Number.isFinite(declared) && declared > limit) return statusError(c, 413, 'VALIDATION.PAYLOAD_TOO_LARGE', `the file exceeds the limit of ${limit} bytes`, { field: 'body', limit });
      const commandId = commandIdOf(c);
      const id = `UR-${createHash('sha256').update(commandId).digest('hex').slice(0, 24)}`;
      c.set('auditAction', 'licensee.usage_report.upload');
      c.set('auditTarget', `usage_report:${id}`);

      const dir = resolve(services.config.DATA_DIR, 'uploads');
      const ext = format === 'dsr' ? 'tsv' : 'csv';
      const finalPath = join(dir, `${id}.${ext}`);
      // Written under a unique temporary name and renamed only once the report is stored, so a
      // failed or concurrent upload never leaves or overwrites a file a stored report points at.
      const tempPath = join(dir, `${id}.${randomUUID()}.part`);
      let stored;
      try {
        stored = await streamBodyToFile(c.req.raw.body, tempPath, limit);
      } catch (e) {
        if (e instanceof PayloadTooLarge) return statusError(c, 413, 'VALIDATION.PAYLOAD_TOO_LARGE', e.message, { field: 'body', limit });
        throw e;
      }
      try {
        const existing = await sql<{ licensee_id: string; sha256: string }[]>`select licensee_id, sha256 from offchain.usage_reports where id = ${id}`;
        if (existing[0]) {
          if (existing[0].licensee_id !== me.partyId || existing[0].sha256 !== stored.sha256) {
            throw new HttpError('ALREADY_EXISTS', 'this Idempotency-Key was used for another file', { field: 'Idempotency-Key' });
          }
          const row = await findOwn(id, me.partyId);
          if (row) return c.json({ ...summaryView(row), report: row.report }, 200);
        }
        if (stored.bytes === 0) throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'body: the file is empty', { field: 'body' });
        let report: UsageReport;
        try {
          report = await validateUsageFile(tempPath, format, await repertoire.get(me.collectiveId), `${id}.${ext}`);
        } catch (e) {
          if (e instanceof UnreadableUsageFile) {
            throw new HttpError('VALIDATION.INVALID_ARGUMENT', `body: ${e.message}`, { field: e.field ?? 'body', parseCode: e.code, line: e.line });
          }
          throw e;
        }
        const { from, to } = periodRange(query.period);
        // The licence the report falls under: the licensee's unrevoked licence whose term overlaps the period.
        const [licence] = await sql<{ id: string }[]>`
          select id from rm.licences where licensee_id = ${me.partyId} and not revoked and valid_from <= ${to} and valid_to >= ${from}
          order by valid_from desc, id limit 1`;
        const inserted = await sql<{ id: string }[]>`
          insert into offchain.usage_reports ${sql({
            id,
            collective_id: me.collectiveId,
            licensee_id: me.partyId,
            licence_id: licence?.id ?? null,
            format,
            period: query.period,
            file_path: finalPath,
            sha256: stored.sha256,
            lines: report.lines,
            accepted: report.accepted,
            rejected: report.rejected,
            total_plays: report.totalPlays,
            report: sql.json(report as unknown as Parameters<typeof sql.json>[0]),
            uploaded_by: me.username,
          })} on conflict (id) do nothing returning id`;
        if (inserted.length === 0) {
          // A concurrent request with the same key stored first; answer as a repeat would.
          const row = await findOwn(id, me.partyId);
          if (row && row.sha256 === stored.sha256) return c.json({ ...summaryView(row), report: row.report }, 200);
          throw new HttpError('ALREADY_EXISTS', 'this Idempotency-Key was used for another file', { field: 'Idempotency-Key' });
        }
        await rename(tempPath, finalPath);
        const row = await findOwn(id, me.partyId);
        if (!row) throw new Error(`usage report ${id} vanished after insert`);
        return c.json({ ...summaryView(row), report: row.report }, 201);
      } finally {
        await rm(tempPath, { force: true });
      }
    })
    .openapi(listRoute, async (c) => {
      const me = licenseeOf(c.var.user);
      const { limit: pageSize, cursor } = c.req.valid('query');
      const after = decodeCursor(cursor, 2);
      const rows = after
        ? await sql.unsafe<ReportRow[]>(
            `select ${COLUMNS} from offchain.usage_reports where licensee_id = $1 and (created_at, id) < ($2::timestamptz, $3) order by created_at desc, id desc limit $4`,
            [me.partyId, String(after[0]), String(after[1]), pageSize + 1],
          )
        : await sql.unsafe<ReportRow[]>(`select ${COLUMNS} from offchain.usage_reports where licensee_id = $1 order by created_at desc, id desc limit $2`, [me.partyId, pageSize + 1]);
      return c.json(toPage(rows, pageSize, summaryView, (r) => [r.created_key, r.id]), 200);
    })
    .openapi(getRoute, async (c) => {
      const me = licenseeOf(c.var.user);
      const { id } = c.req.valid('param');
      const row = await findOwn(id, me.partyId);
      if (!row) throw new HttpError('NOT_FOUND', `no usage report ${id} of yours`, { field: 'id' });
      return c.json({ ...summaryView(row), report: row.report }, 200);
    });
}
