/**
 * Benchmark: hot public reads through the whole gateway over HTTP on loopback, against the same
 * endpoints written the straightforward way with Express and `pg` over the same database.
 *
 * Starts an embedded PostgreSQL, the embedded ledger with the demo data, the read model and the
 * gateway (`createApp`, served by `@hono/node-server`), then loads each endpoint with autocannon
 * (a separate process, so the load generator does not share the server's event loop) and prints
 * requests per second and p99 latency, the Express + pg figures, and the ratio.
 *
 *   npm run bench:gateway [-- --duration 10 --connections 32]
 *
 * Endpoints: the repertoire search (`/api/public/repertoire?q=…`) and a work page
 * (`/api/public/works/{id}`); both also with `Cache-Control: no-cache`, which makes the gateway
 * skip its short-lived answer cache, so the uncached path is measured too.
 */
import { serve } from '@hono/node-server';
import { contractInstances } from '@rtl/chaincode';
import { normaliseTitle } from '@rtl/distribution/matching/normalise';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { availableParallelism } from 'node:os';
import postgres from 'postgres';
import { z } from 'zod';
import { AuthService } from '../gateway/src/auth/service';
import { loadConfig } from '../gateway/src/config';
import { startPostgres } from '../gateway/src/db/postgres-server';
import { seedDemo } from '../gateway/src/demo/seed';
import { createApp } from '../gateway/src/http/app';
import { EmbeddedLedger } from '../gateway/src/ledger/embedded/embedded-ledger';
import { migrateOffchain } from '../gateway/src/offchain/schema';
import { migrateReadModel, Projector, readCheckpoint } from '../gateway/src/readmodel';
import type { Services } from '../gateway/src/services';

const argsSchema = z.object({
  duration: z.coerce.number().int().min(1).max(600).default(10),
  connections: z.coerce.number().int().min(1).max(1000).default(32),
});

function parseArgs(argv: string[]): z.infer<typeof argsSchema> {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i]?.replace(/^--/, '');
    if (k && argv[i + 1] !== undefined) raw[k] = argv[i + 1]!;
  }
  return argsSchema.parse(raw);
}

// ---- the comparison: the same two endpoints with Express and pg (no cache, no validation library) ----

// Express and pg ship no type declarations of their own; the bench needs only this much of them.
interface PgPool {
  query<R>(text: string, values: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
}
interface ExpressRequest {
  params: Record<string, string>;
  query: Record<string, unknown>;
}
interface ExpressResponse {
  status(code: number): ExpressResponse;
  json(body: unknown): void;
}
interface ExpressApp {
  get(path: string, handler: (req: ExpressRequest, res: ExpressResponse) => void): void;
  listen(port: number, host: string, cb: () => void): Server;
}
const require = createRequire(import.meta.url);
const express = require('express') as () => ExpressApp;
const { Pool } = require('pg') as { Pool: new (options: { connectionString: string; max: number }) => PgPool };

interface CreatorJson {
  name: string;
  role: string;
  partyId?: string;
  ipiNameNumber?: string;
}

const creatorsOf = (list: CreatorJson[] | null) => (list ?? []).map((c) => ({ name: c.name, role: c.role, partyId: c.partyId ?? null, ipiNameNumber: c.ipiNameNumber ?? null }));

const WORK_SQL = `
  select w.id, w.collective_id, w.iswc, w.title, w.data->'alternateTitles' as alternate_titles, w.data->'creators' as creators, w.tx_id, w.at,
    coalesce((
      select json_agg(json_build_object(
        'rightType', s.right_type, 'effectiveFrom', to_char(s.effective_from, 'YYYY-MM-DD'), 'unclaimed', s.unclaimed::text,
        'holders', coalesce((
          select json_agg(json_build_object('partyId', h.party_id, 'name', p.name, 'share', h.share::text) order by h.party_id)
          from rm.share_holders h left join rm.parties p on p.id = h.party_id
          where h.work_id = s.work_id and h.right_type = s.right_type and h.effective_from = s.effective_from), '[]'::json)
      ) order by s.right_type)
      from (select distinct on (right_type) work_id, right_type, effective_from, unclaimed
            from rm.shares where work_id = w.id and effective_from <= $1::date order by right_type, effective_from desc) s
    ), '[]'::json) as shares
  from rm.works w where w.id = $2`;

/** The two endpoints as a straightforward Express + pg service: same SQL, same JSON. */
async function startExpress(databaseUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const app = express();
  app.get('/api/public/repertoire', (req, res) => {
    const q = normaliseTitle(String(req.query.q ?? ''));
    const limit = Math.min(200, Math.max(1, Number(req.query.limit ?? 50)));
    pool
      .query<{ id: string; collective_id: string; iswc: string | null; title: string; alternate_titles: string[] | null; creators: CreatorJson[] | null }>(
        `select w.id, w.collective_id, w.iswc, w.title, w.data->'alternateTitles' as alternate_titles, w.data->'creators' as creators
         from rm.works w where w.search_text like $1 order by w.id limit $2`,
        [`%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`, limit + 1],
      )
      .then(({ rows }) => {
        const items = rows.slice(0, limit);
        const last = items.at(-1);
        res.json({
          items: items.map((r) => ({ id: r.id, collectiveId: r.collective_id, iswc: r.iswc, title: r.title, alternateTitles: r.alternate_titles ?? [], creators: creatorsOf(r.creators) })),
          nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify([last.id])).toString('base64url') : null,
        });
      })
      .catch(() => res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error', details: {} } }));
  });
  app.get('/api/public/works/:id', (req, res) => {
    const id = req.params.id ?? '';
    const asOf = new Date().toISOString().slice(0, 10);
    type Row = { id: string; collective_id: string; iswc: string | null; title: string; alternate_titles: string[] | null; creators: CreatorJson[] | null; shares: unknown; tx_id: string; at: Date };
    Promise.all([
      pool.query<Row>(WORK_SQL, [asOf, id]),
      pool.query<{ isrc: string; title: string; artist: string | null }>(`select isrc, title, data->>'artist' as artist from rm.recordings where work_id = $1 order by isrc`, [id]),
    ])
      .then(([{ rows }, recordings]) => {
        const r = rows[0];
        if (!r) return res.status(404).json({ error: { code: 'NOT_FOUND', message: `no work ${id} in the repertoire`, details: { field: 'id' } } });
        res.json({
          id: r.id, collectiveId: r.collective_id, iswc: r.iswc, title: r.title, alternateTitles: r.alternate_titles ?? [], creators: creatorsOf(r.creators),
          asOf, shares: r.shares, recordings: recordings.rows, registeredAt: r.at.toISOString(), txId: r.tx_id,
        });
      })
      .catch(() => res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error', details: {} } }));
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise((r) => server.close(r));
      await pool.end();
    },
  };
}

// ---- load generation ----

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** Runs autocannon in its own process against `url` and returns its figures. */
function load(url: string, opts: { duration: number; connections: number; headers?: Record<string, string> }): Promise<LoadResult> {
  const args = [require.resolve('autocannon/autocannon.js'), '-j', '-c', String(opts.connections), '-d', String(opts.duration)];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}=${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) return reject(err);
      const r = JSON.parse(stdout) as { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number };
      resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
    });
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => console.log(line);
  console.log(`gateway benchmark: ${availableParallelism()} CPUs, ${args.connections} connections, ${args.duration} s per run`);
  const pg = await startPostgres({ ephemeral: true, log: () => {} });
  const sql = postgres(pg.url, { max: 10, onnotice: () => {} });
  const ledger = await EmbeddedLedger.open({ sql, contracts: contractInstances(), log: () => {} });
  await migrateReadModel(sql);
  await migrateOffchain(sql);
  const auth = await AuthService.open(sql, {});
  const projector = new Projector(ledger, sql, { log: () => {} });
  projector.start();
  log('seeding the demo data…');
  await seedDemo(ledger, () => {});
  const { height } = await ledger.info();
  for (let i = 0; i < 2000; i++) {
    const cp = await readCheckpoint(sql);
    if (cp && cp.blockNumber >= height - 1n) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  const services: Services = { config: loadConfig({}), ledger, sql, projector, auth, log: () => {} };
  const app = createApp(services, { seed: 'done' });
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const exp = await startExpress(pg.url);

  // The hot read of a search box and the page it leads to; check both answer the same first.
  const search = `/api/public/repertoire?q=${encodeURIComponent('梦里')}&limit=20`;
  const work = '/api/public/works/MCSC-W0012';
  for (const path of [search, work]) {
    const [a, b] = await Promise.all([fetch(gatewayUrl + path), fetch(exp.url + path)]);
    const [ja, jb] = await Promise.all([a.json(), b.json()]);
    if (a.status !== 200 || JSON.stringify(ja) !== JSON.stringify(jb)) throw new Error(`${path}: the gateway and Express answer differently`);
  }
  log('both servers give identical answers; loading…\n');

  const rows: Array<{ name: string; r: LoadResult }> = [];
  const run = async (name: string, url: string, headers?: Record<string, string>) => {
    await load(url, { duration: 1, connections: args.connections, ...(headers && { headers }) }); // warm-up
    const r = await load(url, { duration: args.duration, connections: args.connections, ...(headers && { headers }) });
    rows.push({ name, r });
    log(`${name.padEnd(44)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   non-2xx ${r.non2xx}  errors ${r.errors}`);
    return r;
  };
  const results: Record<string, { gw: LoadResult; gwCold: LoadResult; ex: LoadResult }> = {};
  for (const [label, path] of [['search', search], ['work page', work]] as const) {
    const gw = await run(`gateway ${label}`, gatewayUrl + path);
    const gwCold = await run(`gateway ${label} (Cache-Control: no-cache)`, gatewayUrl + path, { 'cache-control': 'no-cache' });
    const ex = await run(`express+pg ${label}`, exp.url + path);
    results[label] = { gw, gwCold, ex };
  }
  log('\nsummary (targets on 2 cores: ≥ 10,000 req/s, p99 < 25 ms, ≥ 3× Express + pg)');
  for (const [label, { gw, gwCold, ex }] of Object.entries(results)) {
    const ok = gw.rps >= 10_000 && gw.p99 < 25 && gw.rps >= 3 * ex.rps;
    log(
      `${label.padEnd(10)} gateway ${gw.rps.toFixed(0)} req/s p99 ${gw.p99} ms; uncached ${gwCold.rps.toFixed(0)} req/s p99 ${gwCold.p99} ms; ` +
        `express+pg ${ex.rps.toFixed(0)} req/s p99 ${ex.p99} ms; ratio ${(gw.rps / ex.rps).toFixed(2)}× (uncached ${(gwCold.rps / ex.rps).toFixed(2)}×) ${ok ? 'target met' : 'TARGET NOT MET'}`,
    );
  }

  server.close();
  await exp.close();
  await projector.stop();
  await ledger.close();
  await sql.end({ timeout: 5 });
  await pg.stop();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
