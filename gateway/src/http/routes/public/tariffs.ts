/**
 * Published tariffs with the reasoning behind them, and fee quotes from them: what a licensee
 * would pay for a given usage, line by line, computed exactly by the same code the demo and the
 * collectives use (`@rtl/distribution/tariff`).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { TariffRecord } from '@rtl/chaincode';
import { MoneyError } from '@rtl/distribution/money';
import { quoteInputSchema, quoteTariff, tariffFormulaSchema, type QuoteInput, type TariffFormula } from '@rtl/distribution/tariff';
import { bodyLimit } from 'hono/body-limit';
import { ZodError } from 'zod';
import type { Services } from '../../../services';
import { HttpError } from '../../http-error';
import { decodeCursor, newRouter, pageOf, PageQuery, toPage } from '../../openapi';
import { CollectiveQuery, jsonResponse, LedgerId, PUBLIC_TAG, publicErrors } from './common';

/** A published tariff as the public sees it. */
export const TariffView = z
  .object({
    id: z.string(),
    collectiveId: z.string(),
    name: z.string(),
    useType: z.string(),
    rightTypes: z.array(z.string()),
    reasoning: z.string().openapi({ description: 'Why the tariff is what it is, as the collective published it' }),
    formula: tariffFormulaSchema,
    effectiveFrom: z.string(),
    effectiveTo: z.string().nullable(),
    supersedes: z.string().nullable(),
    publishedAt: z.string(),
    txId: z.string().openapi({ description: 'Ledger transaction that published it (see GET /api/public/receipts/{txId})' }),
  })
  .openapi('PublicTariff');

/** One tariff row of the read model. */
export interface TariffRow {
  id: string;
  data: TariffRecord;
  tx_id: string;
}

/** The public view of a tariff row. */
export function tariffView(r: TariffRow): z.infer<typeof TariffView> {
  const t = r.data;
  return {
    id: t.id,
    collectiveId: t.collectiveId,
    name: t.name,
    useType: t.useType,
    rightTypes: t.rightTypes,
    reasoning: t.reasoning,
    formula: t.formula,
    effectiveFrom: t.effectiveFrom,
    effectiveTo: t.effectiveTo ?? null,
    supersedes: t.supersedes ?? null,
    publishedAt: t.at,
    txId: t.txId ?? r.tx_id,
  };
}

const QuoteLineView = z.object({ label: z.string(), amount: z.string().openapi({ example: '1234.50' }) });

const listRoute = createRoute({
  method: 'get',
  path: '/tariffs',
  tags: [PUBLIC_TAG],
  summary: 'Published tariffs with their reasoning (no sign-in needed)',
  request: {
    query: PageQuery.extend({
      collective: CollectiveQuery,
      useType: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, 'expected a lower-case use type').optional().openapi({ example: 'ktv' }),
    }),
  },
  responses: { 200: jsonResponse(pageOf(TariffView), 'Tariffs by id'), ...publicErrors },
});

const getRoute = createRoute({
  method: 'get',
  path: '/tariffs/{id}',
  tags: [PUBLIC_TAG],
  summary: 'One published tariff with its reasoning and formula',
  request: { params: z.object({ id: LedgerId.openapi({ example: 'MCSC-T-KTV-2026' }) }) },
  responses: { 200: jsonResponse(TariffView, 'The tariff'), ...publicErrors },
});

const quoteRoute = createRoute({
  method: 'post',
  path: '/tariffs/{id}/quote',
  tags: [PUBLIC_TAG],
  summary: 'What a usage would cost under a tariff: exact quote lines and their total (a read: nothing is recorded, no Idempotency-Key)',
  request: {
    params: z.object({ id: LedgerId.openapi({ example: 'MCSC-T-KTV-2026' }) }),
    body: { required: true, content: { 'application/json': { schema: quoteInputSchema } } },
  },
  responses: {
    200: jsonResponse(
      z.object({ tariffId: z.string(), currency: z.string(), total: z.string(), lines: z.array(QuoteLineView), effectiveFrom: z.string(), effectiveTo: z.string().nullable() }).openapi('TariffQuote'),
      'The quote: each line rounded half-up to the minor unit once; the total is the sum of the lines',
    ),
    ...publicErrors,
  },
});

/** A quote body larger than this is refused before it is parsed (10,000 terminals × 366 days fits). */
const MAX_QUOTE_BODY = 8 * 1024 * 1024;

/** Runs the quote, turning the formula's own validation into a 400 naming the usage field. */
function quote(tariffId: string, formula: TariffFormula, usage: QuoteInput) {
  if (formula.kind !== usage.kind) {
    throw new HttpError('VALIDATION.INVALID_ARGUMENT', `kind: tariff ${tariffId} is a '${formula.kind}' tariff, not '${usage.kind}'`, { field: 'kind', expected: formula.kind });
  }
  try {
    return quoteTariff(formula, usage);
  } catch (e) {
    if (e instanceof ZodError) {
      // Issues are at `usage.*` (the body) or `formula.*` (the stored tariff, which the ledger validated).
      const first = e.issues[0];
      const path = first?.path.map(String) ?? [];
      const field = path[0] === 'usage' ? path.slice(1).join('.') : 'body';
      throw new HttpError('VALIDATION.INVALID_ARGUMENT', `${field}: ${first?.message ?? 'invalid usage'}`, { field });
    }
    if (e instanceof MoneyError) throw new HttpError('VALIDATION.INVALID_ARGUMENT', e.message, { field: e.field ?? 'body', moneyCode: e.code });
    throw e;
  }
}

/** Routes for tariffs and quotes. */
export function tariffRoutes(services: Services) {
  const { sql } = services;
  const router = newRouter();
  router.use(
    '/tariffs/:id/quote',
    bodyLimit({
      maxSize: MAX_QUOTE_BODY,
      onError: () => {
        throw new HttpError('VALIDATION.INVALID_ARGUMENT', `body: a quote request is at most ${MAX_QUOTE_BODY} bytes`, { field: 'body' });
      },
    }),
  );
  // Hono's validator answers a body that is not declared JSON with its own 415, which the app
  // would render as a 500; say what is wrong instead.
  router.use('/tariffs/:id/quote', async (c, next) => {
    if (c.req.method === 'POST' && !/^application\/([a-z0-9.+-]*\+)?json\b/i.test(c.req.header('content-type') ?? '')) {
      throw new HttpError('VALIDATION.INVALID_ARGUMENT', 'body: send the usage as JSON (Content-Type: application/json)', { field: 'body' });
    }
    return next();
  });
  const readTariff = async (id: string): Promise<TariffRow> => {
    const [row] = await sql<TariffRow[]>`select id, data, tx_id from rm.tariffs where id = ${id}`;
    if (!row) throw new HttpError('NOT_FOUND', `no published tariff ${id}`, { field: 'id' });
    return row;
  };
  return router
    .openapi(listRoute, async (c) => {
      const q = c.req.valid('query');
      const after = decodeCursor(q.cursor, 1)?.[0];
      const rows = await sql<TariffRow[]>`
        select id, data, tx_id from rm.tariffs
        where true
          ${q.collective ? sql`and collective_id = ${q.collective}` : sql``}
          ${q.useType ? sql`and use_type = ${q.useType}` : sql``}
          ${after !== undefined ? sql`and id > ${String(after)}` : sql``}
        order by id limit ${q.limit + 1}`;
      return c.json(toPage(rows, q.limit, tariffView, (r) => [r.id]), 200);
    })
    .openapi(getRoute, async (c) => c.json(tariffView(await readTariff(c.req.valid('param').id)), 200))
    .openapi(quoteRoute, async (c) => {
      const { id } = c.req.valid('param');
      const usage = c.req.valid('json');
      const t = (await readTariff(id)).data;
      const q = quote(id, t.formula, usage);
      return c.json({ tariffId: id, currency: q.currency, total: q.total, lines: q.lines, effectiveFrom: t.effectiveFrom, effectiveTo: t.effectiveTo ?? null }, 200);
    });
}
