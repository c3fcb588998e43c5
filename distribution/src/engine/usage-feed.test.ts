import { existsSync, readdirSync } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ParseError, type RejectedLine } from '../parsers/common';
import { parseDsr } from '../parsers/dsr';
import { aggregateUsage, startUsageParse, type UsageAggregates } from './aggregate';
import { resolveParameters, type DistributionParameters } from './parameters';
import { loadRepertoire, type EngineRepertoire } from './repertoire';
import { tempDir, writeWorksCsv } from './test-helpers';
import { startDsrFeed } from './usage-feed';

const base: DistributionParameters = {
  currency: 'CNY',
  gross: '1000.00',
  right: 'performing',
  method: 'pro_rata_points',
  managementFeeRate: '0.1',
  deductionRate: '0',
  threshold: '0',
  useTypeWeights: { OnDemandStream: '1', Download: '3' },
};

/** The parameters of `method` (per-line amounts have no pool). */
function withMethod(method: DistributionParameters['method'], p: DistributionParameters = base): DistributionParameters {
  return { ...p, method, ...(method === 'per_line_amounts' ? { gross: undefined } : {}) };
}

const METHODS = ['pro_rata_points', 'per_line_amounts'] as const;

function iswc(n: number): string {
  const d = String(n).padStart(9, '0');
  let sum = 1;
  for (let i = 1; i <= 9; i++) sum += i * (d.charCodeAt(i - 1) - 48);
  return `T${d}${(10 - (sum % 10)) % 10}`;
}

/**
 * A DSR of a few megabytes (several read chunks) with what the usage pass must treat alike on
 * either thread: three summary records in two currencies, matches by ISWC and by title and creator,
 * unknown works, Chinese and empty titles, escaped cells, padded cells, invalid ISRCs, a block with two resources, usage
 * records of two layouts, and bad lines for the parser (count, summary, resource) and for the
 * per-line method (missing, negative, too precise, other currency).
 */
async function writeDsr(dir: string, blocks: number): Promise<string> {
  const out: string[] = ['HEAD\tdsrf/1.1\tBasicAudioProfile\t1.3\tM1\t2026-07-03T07:59:30Z\t1\t1\t2026-06-01\t2026-06-30\tPADPIDA1\tSvc\tSvc Premium\tPADPIDA2\tCMO'];
  out.push('SY02.03\tS1\tSvc\tPADPIDA1\tSubscriptionModel\tOnDemandStream\tCN\tSvc\t1\t1\tCNY\t5000.00');
  out.push('SY02.03\tS2\tSvc\tPADPIDA1\tAdvertisementSupportedModel\tOnDemandStream\tHK\tSvc\t1\t1\tCNY\t100.00');
  out.push('SY02.03\tS3\tSvc\tPADPIDA1\tPayAsYouGoModel\tDownload\tCN\tSvc\t1\t1\tEUR\t10.00');
  for (let b = 0; b < blocks; b++) {
    const w = (b * 7919) % 500;
    const title = b % 17 === 0 ? `Unknown ${b}` : b % 13 === 0 ? `Title\\|${w}` : b % 19 === 0 ? `愛的故事 ${w}` : b % 23 === 0 ? '' : `Title ${w}`;
    const code = b % 10 === 9 ? '' : b % 17 === 0 ? iswc(900_000 + b) : iswc(w + 1);
    const isrc = b % 29 === 0 ? 'BAD' : `CNA0A26${String(b % 100000).padStart(5, '0')}`;
    const composer = b % 31 === 0 ? ` Composer ${w % 50} ` : `Composer ${w % 50}|Author ${w % 70}`;
    out.push(`AS02.02\t${b}\tR${b}\tD${b}\t${isrc}\t${title}\t\tArtist\t\tPT3M\tSoundRecording\t${code}\t${composer}`);
    if (b % 37 === 0) out.push(`AS02.02\t${b}\tR${b}x\tD${b}x\t\tOther ${w}\t\tArtist\t\tPT3M\tSoundRecording\t\tNobody`);
    for (let j = 0; j < 1 + (b % 6); j++) {
      const s = j % 5 === 4 ? 'S3' : j % 2 ? 'S2' : 'S1';
      const plays = b % 101 === 0 && j === 1 ? 'x' : String(1 + ((b * 31 + j) % 4000));
      const sid = b % 211 === 0 && j === 0 ? 'S9' : s;
      const ref = b % 37 === 0 && j === 0 ? 'R?' : `R${b}`;
      const amount = b % 53 === 0 ? '' : b % 59 === 0 ? '-1.00' : b % 61 === 0 ? '0.0000000000001' : `${(b + j) % 9}.${String((b * j) % 100).padStart(2, '0')}`;
      if (j % 3 === 2) out.push(`SU02.02\t${b}\t${sid}\tT${b}.${j}\t\t${ref}\tTRUE\t${plays}\t\t\t${j === 5 ? 'Download' : ''}`);
      else out.push(`SU01\t${b}\t${sid}\t${b % 43 === 0 ? ` T${b}.${j} ` : `T${b}.${j}`}\t\t${ref}\tTRUE\t${plays}\t${amount}`);
    }
  }
  out.push(`FOOT\t${out.length + 1}\t${out.length + 1}\t3\t${blocks}\t${blocks}`);
  const path = join(dir, 'DSR_Svc_CMO_2026-06_1of1_.tsv');
  await writeFile(path, out.join('\n') + '\n');
  return path;
}

async function repertoire(dir: string): Promise<EngineRepertoire> {
  const rows = [];
  for (let w = 0; w < 500; w++) {
    rows.push({ workId: `W${w}`, iswc: w % 10 === 8 ? undefined : iswc(w + 1), title: `Title ${w}`, partyId: `C${w % 50}`, partyName: `Composer ${w % 50}`, share: '60' });
    rows.push({ workId: `W${w}`, iswc: w % 10 === 8 ? undefined : iswc(w + 1), title: `Title ${w}`, partyId: `P${w % 7}`, partyName: `Pub ${w % 7}`, role: 'publisher', share: w % 11 === 0 ? '30' : '40' });
  }
  return loadRepertoire({ path: await writeWorksCsv(dir, rows) }, 'performing');
}

async function both(path: string, rep: EngineRepertoire, params: DistributionParameters, onError: 'fail' | 'quarantine') {
  const rp = resolveParameters(params);
  const run = async (parseOnWorker: boolean) => {
    const rejects: RejectedLine[] = [];
    let progress = 0;
    try {
      const agg = await aggregateUsage(path, rep, rp, { onError, rejects, parseOnWorker, onProgress: (n) => (progress = n) });
      return { agg, rejects, progress };
    } catch (e) {
      return { error: e, rejects, progress };
    }
  };
  return { here: await run(false), worker: await run(true) };
}

/** Everything an aggregate holds, in plain values. */
function plain(a: UsageAggregates) {
  const b = a.buckets;
  const buckets = Array.from({ length: b.count }, (_, i) => [b.work[i], b.source[i], b.lines[i], b.plays[i], Array.from(b.methodPlays.subarray(i * 4, i * 4 + 4)), b.points(i)]);
  return { ...a, buckets, unmatched: [...a.unmatched.entries()] };
}

describe('usage pass with the DSR parsed on a worker thread', () => {
  it('gives the same aggregates, summary, digest and rejects as parsing on the calling thread, for both methods', async () => {
    const dir = await tempDir();
    const rep = await repertoire(dir);
    const path = await writeDsr(dir, 12_000);
    for (const method of METHODS) {
      const { here, worker } = await both(path, rep, withMethod(method), 'quarantine');
      expect(here.agg, method).toBeDefined();
      expect(plain(worker.agg!)).toEqual(plain(here.agg!));
      expect(worker.rejects).toEqual(here.rejects);
      expect(worker.progress).toBe(here.progress);
      // The file exercises what it claims to.
      const codes = new Set(here.rejects.map((r) => r.code));
      for (const c of ['PARSE.INVALID_COUNT', 'DSR.UNKNOWN_SUMMARY', 'DSR.UNKNOWN_RESOURCE']) expect(codes, method).toContain(c);
      if (method === 'per_line_amounts') for (const c of ['ENGINE.MISSING_AMOUNT', 'ENGINE.NEGATIVE_AMOUNT', 'ENGINE.AMOUNT_PRECISION', 'ENGINE.CURRENCY_MISMATCH']) expect(codes).toContain(c);
      expect(here.agg!.summary.warningCount).toBeGreaterThan(0);
      expect(here.agg!.sources.length).toBeGreaterThan(2);
      expect(here.agg!.unmatched.size).toBeGreaterThan(1);
      expect(here.agg!.lines).toBeGreaterThan(20_000);
      expect((await stat(path)).size).toBeGreaterThan(2 << 20);
    }
  });

  it('stops on the same first bad line in fail mode, with the same rejects', async () => {
    const dir = await tempDir();
    const rep = await repertoire(dir);
    const path = await writeDsr(dir, 12_000);
    for (const method of METHODS) {
      const { here, worker } = await both(path, rep, withMethod(method), 'fail');
      expect(here.error).toBeInstanceOf(ParseError);
      expect(worker.error).toBeInstanceOf(ParseError);
      const [h, w] = [here.error as ParseError, worker.error as ParseError];
      expect([w.code, w.line, w.field, w.message]).toEqual([h.code, h.line, h.field, h.message]);
      expect(worker.rejects).toEqual(here.rejects);
    }
  });

  it('reports a FOOT that does not add up, and a file cut short, as the calling thread does', async () => {
    const dir = await tempDir();
    const rep = await repertoire(dir);
    const path = await writeDsr(dir, 300);
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(path, 'utf8');
    const lines = text.trimEnd().split('\n');
    const wrongFoot = join(dir, 'DSR_Svc_CMO_2026-06-b_1of1_.tsv');
    await writeFile(wrongFoot, [...lines.slice(0, -1), lines.at(-1)!.replace(/^FOOT\t\d+/, 'FOOT\t7')].join('\n') + '\n');
    const cut = join(dir, 'DSR_Svc_CMO_2026-06-c_1of1_.tsv');
    await writeFile(cut, lines.slice(0, -1).join('\n') + '\n');
    for (const p of [wrongFoot, cut]) {
      for (const mode of ['quarantine', 'fail'] as const) {
        const { here, worker } = await both(p, rep, base, mode);
        if (mode === 'fail') expect((worker.error as ParseError).code).toBe((here.error as ParseError).code);
        else expect(plain(worker.agg!)).toEqual(plain(here.agg!));
        expect(worker.rejects).toEqual(here.rejects);
        if (mode === 'quarantine') expect(here.rejects.at(-1)!.code).toMatch(/^DSR\.(FOOT_MISMATCH|MISSING_FOOTER)$/);
      }
    }
  });

  it('takes a parse started before the repertoire was loaded, with the same outcome; a cancelled one stops', async () => {
    const dir = await tempDir();
    const path = await writeDsr(dir, 12_000);
    const rp = resolveParameters(base);
    const rejects: RejectedLine[] = [];
    const started = await startUsageParse(path, rp, { onError: 'quarantine', rejects, parseOnWorker: true });
    expect(started.feed).toBeDefined();
    const rep = await repertoire(dir);
    const early = await aggregateUsage(path, rep, rp, { onError: 'quarantine', rejects, started });
    const hereRejects: RejectedLine[] = [];
    const here = await aggregateUsage(path, rep, rp, { onError: 'quarantine', rejects: hereRejects, parseOnWorker: false });
    expect(plain(early)).toEqual(plain(here));
    expect(rejects).toEqual(hereRejects);
    const other = await startUsageParse(path, rp, { parseOnWorker: true });
    await expect(aggregateUsage(join(dir, 'elsewhere.tsv'), rep, rp, { started: other })).rejects.toThrow(/started on/);
    await other.cancel();
    const small = await startUsageParse(path, rp);
    expect(small.feed).toBeUndefined();
  });

  it('parses on the calling thread when the worker cannot start, with the same outcome', async () => {
    const dir = await tempDir();
    const rep = await repertoire(dir);
    const path = await writeDsr(dir, 3_000);
    const broken = join(dir, 'broken-worker.mjs');
    await writeFile(broken, "throw new Error('no worker here');\n");
    const rp = resolveParameters(base);
    const rejects: RejectedLine[] = [];
    const feed = startDsrFeed({ path, fileName: 'DSR_Svc_CMO_2026-06_1of1_.tsv', onError: 'quarantine', amounts: false }, 16, pathToFileURL(broken));
    expect(feed).toBeDefined();
    const started = { path, format: 'dsr' as const, feed, cancel: async () => void (await feed?.close()) };
    const fallback = await aggregateUsage(path, rep, rp, { onError: 'quarantine', rejects, started });
    const hereRejects: RejectedLine[] = [];
    const here = await aggregateUsage(path, rep, rp, { onError: 'quarantine', rejects: hereRejects, parseOnWorker: false });
    expect(plain(fallback)).toEqual(plain(here));
    expect(rejects).toEqual(hereRejects);
    expect(here.lines).toBeGreaterThan(5_000);
  });

  it('sends every usage line once when it must wait for each batch to be taken', async () => {
    const dir = await tempDir();
    const path = await writeDsr(dir, 12_000);
    const feed = startDsrFeed({ path, fileName: 'DSR_Svc_CMO_2026-06_1of1_.tsv', onError: 'quarantine', amounts: false }, 1)!;
    let lines = 0, batches = 0;
    let last = 0;
    for (;;) {
      const m = await feed.next();
      if (m.t !== 'batch') {
        expect(m.t).toBe('end');
        break;
      }
      batches++;
      for (let i = 0; i < m.count; i++) {
        const line = m.records[i * 4]!;
        expect(line).toBeGreaterThan(last);
        last = line;
      }
      lines += m.count;
      // Taken late: the worker has to wait for this.
      await new Promise((r) => setTimeout(r, 5));
      feed.ack();
    }
    await feed.close();
    const s = parseDsr(path, { onError: 'quarantine' });
    let expected = 0;
    for await (const b of s.batches()) expected += b.length;
    expect(batches).toBeGreaterThan(2);
    expect(lines).toBe(expected);
  });
});

// Real sample files written by others (read in place, never copied).
const here = fileURLToPath(new URL('.', import.meta.url));
const SHARED = [resolve(here, '../../../../shared/data/dsr'), resolve(process.cwd(), '../shared/data/dsr')].find((p) => existsSync(p)) ?? resolve(here, '../../../../shared/data/dsr');
const haveShared = existsSync(SHARED);
if (!haveShared) {
  if (process.env.CI === 'true') throw new Error(`sample data folder ${SHARED} is missing (required under CI)`);
  console.log(`skipping the worker-thread comparison on real DSR samples: ${SHARED} not found`);
}

describe.skipIf(!haveShared)('usage pass on a worker thread, on the sample DSR files', () => {
  it('gives what the calling thread gives for every sample file, valid or not', async () => {
    const dir = await tempDir();
    const rep = await repertoire(dir);
    const files = readdirSync(SHARED).filter((f) => f.endsWith('.tsv'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      for (const method of METHODS) {
        const { here, worker } = await both(join(SHARED, f), rep, withMethod(method, { ...base, currency: 'EUR' }), 'quarantine');
        expect(here.error, f).toBeUndefined();
        expect(plain(worker.agg!), f).toEqual(plain(here.agg!));
        expect(worker.rejects, f).toEqual(here.rejects);
      }
    }
  });
});
