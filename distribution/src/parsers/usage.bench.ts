/**
 * Throughput benchmark for the usage parsers (not a test): generates a usage.csv and a DSR file of
 * N lines in the OS temp folder, parses them, prints lines/second.
 * Run: npx tsx distribution/src/parsers/usage.bench.ts [lines=1000000]
 */
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUsageCsv } from './csv';
import { parseDsr } from './dsr';

const N = Number(process.argv[2] ?? 1_000_000);

async function write(path: string, gen: (w: (s: string) => void) => void): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let buf = '';
  gen((s) => {
    buf += s;
    if (buf.length > 1 << 20) {
      out.write(buf);
      buf = '';
    }
  });
  out.write(buf);
  await new Promise<void>((r) => out.end(r));
}

async function time(label: string, lines: number, run: () => Promise<number>): Promise<void> {
  const t0 = performance.now();
  const n = await run();
  const s = (performance.now() - t0) / 1000;
  console.log(`${label}: ${n} records, ${lines} lines in ${s.toFixed(2)} s = ${Math.round(lines / s).toLocaleString('en')} lines/s`);
}

const csvPath = join(tmpdir(), `usage-bench-${process.pid}.csv`);
const dsrPath = join(tmpdir(), `DSR_bench_${process.pid}_1of1_.tsv`);
await write(csvPath, (w) => {
  w('usage_id,work_id,iswc,isrc,title,creators,plays,amount\n');
  for (let i = 0; i < N; i++) {
    const title = i % 10 === 0 ? `"Song, number ${i}"` : `Song number ${i % 5000}`;
    w(`U${i},${i % 3 === 0 ? 'W' + (i % 20000) : ''},${i % 3 === 1 ? 'T0345246801' : ''},GBAHT09${String(i % 100000).padStart(5, '0')},${title},Writer A|Writer B,${i % 977},${i % 7}.${String(i % 100).padStart(2, '0')}\n`);
  }
});
const blocks = Math.ceil(N / 4);
await write(dsrPath, (w) => {
  w('HEAD\tdsrf/1.1/1.4.1/1.3\tBasicAudioProfile\t1.3\tM1\t2020-07-03T07:59:30Z\t1\t1\t2020-06-01\t2020-06-30\tPADPIDA1\tSvc\tSvc\tPADPIDA2\tCMO\n');
  w('SY01.02\tS1\tSvc\tPADPIDA1\tSubscriptionModel\t\tCN\tSvc\t1\t1\tCNY\t5000.00\n');
  let lines = 2;
  let b = 0;
  for (; lines < N - 1; b++) {
    w(`AS02.03\t${b}\tR${b}\tD${b}\tCNAAA20${String(b % 100000).padStart(5, '0')}\tTitle ${b}\t\tArtist\t\tPT3M\tSoundRecording\tT0345246801\tA|B\n`);
    w(`SU02.02\t${b}\tS1\tT${b}a\t\tR${b}\tTRUE\t${b % 1000}\t\t\tOnDemandStream\n`);
    w(`SU02.02\t${b}\tS1\tT${b}b\t\tR${b}\tTRUE\t${b % 333}\t\t\tOnDemandStream\n`);
    w(`SU02.02\t${b}\tS1\tT${b}c\t\tR${b}\tTRUE\t${b % 77}\t\t\tOnDemandStream\n`);
    lines += 4;
  }
  w(`FOOT\t${lines + 1}\t${lines + 1}\t1\t${b}\t${b}\n`);
});
void blocks;

await time('usage.csv', N + 1, async () => {
  const s = parseUsageCsv(csvPath);
  let n = 0;
  for await (const u of s) n += u.plays >= 0 ? 1 : 0;
  if (s.summary.errorCount) throw new Error(JSON.stringify(s.summary.errors[0]));
  return n;
});
await time('DSR', N, async () => {
  const s = parseDsr(dsrPath);
  let n = 0;
  for await (const u of s) n += u.plays >= 0 ? 1 : 0;
  if (s.summary.errorCount) throw new Error(JSON.stringify(s.summary.errors[0]));
  return n;
});
console.log(`heap used after: ${Math.round(process.memoryUsage().heapUsed / 1e6)} MB`);
await rm(csvPath);
await rm(dsrPath);
