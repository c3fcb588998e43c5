/**
 * Transparency figures anyone may read: per income pool what was collected, distributed, taken as
 * management fee and deductions, held in suspense and still undistributed, and how old the
 * undistributed money is (see `pool-figures.ts` for the definitions).
 */
import { createRoute, z } from '@hono/zod-openapi';
import type { Services } from '../../../services';
import { newRouter } from '../../openapi';
import { CollectiveQuery, DateString, jsonResponse, PeriodString, PUBLIC_TAG, publicErrors, todayUtc } from './common';
import { AgeFigures, PoolFigures, poolFigures, undistributedByAge } from './pool-figures';

const poolsRoute = createRoute({
  method: 'get',
  path: '/transparency/pools',
  tags: [PUBLIC_TAG],
  summary: 'Per income pool (collective × right × use × period): collected, distributed, management fee and its ratio, deductions, suspense, undistributed',
  request: { query: z.object({ collective: CollectiveQuery, period: PeriodString.optional().openapi({ example: '2026Q3' }) }) },
  responses: { 200: jsonResponse(z.object({ items: z.array(PoolFigures) }), 'Pools by collective, period, right type and use type'), ...publicErrors },
});

const ageRoute = createRoute({
  method: 'get',
  path: '/transparency/undistributed-by-age',
  tags: [PUBLIC_TAG],
  summary: 'Money still in pools and suspense by age since the end of its period, per collective',
  request: { query: z.object({ collective: CollectiveQuery, asOf: DateString.optional().openapi({ description: 'Ages on this date (default today, UTC)' }) }) },
  responses: { 200: jsonResponse(z.object({ asOf: z.string(), items: z.array(AgeFigures) }), 'Undistributed money by age'), ...publicErrors },
});

/** Routes for the transparency figures. */
export function transparencyRoutes(services: Services) {
  const { sql } = services;
  return newRouter()
    .openapi(poolsRoute, async (c) => {
      const q = c.req.valid('query');
      return c.json({ items: await poolFigures(sql, { ...(q.collective && { collective: q.collective }), ...(q.period && { period: q.period }) }) }, 200);
    })
    .openapi(ageRoute, async (c) => {
      const q = c.req.valid('query');
      const asOf = q.asOf ?? todayUtc();
      return c.json({ asOf, items: await undistributedByAge(sql, asOf, q.collective) }, 200);
    });
}
