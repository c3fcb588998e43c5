/**
 * Benchmark: hot public reads through the whole gateway over HTTP on loopback, against the same
 * endpoints written the straightforward way with Express and `pg` over the same database.
 *
 * Starts an embedded PostgreSQL, the embedded ledger with the demo data, the read model and the
 * gateway (`createApp`, served by `@hono/node-server`), then loads each endpoint with autocannon
 * (a separate process, so the load generator does not share the server's event loop) and prints
 * requests per second and p99 latency, the Express + pg figures, and the ratio.
 *
 *   npm run bench:gateway [-- --duration 10 --connections 32 --only search,work,statement]
 *
 * `BENCH_PG_MAX` sets the gateway's PostgreSQL pool size (default 10, as `main.ts`).
 *
 * Endpoints: the repertoire search (`/api/public/repertoire?q=…`) and a work page
 * (`/api/public/works/{id}`); both also with `Cache-Control: no-cache`, which makes the gateway
 * skip its short-lived answer cache, so the uncached path is measured too. And a member's statement
 * page (`/api/member/statements/{runId}?limit=50` as `member-MCSC-M001`, signed in through
 * `/auth/login`) over the demo distribution (`seedDemoDistribution`, as `main.ts` seeds it): it is
 * authenticated, so the public answer cache does not apply, but the run is done and sealed, so after
 * the first request the gateway serves the page's cached bytes (re-checking the caller's access at
 * most every two seconds; `routes/member/statement-page-cache.ts`); there is no switch to bypass that
 * cache, so only the cached path is measured here. It is measured twice: as plain JSON, and with
 * `Accept-Encoding: gzip` as browsers send it, for which the gateway keeps the page compressed.
 * Its Express twin does the same authorisation work per request (checks the token's HMAC and expiry, looks the session and its user up), runs the same SQL
 * and keeps one Merkle tree per run in memory (a final run's lines do not change), so both compute
 * the same proofs.
 */
import { serve } from '@hono/node-server';
import { contractInstances } from '@rtl/chaincode';
import { normaliseTitle } from '@rtl/distribution/matching/normalise';
import { hashLeafTextInto, MerkleTree } from '@rtl/distribution/merkle/tree';
import { toHex } from '@rtl/distribution/merkle/verify';
import { execFile } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import postgres from 'postgres';
import { z } from 'zod';
import { parseFlags } from './flags';
import { DEMO_ACCOUNTS, seedDemoUsers } from '../gateway/src/auth/demo-accounts';
import { loadOrCreateSecret, SESSION_SIGNING_KEY } from '../gateway/src/auth/secrets';
import { AuthService, authOptionsFromConfig } from '../gateway/src/auth/service';
import { loadConfig } from '../gateway/src/config';
import { startPostgres } from '../gateway/src/db/postgres-server';
import { seedDemo } from '../gateway/src/demo/seed';
import { seedDemoDistribution } from '../gateway/src/demo/seed-distribution';
import { createApp } from '../gateway/src/http/app';
import { EmbeddedLedger } from '../gateway/src/ledger/embedded/embedded-ledger';
import { migrateOffchain } from '../gateway/src/offchain/schema';
import { migrateReadModel, Projector, readCheckpoint } from '../gateway/src/readmodel';
import type { Services } from '../gateway/src/services';

const argsSchema = z.object({
  duration: z.coerce.number().int().min(1).max(600).default(10),
  connections: z.coerce.number().int().min(1).max(1000).default(32),
  /** Load only these endpoints (comma-separated: search, work, statement); all by default. */
  only: z
    .string()
    .regex(/^(search|work|statement)(,(search|work|statement))*$/, 'expected a comma-separated list of search, work, statement')
    .optional(),
});

function parseArgs(argv: string[]): z.infer<typeof argsSchema> {
  return parseFlags(argsSchema, argv);
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
  headers: Record<string, string | string[] | undefined>;
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

const RUN_SQL = `
  select m.run_id, r.collective_id, r.right_type, r.use_type, r.period, r.status, m.currency, m.lines,
         m.gross, m.fee, m.deductions, m.net,
         d.merkle_root, (d.data->>'statementLineCount')::int as tree_size, d.data->>'txId' as open_tx_id, d.status as ledger_status,
         tx.block_number::text as block_number
  from (
    select run_id, min(currency) as currency, count(*)::int as lines, sum(gross)::text as gross, sum(management_fee)::text as fee,
           sum(deductions)::text as deductions, sum(net)::text as net
    from offchain.statement_lines where party_id = $1 and run_id = $2
    group by run_id
  ) m
  join offchain.distribution_runs r on r.id = m.run_id and r.status in ('anchoring', 'done')
  left join rm.distributions d on d.id = m.run_id
  left join rm.transactions tx on tx.tx_id = d.data->>'txId'
  order by m.run_id desc limit 1`;

const LINES_SQL = `
  select sl.line_index, sl.work_id, w.title, w.iswc, sl.usage_source, sl.usage_report_id,
         coalesce(sl.licensee_id, ur.licensee_id) as licensee_id, p.name as licensee_name,
         ur.licence_id, l.tariff_id, t.data->>'name' as tariff_name,
         sl.period, sl.plays::text as plays, sl.share, sl.currency, sl.gross::text as gross, sl.management_fee::text as fee,
         sl.deductions::text as deductions, sl.net::text as net, sl.leaf
  from (select * from offchain.statement_lines sl where sl.party_id = $1 and sl.run_id = $2 order by sl.line_index limit $3) sl
  left join rm.works w on w.id = sl.work_id
  left join offchain.usage_reports ur on ur.id = sl.usage_report_id
  left join rm.parties p on p.id = coalesce(sl.licensee_id, ur.licensee_id)
  left join rm.licences l on l.id = ur.licence_id
  left join rm.tariffs t on t.id = l.tariff_id
  order by sl.line_index`;

type RunRow = Record<'run_id' | 'collective_id' | 'right_type' | 'use_type' | 'period' | 'status' | 'currency' | 'gross' | 'fee' | 'deductions' | 'net', string> & {
  lines: number;
  merkle_root: string | null;
  tree_size: number | null;
  open_tx_id: string | null;
  ledger_status: string | null;
  block_number: string | null;
};
type LineRow = Record<'work_id' | 'usage_source' | 'period' | 'plays' | 'share' | 'currency' | 'gross' | 'fee' | 'deductions' | 'net' | 'leaf', string> &
  Record<'title' | 'iswc' | 'usage_report_id' | 'licensee_id' | 'licensee_name' | 'licence_id' | 'tariff_id' | 'tariff_name', string | null> & { line_index: number };

const unauthorised = (res: ExpressResponse) =>
  res.status(401).json({ error: { code: 'AUTH.UNAUTHENTICATED', message: 'authentication required: the credential is missing, invalid, expired or revoked', details: {} } });

/** The endpoints as a straightforward Express + pg service: same SQL, same JSON. */
async function startExpress(databaseUrl: string, signingKey: Buffer): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const app = express();
  // The statement page: the same token check and session look-up as the gateway's, the same SQL.
  const trees = new Map<string, Promise<MerkleTree>>();
  const treeOf = (runId: string) => {
    let t = trees.get(runId);
    if (!t) {
      t = pool.query<{ line_index: number; leaf: string }>('select line_index, leaf from offchain.statement_lines where run_id = $1 order by line_index', [runId]).then(({ rows }) => {
        const buf = Buffer.alloc(rows.length * 32);
        rows.forEach((r, i) => hashLeafTextInto(r.leaf, buf, i * 32));
        return MerkleTree.fromLeafHashBuffer(buf, rows.length);
      });
      trees.set(runId, t);
    }
    return t;
  };
  app.get('/api/member/statements/:runId', (req, res) => {
    const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
    const [text, sig] = (m?.[1] ?? '').split('.');
    if (!text || !sig) return unauthorised(res);
    const expected = createHmac('sha256', signingKey).update(text, 'ascii').digest();
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return unauthorised(res);
    const claims = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { sub: string; sid: string; role: string; exp: number };
    if (claims.exp <= Date.now() / 1000) return unauthorised(res);
    const runId = req.params.runId ?? '';
    const limit = Math.min(200, Math.max(1, Number(req.query.limit ?? 50)));
    (async () => {
      const { rows: sessions } = await pool.query<{ user_id: string; revoked_at: Date | null; disabled_at: Date | null; role: string; party_id: string | null }>(
        'select s.user_id, s.revoked_at, u.disabled_at, u.role, u.party_id from auth.sessions s join auth.users u on u.id = s.user_id where s.sid = $1',
        [claims.sid],
      );
      const s = sessions[0];
      if (!s || s.user_id !== claims.sub || s.revoked_at || s.disabled_at || s.role !== claims.role) return unauthorised(res);
      if (s.role !== 'member' || !s.party_id) return res.status(403).json({ error: { code: 'AUTH.FORBIDDEN', message: 'members only', details: {} } });
      const run = (await pool.query<RunRow>(RUN_SQL, [s.party_id, runId])).rows[0];
      if (!run) return res.status(404).json({ error: { code: 'NOT_FOUND', message: `no statement of yours in run ${runId}`, details: { field: 'runId' } } });
      const [tree, { rows }] = await Promise.all([treeOf(runId), pool.query<LineRow>(LINES_SQL, [s.party_id, runId, limit + 1])]);
      const computedRoot = toHex(tree.root());
      const anchor = run.merkle_root && run.open_tx_id
        ? { merkleRoot: run.merkle_root, treeSize: run.tree_size ?? 0, txId: run.open_tx_id, blockNumber: run.block_number, status: run.ledger_status ?? 'open' }
        : null;
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      res.json({
        run: {
          runId: run.run_id, collectiveId: run.collective_id, pool: { rightType: run.right_type, useType: run.use_type, period: run.period }, status: run.status,
          currency: run.currency, lines: run.lines, gross: run.gross, fee: run.fee, deductions: run.deductions, net: run.net, anchor,
        },
        computedRoot,
        rootMatches: anchor !== null && anchor.merkleRoot.toLowerCase() === computedRoot && anchor.treeSize === tree.size,
        lines: {
          items: items.map((r) => ({
            index: r.line_index, workId: r.work_id, title: r.title, iswc: r.iswc, usageSource: r.usage_source, usageReportId: r.usage_report_id,
            licensee: r.licensee_id ? { id: r.licensee_id, name: r.licensee_name } : null, licenceId: r.licence_id,
            tariff: r.tariff_id ? { id: r.tariff_id, name: r.tariff_name } : null, period: r.period, plays: r.plays, share: r.share, currency: r.currency,
            gross: r.gross, fee: r.fee, deductions: r.deductions, net: r.net, leaf: r.leaf, proof: tree.proof(r.line_index).map((h) => toHex(h)),
          })),
          nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify([last.line_index])).toString('base64url') : null,
        },
      });
    })().catch(() => res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error', details: {} } }));
  });
  app.get('/api/public/repertoire', (req, res) => {
    const q = normaliseTitle(String(req.query.q ?? ''));
    const limit = Math.min(200, Math.max(1, Number(req.query.limit ?? 50)));
    pool
      .query<{ id: string; collective_id: string; iswc: string | null; title: string; alternate_titles: string[] | null; creators: CreatorJson[] | null }>(
        // The gateway's query: LIKE (trigram index) from three characters, strpos below.
        `select w.id, w.collective_id, w.iswc, w.title, w.data->'alternateTitles' as alternate_titles, w.data->'creators' as creators
         from rm.works w where ${[...q].length >= 3 ? 'w.search_text like $1' : 'strpos(w.search_text, $1) > 0'} order by w.id limit $2`,
        [[...q].length >= 3 ? `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%` : q, limit + 1],
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
  /** Average bytes received per response (headers and body, as sent on the wire). */
  bytes: number;
}

/** Runs autocannon in its own process against `url` and returns its figures. */
function load(url: string, opts: { duration: number; connections: number; headers?: Record<string, string> }): Promise<LoadResult> {
  const args = [require.resolve('autocannon/autocannon.js'), '-j', '-c', String(opts.connections), '-d', String(opts.duration)];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push('-H', `${k}=${v}`);
  args.push(url);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) return reject(err);
      const r = JSON.parse(stdout) as { requests: { average: number; total: number }; throughput: { total: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number };
      resolve({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors, bytes: r.requests.total > 0 ? r.throughput.total / r.requests.total : 0 });
    });
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const log = (line: string) => console.log(line);
  log(`gateway benchmark: ${availableParallelism()} CPUs, ${args.connections} connections, ${args.duration} s per run; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const pg = await startPostgres({ ephemeral: true, log: () => {} });
  const sql = postgres(pg.url, { max: Number(process.env.BENCH_PG_MAX ?? 10), onnotice: () => {} });
  const ledger = await EmbeddedLedger.open({ sql, contracts: contractInstances(), log: () => {} });
  await migrateReadModel(sql);
  await migrateOffchain(sql);
  const config = loadConfig({});
  const auth = await AuthService.open(sql, authOptionsFromConfig(config));
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
  await seedDemoUsers(auth);
  const services: Services = { config, ledger, sql, projector, auth, log: () => {} };
  const app = createApp(services, { seed: 'done' });
  log('seeding the demo distribution…');
  await seedDemoDistribution(app, sql, () => {});
  const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const exp = await startExpress(pg.url, await loadOrCreateSecret(sql, SESSION_SIGNING_KEY, 32));
  const member = DEMO_ACCOUNTS.find((a) => a.username === 'member-MCSC-M001')!;
  const signIn = await fetch(`${gatewayUrl}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: member.username, password: member.password }) });
  const { token } = (await signIn.json()) as { token: string };
  const bearer = { authorization: `Bearer ${token}` };
  const [run] = await sql<{ run_id: string }[]>`select run_id from offchain.statement_lines where party_id = ${member.partyId!} group by run_id order by run_id desc limit 1`;
  if (!run) throw new Error('the demo distribution left no statement lines for member-MCSC-M001');

  // The hot read of a search box and the page it leads to; check both answer the same first.
  const search = `/api/public/repertoire?q=${encodeURIComponent('梦里')}&limit=20`;
  const work = '/api/public/works/MCSC-W0012';
  const statement = `/api/member/statements/${encodeURIComponent(run.run_id)}?limit=50`;
  for (const path of [search, work, statement]) {
    const init = path === statement ? { headers: bearer } : {};
    const [a, b] = await Promise.all([fetch(gatewayUrl + path, init), fetch(exp.url + path, init)]);
    const [ja, jb] = await Promise.all([a.json(), b.json()]);
    if (a.status !== 200 || JSON.stringify(ja) !== JSON.stringify(jb)) throw new Error(`${path}: the gateway and Express answer differently`);
  }
  log('both servers give identical answers; loading…\n');

  const rows: Array<{ name: string; r: LoadResult }> = [];
  const measure = async (name: string, url: string, headers?: Record<string, string>) => {
    await load(url, { duration: 1, connections: args.connections, ...(headers && { headers }) }); // warm-up
    const r = await load(url, { duration: args.duration, connections: args.connections, ...(headers && { headers }) });
    rows.push({ name, r });
    log(`${name.padEnd(44)} ${r.rps.toFixed(0).padStart(8)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   ${(r.bytes / 1024).toFixed(1).padStart(6)} KiB/resp   non-2xx ${r.non2xx}  errors ${r.errors}`);
    return r;
  };
  const results: Record<string, { gw: LoadResult; gwCold: LoadResult; ex: LoadResult }> = {};
  const wanted = (name: string) => !args.only || args.only.split(',').includes(name);
  for (const [label, path] of [['search', search], ['work page', work]] as const) {
    if (!wanted(label === 'search' ? 'search' : 'work')) continue;
    const gw = await measure(`gateway ${label}`, gatewayUrl + path);
    const gwCold = await measure(`gateway ${label} (Cache-Control: no-cache)`, gatewayUrl + path, { 'cache-control': 'no-cache' });
    const ex = await measure(`express+pg ${label}`, exp.url + path);
    results[label] = { gw, gwCold, ex };
  }
  if (wanted('statement')) {
    // A done, sealed run: served from the statement page cache after the first request (no bypass,
    // so no uncached figure here).
    const gw = await measure('gateway statement (member, 50 lines, cached)', gatewayUrl + statement, bearer);
    const ex = await measure('express+pg statement (member, 50 lines)', exp.url + statement, bearer);
    results.statement = { gw, gwCold: gw, ex };
    // What a browser asks for: the gateway sends the page's precompressed gzip bytes; Express, written
    // the straightforward way, sends JSON whatever the client accepts.
    const gzip = { ...bearer, 'accept-encoding': 'gzip, deflate, br' };
    const gwz = await measure('gateway statement, Accept-Encoding: gzip', gatewayUrl + statement, gzip);
    const exz = await measure('express+pg statement, Accept-Encoding: gzip', exp.url + statement, gzip);
    results['statement (gzip)'] = { gw: gwz, gwCold: gwz, ex: exz };
  }
  log('\nsummary (targets on 2 cores: ≥ 10,000 req/s, p99 < 25 ms, ≥ 3× Express + pg)');
  for (const [label, { gw, gwCold, ex }] of Object.entries(results)) {
    const ok = gw.rps >= 10_000 && gw.p99 < 25 && gw.rps >= 3 * ex.rps;
    const okCold = gwCold.rps >= 10_000 && gwCold.p99 < 25 && gwCold.rps >= 3 * ex.rps;
    log(
      gwCold === gw
        ? `${label.padEnd(17)} gateway ${gw.rps.toFixed(0)} req/s p99 ${gw.p99} ms (cached only); express+pg ${ex.rps.toFixed(0)} req/s p99 ${ex.p99} ms; ratio ${(gw.rps / ex.rps).toFixed(2)}× ${ok ? 'target met' : 'TARGET NOT MET'}`
        : `${label.padEnd(17)} gateway ${gw.rps.toFixed(0)} req/s p99 ${gw.p99} ms; uncached ${gwCold.rps.toFixed(0)} req/s p99 ${gwCold.p99} ms; ` +
          `express+pg ${ex.rps.toFixed(0)} req/s p99 ${ex.p99} ms; ratio ${(gw.rps / ex.rps).toFixed(2)}× (uncached ${(gwCold.rps / ex.rps).toFixed(2)}×) ${ok ? 'target met' : 'TARGET NOT MET'}${okCold ? '' : ' (uncached: not met)'}`,
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
