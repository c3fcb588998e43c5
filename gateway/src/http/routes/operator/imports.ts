/**
 * `POST /imports/cwr`: the CWR file is the raw request body. The import is planned at once (parse,
 * IPI mapping, checks) and recorded in `offchain.cwr_imports`; a small import (one ledger batch)
 * is written before the response (201 with the report), a bigger one continues in the background
 * (202) with its progress in that row, read with `GET /imports/cwr/{id}`. The import id derives
 * from the Idempotency-Key: the same key returns the import's state, and re-runs an import that
 * failed from its stored plan.
 */
import { createHash } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import type postgres from 'postgres';
import { LedgerError } from '@rtl/chaincode';
import type { AuthUser } from '../../../auth/identity';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { errorResponses, newRouter } from '../../openapi';
import { commandIdOf, IdempotencyHeaders } from '../../writes';
import { DateString, IdString, json, notFound, operator, SECURITY } from './common';
import { executeCwrImport, planCwrImport, readCwr, type CwrImportPlan } from './cwr-import';
import { WORKS_PER_TX } from './repertoire-schemas';

/** Largest CWR file accepted in one request. */
export const MAX_CWR_BYTES = 50 * 1024 * 1024;

const ImportView = z
  .object({
    id: z.string(),
    status: z.enum(['running', 'done', 'failed']),
    progress: z.number(),
    report: z.record(z.string(), z.unknown()).nullable(),
    error: z.record(z.string(), z.unknown()).nullable(),
  })
  .openapi('CwrImport');

const importRoute = createRoute({
  method: 'post',
  path: '/imports/cwr',
  tags: ['operator'],
  summary: 'Imports a CWR 2.x file (the raw body): works with PR/MR shares mapped to members by IPI; answers with an import report',
  security: SECURITY,
  request: {
    headers: IdempotencyHeaders,
    query: z.object({
      registerUnknown: z.enum(['true', 'false']).default('false').openapi({ description: 'Register writers and publishers with an unknown IPI as members' }),
      effectiveFrom: DateString.optional().openapi({ description: "When the shares take effect; default the file's creation date" }),
    }),
    body: { required: true, content: { 'application/octet-stream': { schema: z.string().openapi({ format: 'binary' }) }, 'text/plain': { schema: z.string() } } },
  },
  responses: {
    201: json(z.object({ import: ImportView }), 'Imported (small files): the report lists registered and rejected works'),
    202: json(z.object({ import: ImportView }), 'Accepted (big files): poll GET /imports/cwr/{id}'),
    ...errorResponses,
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/imports/cwr/{id}',
  tags: ['operator'],
  summary: 'An import of your collective: status, progress and report',
  security: SECURITY,
  request: { params: z.object({ id: IdString }) },
  responses: { 200: json(z.object({ import: ImportView }), 'The import'), ...errorResponses },
});

interface ImportRow {
  id: string;
  collective_id: string;
  status: 'running' | 'done' | 'failed';
  progress: string;
  sha256: string;
  options: Record<string, unknown>;
  report: (Record<string, unknown> & { plan?: CwrImportPlan }) | null;
  error: Record<string, unknown> | null;
}

const view = (r: ImportRow) => {
  const { plan: _plan, ...report } = r.report ?? {};
  return { id: r.id, status: r.status, progress: Number(r.progress), report: r.report ? report : null, error: r.error };
};

/** Routes for CWR imports. */
export function importRoutes(services: Services) {
  const { sql } = services;
  const active = new Set<string>();
  const load = async (id: string, collective: string) => (await sql<ImportRow[]>`select * from offchain.cwr_imports where id = ${id} and collective_id = ${collective}`)[0];
  const asJson = (v: unknown) => sql.json(v as postgres.JSONValue);

  const execute = async (id: string, user: AuthUser, collective: string, plan: CwrImportPlan, base: string) => {
    active.add(id);
    try {
      const report = await executeCwrImport(services, user, collective, plan, base, async (fraction) => {
        await sql`update offchain.cwr_imports set progress = ${fraction.toFixed(4)}, updated_at = now() where id = ${id}`;
      });
      await sql`update offchain.cwr_imports set status = 'done', progress = 1, report = ${asJson(report)}, error = null, updated_at = now() where id = ${id}`;
    } catch (e) {
      const error = e instanceof LedgerError ? { code: e.code, message: e.text, details: e.details } : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e), details: {} };
      await sql`update offchain.cwr_imports set status = 'failed', error = ${asJson(error)}, updated_at = now() where id = ${id}`;
      throw e;
    } finally {
      active.delete(id);
    }
  };

  return newRouter()
    .openapi(importRoute, async (c) => {
      const user = operator(c);
      const collective = user.collectiveId;
      const base = commandIdOf(c);
      const query = c.req.valid('query');
      const options = { registerUnknown: query.registerUnknown === 'true', ...(query.effectiveFrom && { effectiveFrom: query.effectiveFrom }) };
      const bytes = Buffer.from(await c.req.arrayBuffer());
      if (bytes.length === 0) throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'the body must be a CWR file', { field: 'body' });
      if (bytes.length > MAX_CWR_BYTES) throw new HttpError('VALIDATION.INVALID_ARGUMENT', `a CWR file of at most ${MAX_CWR_BYTES} bytes`, { field: 'body' });
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const id = `CWR-${createHash('sha256').update(base).digest('hex').slice(0, 24)}`;
      c.set('auditTarget', `cwr-import:${id}`);

      let row = await load(id, collective);
      if (row && (row.sha256 !== sha256 || JSON.stringify(row.options) !== JSON.stringify(options))) {
        throw new LedgerError('LEDGER.IDEMPOTENCY_CONFLICT', 'this Idempotency-Key was used for another import', { field: 'Idempotency-Key' });
      }
      if (row && (row.status === 'done' || active.has(id))) return c.json({ import: view(row) }, row.status === 'done' ? 201 : 202);

      let plan = row?.report?.plan;
      if (!plan) {
        const { summary } = await readCwr(bytes);
        if (!summary.header) throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'not a CWR file: no HDR record', { field: 'body' });
        plan = await planCwrImport(services, user, collective, bytes, base, options);
        await sql`insert into offchain.cwr_imports ${sql({ id, collective_id: collective, status: 'running', progress: 0, sha256, options: asJson(options), report: asJson({ plan }), created_by: user.username })}
          on conflict (id) do update set status = 'running', report = excluded.report, error = null, updated_at = now()`;
      } else {
        await sql`update offchain.cwr_imports set status = 'running', error = null, updated_at = now() where id = ${id}`;
      }
      if (plan.works.length <= WORKS_PER_TX) {
        await execute(id, user, collective, plan, base);
        row = (await load(id, collective))!;
        return c.json({ import: view(row) }, 201);
      }
      void execute(id, user, collective, plan, base).catch((e: unknown) => services.log(`cwr import ${id} failed: ${e instanceof Error ? e.message : String(e)}`));
      return c.json({ import: view((await load(id, collective))!) }, 202);
    })
    .openapi(getRoute, async (c) => {
      const { collectiveId } = operator(c);
      const { id } = c.req.valid('param');
      const row = await load(id, collectiveId);
      if (!row) throw notFound('import', id);
      return c.json({ import: view(row) }, 200);
    });
}
