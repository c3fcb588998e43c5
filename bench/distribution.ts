/**
 * Distribution engine benchmark (prints figures; not a test).
 *
 * Generates, in a temp folder, a works.csv of W works (default 1,000,000) and a DDEX DSR flat file of
 * N usage lines (default 10,000,000), runs the engine end to end (repertoire, streaming usage pass,
 * exact allocation, statement lines and their Merkle tree) and prints usage lines per minute and the
 * peak RSS. Then it runs a straightforward decimal.js-per-line implementation on the same usage
 * (or on its first S lines with --sample S), runs the engine on the same usage, checks that both give
 * identical per-holder amounts, and prints the speed-up. Finally it times Merkle construction alone.
 *
 * Run: npm run bench:distribution -- [--lines N] [--works W] [--sample S] [--keep]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Decimal from 'decimal.js';
import { runDistribution } from '../distribution/src/engine/run';
import { aggregateUsage } from '../distribution/src/engine/aggregate';
import { computeDistribution } from '../distribution/src/engine/compute';
import { loadRepertoire, type EngineRepertoire } from '../distribution/src/engine/repertoire';
import { resolveParameters, type DistributionParameters } from '../distribution/src/engine/parameters';
import { buildStatementTree } from '../distribution/src/statements/proofs';
import { hashLeafTextInto, MerkleTree } from '../distribution/src/merkle/tree';
import { parseDsr } from '../distribution/src/parsers/dsr';
import { toHex } from '../distribution/src/merkle/verify';

// Usage lines are short-lived objects that arrive in batches of ~10k: a larger young generation lets
// them die young instead of being promoted, which halves the time spent in garbage collection
// (`npm run distribute` runs with the same flag).
const SEMI_SPACE = '--max-semi-space-size=64';
if (!process.execArgv.includes(SEMI_SPACE)) {
  const child = spawnSync(process.execPath, [...process.execArgv, SEMI_SPACE, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const { values } = parseArgs({
  options: { lines: { type: 'string', default: '10000000' }, works: { type: 'string', default: '1000000' }, sample: { type: 'string', default: '' }, keep: { type: 'boolean', default: false } },
});
const N = Number(values.lines);
const W = Number(values.works);
// By default the comparison runs on the whole usage file, the same data as the end-to-end run.
const S = values.sample === '' ? N : Math.min(Number(values.sample), N);
if (!Number.isSafeInteger(N) || N < 1 || !Number.isSafeInteger(W) || W < 10 || !Number.isSafeInteger(S) || S < 1) {
  console.error('usage: bench/distribution.ts [--lines N] [--works W>=10] [--sample S]');
  process.exit(2);
}

const PARAMS: DistributionParameters = {
  currency: 'CNY',
  gross: '12345678.91',
  right: 'performing',
  method: 'pro_rata_points',
  managementFeeRate: '0.15',
  deductionRate: '0.05',
  threshold: '1.00',
  useTypeWeights: { OnDemandStream: '1', Download: '3' },
};

const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const peak = () => process.resourceUsage().maxRSS; // kilobytes

/** A deterministic 32-bit generator (mulberry32), so every run generates the same files. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function iswc(n: number): string {
  const d = String(n).padStart(9, '0');
  let sum = 1;
  for (let i = 1; i <= 9; i++) sum += i * (d.charCodeAt(i - 1) - 48);
  return `T${d}${(10 - (sum % 10)) % 10}`;
}

async function write(path: string, gen: (w: (s: string) => Promise<void> | void) => Promise<void>): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 22 });
  let buf = '';
  await gen((s) => {
    buf += s;
    if (buf.length > 1 << 22) {
      const b = buf;
      buf = '';
      if (!out.write(b)) return new Promise<void>((r) => out.once('drain', r));
    }
  });
  out.write(buf);
  await new Promise<void>((r) => out.end(r));
}

const composers = Math.max(1, Math.floor(W / 5));
const authors = Math.max(1, Math.floor(W / 7));
const publishers = Math.max(1, Math.floor(W / 200));

async function writeWorks(path: string): Promise<void> {
  await write(path, async (w) => {
    await w('work_id,iswc,title,party_id,party_name,role,right,share\n');
    for (let i = 0; i < W; i++) {
      const id = `W${i}`, code = i % 10 === 9 ? '' : iswc(i + 1), title = `Title ${i}`;
      const c = i % composers, a = (i * 7) % authors, p = (i * 13) % publishers;
      // One work in 20 leaves 20 % unclaimed; one in 1000 claims 110 % (held in suspense).
      const shares = i % 1000 === 500 ? ['50', '30', '30'] : i % 20 === 3 ? ['40', '20', '20'] : ['40', '30', '30'];
      await w(`${id},${code},${title},C${c},Composer ${c},composer,performing,${shares[0]}\n`);
      await w(`${id},${code},${title},A${a},Author ${a},author,performing,${shares[1]}\n`);
      await w(`${id},${code},${title},PUB${p},Publisher ${p},publisher,performing,${shares[2]}\n`);
    }
  });
}

/**
 * A month's DSR from one service for one territory: blocks of one resource and 1–7 sales lines,
 * streams under two commercial models and one line in ten a download (so two usage sources).
 */
async function writeDsr(path: string, lines: number): Promise<void> {
  const rand = rng(42);
  await write(path, async (w) => {
    await w('HEAD\tdsrf/1.1/1.4.1/1.3\tBasicAudioProfile\t1.3\tM1\t2026-07-03T07:59:30Z\t1\t1\t2026-06-01\t2026-06-30\tPADPIDA1\tMusicCo\tMusicCo Premium\tPADPIDA2\tCMO\n');
    const sy = [['S1', 'SubscriptionModel', 'OnDemandStream', 'CN'], ['S2', 'AdvertisementSupportedModel', 'OnDemandStream', 'CN'], ['S3', 'PayAsYouGoModel', 'Download', 'CN']];
    for (const [id, cm, ut, terr] of sy) await w(`SY02.03\t${id}\tMusicCo\tPADPIDA1\t${cm}\t${ut}\t${terr}\tMusicCo\t1\t1\tCNY\t5000.00\n`);
    let fileLines = 1 + sy.length;
    let usage = 0;
    let b = 0;
    for (; usage < lines; b++) {
      // Skewed popularity: a cube of a uniform variable favours low work numbers, as real charts do.
      const r = rand();
      const work = Math.floor(r * r * r * W);
      const kind = rand();
      let isw = iswc(work + 1), title = `Title ${work}`, composer = `Composer ${work % composers}`;
      if (work % 10 === 9) isw = ''; // works without ISWC match by title and creator
      if (kind < 0.03) {
        isw = iswc(W + 1 + (b % 100000)); // an ISWC the repertoire does not hold
        title = `Unknown ${b % 5000}`;
      } else if (kind < 0.04) {
        isw = '';
        composer = ''; // title only: UNMATCHED.NO_CREATORS
      }
      await w(`AS02.02\t${b}\tR${b}\tD${b}\tCNA0A26${String(b % 100000).padStart(5, '0')}\t${title}\t\tArtist ${work % 999}\t\tPT3M\tSoundRecording\t${isw}\t${composer}\n`);
      fileLines++;
      const k = 1 + Math.floor(rand() * 7);
      for (let j = 0; j < k && usage < lines; j++, usage++) {
        const s = rand() < 0.1 ? 'S3' : j % 2 ? 'S2' : 'S1';
        const plays = 1 + Math.floor(rand() * rand() * 5000);
        await w(`SU02.02\t${b}\t${s}\tT${b}.${j}\t\tR${b}\tTRUE\t${plays}\t\t\t\n`);
        fileLines++;
      }
    }
    fileLines++;
    await w(`FOOT\t${fileLines}\t${fileLines}\t${sy.length}\t${b}\t${b}\n`);
  });
}

/**
 * The straightforward implementation: the same parser (one usage object per line, delivered in
 * batches, so no promise per line) and matcher (a fresh match per line), decimal.js arithmetic per
 * line for every share, then exact rational entitlements and largest remainder in decimal.js. It
 * is what the engine must agree with and beat; its amounts are compared with the engine's.
 */
async function naive(rep: EngineRepertoire, dsrPath: string): Promise<{ amounts: Map<string, string>; seconds: number }> {
  const t0 = performance.now();
  Decimal.set({ precision: 80 });
  const holder = new Map<string, Decimal>();
  const suspense = new Map<string, Decimal>();
  for await (const batch of parseDsr(dsrPath).batches()) for (const u of batch) {
    const weight = new Decimal(PARAMS.useTypeWeights![u.useType ?? u.commercialModel ?? ''] ?? '1');
    const points = new Decimal(u.plays).times(weight);
    const w = rep.match(u);
    if (w < 0) {
      const reason = rep.matcher.reason;
      suspense.set(reason, (suspense.get(reason) ?? new Decimal(0)).plus(points));
      continue;
    }
    const claimed = new Decimal(rep.claimed(w)).div(1_000_000);
    if (claimed.gt(100)) {
      suspense.set('SUSPENSE.SHARES_EXCEED_100', (suspense.get('SUSPENSE.SHARES_EXCEED_100') ?? new Decimal(0)).plus(points));
      continue;
    }
    for (let k = rep.shareStart[w]!; k < rep.shareStart[w + 1]!; k++) {
      const id = rep.partyIds[rep.shareParty[k]!]!;
      const share = new Decimal(rep.shareUnits[k]!).div(1_000_000).div(100);
      holder.set(id, (holder.get(id) ?? new Decimal(0)).plus(points.times(share)));
    }
    const free = new Decimal(100).minus(claimed).div(100);
    if (free.gt(0)) suspense.set('SUSPENSE.UNCLAIMED_SHARE', (suspense.get('SUSPENSE.UNCLAIMED_SHARE') ?? new Decimal(0)).plus(points.times(free)));
  }
  const gross = new Decimal(PARAMS.gross!);
  const fee = gross.times(PARAMS.managementFeeRate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const ded = gross.times(PARAMS.deductionRate).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
  const dist = gross.minus(fee).minus(ded).times(100); // in fen
  const keys = [...[...holder.keys()].sort(), ...[...suspense.keys()].sort()];
  const weights = keys.map((k, i) => (i < holder.size ? holder.get(k)! : suspense.get(k)!));
  const total = weights.reduce((a, x) => a.plus(x), new Decimal(0));
  const exact = weights.map((x) => dist.times(x).div(total));
  const parts = exact.map((x) => x.floor());
  let left = dist.minus(parts.reduce((a, x) => a.plus(x), new Decimal(0))).toNumber();
  const order = exact.map((x, i) => [x.minus(parts[i]!), i] as const).sort((a, b) => b[0].comparedTo(a[0]) || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    parts[i] = parts[i]!.plus(1);
  }
  const amounts = new Map<string, string>();
  keys.forEach((k, i) => amounts.set(k, parts[i]!.toFixed(0)));
  return { amounts, seconds: (performance.now() - t0) / 1000 };
}

const dir = await mkdtemp(join(tmpdir(), 'bench-distribution-'));
const worksPath = join(dir, 'works.csv');
const dsrPath = join(dir, 'DSR_MusicCo_CMO_2026-06_1of1_.tsv');
const samplePath = join(dir, 'DSR_MusicCo_CMO_2026-06-sample_1of1_.tsv');
try {
  console.log(`generating ${fmt(W)} works and ${fmt(N)} usage lines in ${dir} …`);
  let t = performance.now();
  await writeWorks(worksPath);
  await writeDsr(dsrPath, N);
  if (S < N) await writeDsr(samplePath, S);
  console.log(`  works.csv ${(await stat(worksPath)).size / 1e6} MB, DSR ${((await stat(dsrPath)).size / 1e6).toFixed(0)} MB, generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const rssBefore = peak();

  // Engine, end to end; in a function, so that nothing of it stays alive for the comparison below.
  const leafCount = await (async () => {
    t = performance.now();
    let tRep = 0, tUsage = 0, tPass = 0;
    const o = await runDistribution({ works: worksPath, usage: dsrPath, parameters: PARAMS }, {
      onProgress: (phase) => {
        if (phase === 'repertoire') tRep = performance.now();
        if (phase === 'usage') tPass = performance.now();
        if (phase === 'allocation') tUsage = performance.now();
      },
    });
    const tAlloc = performance.now();
    const tree = buildStatementTree(o.result);
    const root = toHex(tree.root());
    const tEnd = performance.now();
    const r = o.result;
    const total = (tEnd - t) / 1000;
    const usageSeconds = (tUsage - tRep) / 1000;
    console.log('\nengine, end to end (repertoire + usage + allocation + statement lines + Merkle root):');
    console.log(`  repertoire load      ${((tRep - t) / 1000).toFixed(1)} s (${fmt(r.works.size)} works, ${fmt(o.repertoire.partyIds.length)} parties; the DSR parse runs alongside on its worker)`);
    console.log(`  usage pass + alloc   ${usageSeconds.toFixed(1)} s after the load (${fmt(r.usageLines)} lines, ${fmt(r.unmatchedLines)} unmatched)`);
    console.log(`    of which allocation ${((tUsage - tPass) / 1000).toFixed(1)} s`);
    console.log(`  statements + Merkle  ${((tEnd - tAlloc) / 1000).toFixed(1)} s (${fmt(r.lines.count)} statement lines, ${fmt(r.holders.length)} holders, root ${root.slice(0, 16)}…)`);
    console.log(`  total                ${total.toFixed(1)} s = ${fmt((r.usageLines / total) * 60)} usage lines per minute`);
    console.log(`  peak RSS             ${mb(peak())} (before the run: ${mb(rssBefore)})`);
    const tt = r.totals;
    console.log(`  conservation         ${tt.gross} = ${tt.managementFee} + ${tt.deductions} + ${tt.allocated} + ${tt.suspense} + ${tt.carriedForward} + ${tt.rounding}: ${tt.gross === tt.managementFee + tt.deductions + tt.allocated + tt.suspense + tt.carriedForward + tt.rounding}`);

    return Math.max(r.lines.count, 1_000_000);
  })();

  // Merkle construction alone, over the run's leaves (and over 1M leaves at least).
  {
    const leaves: string[] = [];
    for (let i = 0; i < Math.min(leafCount, 2_000_000); i++) leaves.push(`{"i":${i},"line":"statement line ${i} with some text to make it realistic, like a title"}`);
    t = performance.now();
    const buf = Buffer.allocUnsafe(leaves.length * 32);
    leaves.forEach((l, i) => hashLeafTextInto(l, buf, i * 32));
    const tLeaves = performance.now();
    const mt = MerkleTree.fromLeafHashBuffer(buf, leaves.length);
    const tTree = performance.now();
    console.log(`\nMerkle (RFC 6962, SHA-256), ${fmt(leaves.length)} leaves: leaf hashing ${fmt(leaves.length / ((tLeaves - t) / 1000))}/s, tree ${fmt(leaves.length / ((tTree - tLeaves) / 1000))} leaves/s, both ${fmt(leaves.length / ((tTree - t) / 1000))} leaves/s (root ${toHex(mt.root()).slice(0, 16)}…)`);

    // The same leaves as the engine builds its statement tree: leaf bytes in shared memory, hashed on
    // two threads, the bottom levels built on both as blocks of leaves complete, then the top levels.
    t = performance.now();
    const mt2 = MerkleTree.fromLeaves(leaves);
    const tTree2 = performance.now();
    if (!mt2.root().equals(mt.root())) throw new Error('the two-thread tree has another root');
    console.log(`  on two threads (MerkleTree.fromLeaves, the engine's path): ${fmt(leaves.length / ((tTree2 - t) / 1000))} leaves/s, same root`);
  }

  // The decimal.js-per-line implementation on the sample, and the engine on the same sample.
  const sample = S < N ? samplePath : dsrPath;
  console.log(`\n${S < N ? `first ${fmt(S)}` : `all ${fmt(S)}`} usage lines: decimal.js per line vs the engine, one repertoire loaded once for both`);
  t = performance.now();
  const rep = await loadRepertoire({ path: worksPath }, 'performing');
  console.log(`  repertoire load      ${((performance.now() - t) / 1000).toFixed(1)} s (shared, not counted below)`);
  // The title index is built on the first line that needs it: built here, neither run pays for it
  // (the first to run would otherwise pay for both).
  t = performance.now();
  rep.matcher.prepare();
  console.log(`  title index          ${((performance.now() - t) / 1000).toFixed(1)} s (shared, not counted below)`);
  const rp = resolveParameters(PARAMS);
  t = performance.now();
  const e = computeDistribution(await aggregateUsage(sample, rep, rp), rep, rp);
  const eSeconds = (performance.now() - t) / 1000;
  const nv = await naive(rep, sample);
  const engineAmounts = new Map<string, string>();
  for (const h of e.holders) engineAmounts.set(h.partyId, h.net.toString());
  for (const b of e.suspenseBuckets) engineAmounts.set(b.code, b.net.toString());
  let diffs = 0;
  for (const [k, v] of nv.amounts) if (engineAmounts.get(k) !== v && diffs++ < 5) console.log(`  differs: ${k}: naive ${v}, engine ${engineAmounts.get(k)}`);
  const same = diffs === 0 && engineAmounts.size === nv.amounts.size;
  console.log(`  decimal.js per line  ${nv.seconds.toFixed(1)} s = ${fmt((S / nv.seconds) * 60)} lines/min (parse, match, allocate)`);
  console.log(`  engine               ${eSeconds.toFixed(1)} s = ${fmt((S / eSeconds) * 60)} lines/min (parse, match, allocate)`);
  console.log(`  speed-up             ${(nv.seconds / eSeconds).toFixed(1)}×; results identical (${fmt(nv.amounts.size)} holders and suspense buckets): ${same}`);
  console.log(`\npeak RSS of the whole benchmark: ${mb(peak())}`);
} finally {
  if (!values.keep) await rm(dir, { recursive: true, force: true });
  else console.log(`kept ${dir}`);
}
