import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchDigest } from '../anchor';
import { verifyLeafData } from '../merkle/verify';
import { canonicalJson } from '../canonical-json';
import { tempDir, writeUsageCsv, writeWorksCsv } from '../engine/test-helpers';
import { main } from './distribute';

const FIX = join(import.meta.dirname, '..', 'engine', 'fixtures');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const common = (out: string) => ['--works', join(FIX, 'works.csv'), '--usage', join(FIX, 'usage.csv'), '--pool', '1000.00', '--currency', 'CNY', '--right', 'performing', '--fee-rate', '0.15', '--deduction-rate', '0.05', '--threshold', '0', '--method', 'points', '--out', out, '--quiet'];

async function readAll(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) {
      const p = join(e.parentPath, e.name);
      files.set(p.slice(dir.length), await readFile(p));
    }
  }
  return files;
}

/** A small DSR: two territories, two use types, one block with an unknown ISWC. */
const DSR = [
  'HEAD\tdsrf/1.1/1.4.1/1.3\tBasicAudioProfile\t1.3\tM1\t2026-07-03T07:59:30Z\t1\t1\t2026-06-01\t2026-06-30\tPADPIDA1\tMusicCo\tMusicCo\tPADPIDA2\tCMO',
  'SY02.03\tS1\tMusicCo\tPADPIDA1\tSubscriptionModel\tOnDemandStream\tCN\tMusicCo\t1\t1\tCNY\t100.00',
  'SY02.03\tS2\tMusicCo\tPADPIDA1\tPayAsYouGoModel\tDownload\tHK\tMusicCo\t1\t1\tCNY\t100.00',
  'AS02.02\tB1\tR1\tD1\tCNA0A2600001\tMoon River\t\tArtist\t\tPT3M\tSoundRecording\tT0345246801\tAlice Zhang',
  'SU02.02\tB1\tS1\tT1\t\tR1\tTRUE\t100\t\t\t',
  'SU02.02\tB1\tS2\tT2\t\tR1\tTRUE\t10\t\t\t',
  'AS02.02\tB2\tR2\tD2\tCNA0A2600002\tBlue Sky\t\tArtist\t\tPT3M\tSoundRecording\t\tAlice Zhang|Carol Wu',
  'SU02.02\tB2\tS1\tT3\t\tR2\tTRUE\t40\t\t\t',
  'AS02.02\tB3\tR3\tD3\tCNA0A2600003\tWho Knows\t\tArtist\t\tPT3M\tSoundRecording\tT9109247316\tSomeone',
  'SU02.02\tB3\tS1\tT4\t\tR3\tTRUE\t7\t\t\t',
  'FOOT\t11\t11\t2\t3\t3',
].join('\n') + '\n';

describe('distribute CLI: flags', () => {
  it('prints help', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--works FILE');
    expect(r.out).toContain('--on-error MODE');
  });
  it.each([
    [['--usage', 'u', '--currency', 'CNY', '--out', 'o'], /--works FILE is required/],
    [['--works', 'w', '--usage', 'u', '--currency', 'XYZ', '--out', 'o'], /--currency: currency must be one of/],
    [['--works', 'w', '--usage', 'u', '--currency', 'CNY', '--out', 'o', '--pool', '1e5'], /--pool: must be a decimal string/],
    [['--works', 'w', '--usage', 'u', '--currency', 'CNY', '--out', 'o', '--pool', '10', '--fee-rate', '1.5'], /--fee-rate: must be a decimal fraction between 0 and 1/],
    [['--works', 'w', '--usage', 'u', '--currency', 'CNY', '--out', 'o', '--pool', '10', '--fee-rate', '0.6', '--deduction-rate', '0.6'], /must not exceed 1/],
    [['--works', 'w', '--usage', 'u', '--currency', 'CNY', '--out', 'o'], /--pool: the pro_rata_points method needs the pool gross amount/],
    [['--works', 'w', '--usage', 'u', '--currency', 'CNY', '--out', 'o', '--pool', '10.001'], /--pool: .*3 decimals but CNY allows at most 2/],
    [['--works', 'w', '--usage', 'u', '--currency', 'CNY', '--out', 'o', '--pool', '10', '--method', 'magic'], /--method: /],
    [['--works', 'w', '--usage', 'u', '--currency', 'CNY', '--out', 'o', '--pool', '10', '--bogus'], /Unknown option '--bogus'/],
    [['--works', 'w', '--usage', 'u', '--currency', 'CNY', '--out', 'o', '--pool', '10', '--on-error', 'ignore'], /--on-error: /],
    [['--works', 'w', '--usage', 'u', '--currency', 'CNY', '--out', 'o', '--pool', '10', '--weights', 'Stream'], /--weights: must look like/],
  ])('rejects bad flags with exit 2: %j', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).toContain('--help');
  });
});

describe('distribute CLI: bad files', () => {
  it('a missing file exits 1 naming it', async () => {
    const out = await tempDir();
    const r = await cli(['--works', join(out, 'missing.csv'), '--usage', join(FIX, 'usage.csv'), '--pool', '1', '--currency', 'CNY', '--out', out, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/INPUT.UNREADABLE: cannot read .*missing.csv/);
  });
  it('an unrecognised format exits 1', async () => {
    const out = await tempDir();
    await writeFile(join(out, 'w.txt'), 'hello,world\n');
    const r = await cli(['--works', join(out, 'w.txt'), '--usage', join(FIX, 'usage.csv'), '--pool', '1', '--currency', 'CNY', '--out', out, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/INPUT.UNKNOWN_FORMAT: .*not a CWR file/);
    const r2 = await cli(['--works', join(FIX, 'works.csv'), '--usage', join(out, 'w.txt'), '--pool', '1', '--currency', 'CNY', '--out', out, '--quiet']);
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/not a DDEX DSR flat file/);
  });
  it('a bad usage line fails the run with its line number, or is quarantined to the rejects file', async () => {
    const dir = await tempDir();
    const works = await writeWorksCsv(dir, [{ workId: 'W1', title: 'A', partyId: 'P1', share: '100' }]);
    const usage = join(dir, 'usage.csv');
    await writeFile(usage, 'usage_id,work_id,iswc,isrc,title,creators,plays,amount\nU1,W1,,,,,10,\nU2,W1,,,,,ten,\nU3,W1,,,,,5,\n');
    const args = ['--works', works, '--usage', usage, '--pool', '10.00', '--currency', 'CNY', '--out', join(dir, 'out'), '--quiet'];
    const r = await cli(args);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/PARSE.INVALID_COUNT: line 3 \(plays\)/);
    expect(r.err).toContain('--on-error quarantine');
    const q = await cli([...args, '--on-error', 'quarantine', '--rejects', join(dir, 'rejects.jsonl')]);
    expect(q.code).toBe(0);
    const rejects = (await readFile(join(dir, 'rejects.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { line: number; code: string; raw: string });
    expect(rejects).toMatchObject([{ line: 3, code: 'PARSE.INVALID_COUNT', raw: 'U2,W1,,,,,ten,' }]);
    const summary = JSON.parse(await readFile(join(dir, 'out', 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(summary).toMatchObject({ usage_lines: 2, usage_issues: { rejected: 1 }, allocated: '10.00' });
  });
  it('a bad repertoire row fails the run', async () => {
    const dir = await tempDir();
    const works = join(dir, 'works.csv');
    await writeFile(works, 'work_id,iswc,title,party_id,party_name,role,right,share\nW1,,A,P1,,composer,performing,120\n');
    const usage = await writeUsageCsv(dir, [{ usageId: 'U1', workId: 'W1', plays: 1 }]);
    const r = await cli(['--works', works, '--usage', usage, '--pool', '1', '--currency', 'CNY', '--out', dir, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/PARSE.INVALID_SHARE: line 2 \(share\): share 120 exceeds 100/);
  });
});

describe('distribute CLI: end to end', () => {
  it('writes payouts, statements, suspense, proofs and summary that agree with each other', async () => {
    const out = await tempDir();
    const r = await cli([...common(out), '--run-id', 'run-1']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')) as Record<string, string | number>;
    expect(summary).toMatchObject({ gross: '1000.00', management_fee: '150.00', deductions: '50.00', distributable: '800.00', rounding: '0.00', carried_forward: '0.00', statement_line_count: 6 });
    const fen = (s: string | number) => BigInt(String(s).replace('.', ''));
    expect(fen(summary.gross!)).toBe(fen(summary.management_fee!) + fen(summary.deductions!) + fen(summary.allocated!) + fen(summary.suspense!) + fen(summary.carried_forward!) + fen(summary.rounding!));
    for (const k of ['usage_digest', 'repertoire_digest', 'parameters_digest', 'merkle_root']) expect(summary[k]).toMatch(/^[0-9a-f]{64}$/);

    const payouts = (await readFile(join(out, 'payouts.csv'), 'utf8')).trim().split('\n');
    expect(payouts[0]).toBe('party_id,amount');
    expect(payouts.slice(1).map((l) => l.split(',')[0])).toEqual(['P-ALICE', 'P-BOB', 'P-CAROL', 'PUB-1']);
    expect(payouts.slice(1).reduce((a, l) => a + fen(l.split(',')[1]!), 0n)).toBe(fen(summary.allocated!));

    const statements = (await readFile(join(out, 'statements.csv'), 'utf8')).trim().split('\n');
    expect(statements[0]).toBe('party_id,work_id,iswc,title,source,service,territory,period,use_type,plays,matched,share,gross,management_fee,deductions,net,leaf_index');
    expect(statements).toHaveLength(7);
    expect(statements[1]).toBe('P-ALICE,W1,T0345246801,Moon River,usage.csv,,,,,150,iswc:50|work_id:100,50.000000,364.07,54.61,18.20,291.26,0');
    const suspense = (await readFile(join(out, 'suspense.csv'), 'utf8')).trim().split('\n');
    const suspenseNet = suspense.slice(1).reduce((a, l) => a + fen(l.split(',').at(-1)!), 0n);
    expect(suspenseNet).toBe(fen(summary.suspense!));
    expect(suspense.slice(1).map((l) => l.split(',')[0])).toContain('SUSPENSE.UNCLAIMED_SHARE');

    const proofFiles = (await readdir(join(out, 'proofs'))).sort();
    expect(proofFiles).toEqual(['P-ALICE.json', 'P-BOB.json', 'P-CAROL.json', 'PUB-1.json']);
    const bob = JSON.parse(await readFile(join(out, 'proofs', 'P-BOB.json'), 'utf8')) as { merkleRoot: string; treeSize: number; lines: { line: unknown; leafIndex: number; proof: string[] }[] };
    expect(bob.merkleRoot).toBe(summary.merkle_root);
    for (const l of bob.lines) expect(await verifyLeafData(canonicalJson(l.line), { index: l.leafIndex, treeSize: bob.treeSize, path: l.proof }, bob.merkleRoot)).toBe(true);

    const plan = JSON.parse(await readFile(join(out, 'anchor-plan.json'), 'utf8')) as { open: { batches: { digest: string }[]; merkleRoot: string }; batches: { runId: string; batchNo: number; lines: { partyId: string; payable: string; carried: string }[] }[] };
    expect(plan.open.merkleRoot).toBe(summary.merkle_root);
    expect(batchDigest('run-1', 0, plan.batches[0]!.lines)).toBe(plan.open.batches[0]!.digest);
  });

  it('reruns are byte-identical', async () => {
    const a = await tempDir();
    const b = await tempDir();
    expect((await cli([...common(a), '--run-id', 'r'])).code).toBe(0);
    expect((await cli([...common(b), '--run-id', 'r'])).code).toBe(0);
    const fa = await readAll(a);
    const fb = await readAll(b);
    expect([...fa.keys()].sort()).toEqual([...fb.keys()].sort());
    expect(fa.size).toBeGreaterThan(8);
    for (const [k, v] of fa) expect(v.equals(fb.get(k)!), k).toBe(true);
  });

  it('reads a DSR: sources per territory and use type, period from HEAD, use-type weights', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'DSR_MusicCo_CMO_2026-06_1of1_.tsv'), DSR);
    const r = await cli(['--works', join(FIX, 'works.csv'), '--usage', join(dir, 'DSR_MusicCo_CMO_2026-06_1of1_.tsv'), '--pool', '100.00', '--currency', 'CNY', '--weights', 'Download=3', '--out', join(dir, 'out'), '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const statements = (await readFile(join(dir, 'out', 'statements.csv'), 'utf8')).trim().split('\n').slice(1);
    const alice = statements.filter((l) => l.startsWith('P-ALICE,'));
    expect(alice.map((l) => l.split(',').slice(1, 11).join(','))).toEqual([
      'W1,T0345246801,Moon River,DSR_MusicCo_CMO_2026-06_1of1_.tsv,MusicCo,CN,2026-06-01/2026-06-30,OnDemandStream,100,iswc:100',
      'W1,T0345246801,Moon River,DSR_MusicCo_CMO_2026-06_1of1_.tsv,MusicCo,HK,2026-06-01/2026-06-30,Download,10,iswc:10',
      'W2,,Blue Sky,DSR_MusicCo_CMO_2026-06_1of1_.tsv,MusicCo,CN,2026-06-01/2026-06-30,OnDemandStream,40,title_creator:40',
    ]);
    // Weights: 100 + 10 × 3 + 40 + 7 = 177 points; the W1 HK line is 30 points × 50 % of 100.00 (no fee):
    // 10000 × 15 / 177 = 847.46 fen, so 8.47 or 8.48 after largest remainder.
    const hk = alice[1]!.split(',');
    expect(['8.47', '8.48']).toContain(hk.at(-2));
    const suspense = await readFile(join(dir, 'out', 'suspense.csv'), 'utf8');
    expect(suspense).toContain('UNMATCHED.UNKNOWN_ISWC,,,,DSR_MusicCo_CMO_2026-06_1of1_.tsv,MusicCo,CN,2026-06-01/2026-06-30,OnDemandStream,1,7,');
  });

  it('reads a CWR repertoire', async () => {
    const dir = await tempDir();
    const pad = (s: string, n: number) => s.padEnd(n, ' ').slice(0, n);
    const prefix = (t: string, tx: number, rec: number) => t + String(tx).padStart(8, '0') + String(rec).padStart(8, '0');
    const swr = (tx: number, rec: number, ip: string, last: string, first: string, pr: string) =>
      prefix('SWR', tx, rec) + pad(ip, 9) + pad(last, 45) + pad(first, 30) + ' ' + 'CA' + pad('', 9) + pad('', 11) + '021' + pr + '034' + pr + '034' + pr + ' N';
    const nwr = (tx: number, title: string, id: string, iswc: string) =>
      prefix('NWR', tx, 0) + pad(title, 60) + 'EN' + pad(id, 14) + pad(iswc, 11) + '00000000' + pad('', 12) + 'POP' + '000300' + 'Y' + pad('', 9) + 'ORI';
    const cwr = [
      'HDRPB000000199' + pad('TEST SENDER', 45) + '01.10' + '20240101' + '120000' + '20240101',
      'GRHNWR0000102.100000000000',
      nwr(0, 'MOON RIVER', 'WK001', 'T0345246801'),
      swr(0, 1, 'W1', 'ZHANG', 'ALICE', '06000'),
      swr(0, 2, 'W2', 'LI', 'BOB', '03000'),
      'GRT000010000000100000005   0000000000',
      'TRL000010000000100000007',
    ].join('\r\n') + '\r\n';
    await writeFile(join(dir, 'works.cwr'), cwr);
    const usage = await writeUsageCsv(dir, [{ usageId: 'U1', iswc: 'T0345246801', plays: 10 }]);
    const r = await cli(['--works', join(dir, 'works.cwr'), '--usage', usage, '--pool', '100.00', '--currency', 'CNY', '--out', join(dir, 'out'), '--quiet']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(await readFile(join(dir, 'out', 'payouts.csv'), 'utf8')).toBe('party_id,amount\nW1,60.00\nW2,30.00\n');
    expect(await readFile(join(dir, 'out', 'suspense.csv'), 'utf8')).toContain('SUSPENSE.UNCLAIMED_SHARE,WK001,T0345246801,MOON RIVER,usage.csv,,,,,1,10,10.000000,10.00,0.00,0.00,10.00');
  });
});
