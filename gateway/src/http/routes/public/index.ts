/**
 * The public router, mounted at `/api/public`: what anyone may read without signing in — tariffs
 * and quotes, the repertoire, licence verification, transparency figures, unidentified works in
 * suspense, receipts and the chain, and open data downloads. No route here looks at who is
 * calling, so hot answers are shared through a short-lived cache with ETags (`response-cache.ts`);
 * licence verification, suspense and downloads are always read fresh.
 */
import type { Services } from '../../../services';
import { newRouter } from '../../openapi';
import { chainRoutes } from './chain';
import { licenceRoutes } from './licences';
import { openDataRoutes } from './open-data';
import { repertoireRoutes } from './repertoire';
import { cachedGets, ResponseCache, type ResponseCacheOptions } from './response-cache';
import { suspenseRoutes } from './suspense';
import { tariffRoutes } from './tariffs';
import { transparencyRoutes } from './transparency';

/** Options of the public router. */
export interface PublicRouterOptions {
  /** The shared answer cache (default: 1 s). */
  cache?: ResponseCacheOptions;
  /** How long a chain verification result is reused (default 30 s). */
  verifyTtlMs?: number;
}

/** Paths (inside the router) whose GET answers are cached. */
const CACHED_PATHS = ['/tariffs', '/tariffs/*', '/repertoire', '/works/*', '/transparency/*', '/chain', '/chain/*', '/receipts/*'];

/** Builds the public router. */
export function publicRouter(services: Services, options: PublicRouterOptions = {}) {
  const router = newRouter();
  const cached = cachedGets(new ResponseCache(options.cache));
  for (const path of CACHED_PATHS) router.use(path, cached);
  return router
    .route('/', tariffRoutes(services))
    .route('/', repertoireRoutes(services))
    .route('/', licenceRoutes(services))
    .route('/', transparencyRoutes(services))
    .route('/', suspenseRoutes(services))
    .route('/', chainRoutes(services, options.verifyTtlMs === undefined ? {} : { verifyTtlMs: options.verifyTtlMs }))
    .route('/', openDataRoutes(services));
}

/** The public router's type, for a typed client. */
export type PublicRouter = ReturnType<typeof publicRouter>;
