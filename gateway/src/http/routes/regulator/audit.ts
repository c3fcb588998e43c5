/**
 * `GET /audit`: the gateway's append-only audit log (who did what, with which outcome, and which
 * ledger transaction it produced), newest first — the person behind each write, which the ledger
 * alone does not name for members and licensees acting through their collective's organisation.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { listAudit } from '../../../auth/audit';
import type { Services } from '../../../services';
import { errorResponses, newRouter } from '../../openapi';
import { json, SECURITY, TAG } from './schemas';

const AuditEntry = z
  .object({
    id: z.string(),
    at: z.string().openapi({ format: 'date-time' }),
    userId: z.string().nullable(),
    username: z.string().nullable(),
    role: z.string().nullable(),
    action: z.string(),
    target: z.string().nullable(),
    outcome: z.enum(['ok', 'denied', 'error']),
    ip: z.string().nullable(),
    requestId: z.string().nullable(),
    txId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
  })
  .openapi('AuditEntry');

const route = createRoute({
  method: 'get',
  path: '/audit',
  tags: [TAG],
  summary: 'The audit log, newest first (keyset: pass `nextBefore` as `before`)',
  security: SECURITY,
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      before: z.string().regex(/^[1-9][0-9]{0,18}$/, 'expected an audit entry id').optional().openapi({ description: 'Only entries with a smaller id' }),
    }),
  },
  responses: { 200: json(z.object({ entries: z.array(AuditEntry), nextBefore: z.string().nullable() }), 'A page of the audit log'), ...errorResponses },
});

/** The audit log route. */
export function auditRouter(services: Services) {
  return newRouter().openapi(route, async (c) => {
    const { limit, before } = c.req.valid('query');
    const page = await listAudit(services.sql, { limit, ...(before !== undefined && { before }) });
    return c.json({ entries: page.entries.map((e) => ({ ...e, at: e.at.toISOString() })), nextBefore: page.nextBefore }, 200);
  });
}
