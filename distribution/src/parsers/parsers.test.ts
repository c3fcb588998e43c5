import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ParseError, textLineBatches, textLineRanges, type RejectedLine } from './common';
import { groupWorkRows, parseUsageCsv, parseWorksCsv, splitCsvRecord } from './csv';
import { parseCwr } from './cwr';
import { parseDsr, splitMulti, type DsrUsageLine } from './dsr';
import { formatIswc, normaliseIpiNameNumber, normaliseIsrc, normaliseIswc } from './identifiers';

describe('identifiers', () => {
  it('validates ISWC check digits in both forms', () => {
    expect(normaliseIswc('T-034.524.680-1')).toBe('T0345246801');
    expect(normaliseIswc('T0345246801')).toBe('T0345246801');
    expect(normaliseIswc('T9109247316')).toBe('T9109247316');
    expect(normaliseIswc('T0345246802')).toBeUndefined();
    expect(normaliseIswc('T-034.524.680')).toBeUndefined();
    expect(formatIswc('T0345246801')).toBe('T-034.524.680-1');
  });
  it('checks ISRC shape and IPI name numbers', () => {
    expect(normaliseIsrc('gb-aht-09-00445')).toBe('GBAHT0900445');
    expect(normaliseIsrc('BR-EMI-79-00')).toBeUndefined();
    expect(normaliseIsrc('G1AHT0900445')).toBeUndefined();
    expect(normaliseIpiNameNumber('297')).toBe('00000000297');
    expect(normaliseIpiNameNumber('123456789012')).toBeUndefined();
    expect(normaliseIpiNameNumber('12A')).toBeUndefined();
  });
});

describe('line splitting', () => {
  it('gives the lines of the whole text, however the bytes are chunked', async () => {
    const text = '\ufeffHEAD\tx\r\n\r\nAS\tLët Më 愛\r\nSU\t' + 'long '.repeat(40) + '\nlast\tline\r';
    const bytes = Buffer.from(text, 'utf8');
    const expected = text.slice(1).split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    for (const size of [1, 2, 3, 7, 64, bytes.length]) {
      const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, i * size + size));
      const lines: string[] = [];
      for await (const b of textLineBatches(chunks)) lines.push(...b);
      expect(lines, `chunks of ${size}`).toEqual(expected);
      const ranged: string[] = [];
      for await (const r of textLineRanges(chunks)) {
        if (r.head !== undefined) ranged.push(r.head);
        for (let k = 0; k < r.count; k++) ranged.push(r.text.slice(r.starts[k], r.ends[k]));
      }
      expect(ranged, `ranges, chunks of ${size}`).toEqual(expected);
    }
  });
});

describe('line splitting of large chunks', () => {
  it('keeps one batch per input chunk and every line, across the pieces a chunk is decoded in', async () => {
    const lines = Array.from({ length: 6000 }, (_, i) => (i % 997 === 5 ? 'x'.repeat(70_000) : `line ${i} 愛 ${'y'.repeat(i % 50)}`));
    const bytes = Buffer.from(lines.join('\r\n') + '\n', 'utf8');
    for (const size of [65_536, 70_001, 1 << 20]) {
      const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, i * size + size));
      const batches: string[][] = [];
      for await (const b of textLineBatches(chunks)) batches.push(b);
      expect(batches.flat(), `chunks of ${size}`).toEqual(lines);
      // A batch per chunk that completes a line: the same boundaries as splitting the whole chunks.
      let n = 0;
      for (const c of chunks) if (c.includes(10)) n++;
      expect(batches.length, `batches for chunks of ${size}`).toBe(n);
    }
  });
});

// --- CWR, inline fixture built field by field so positions are explicit.
function pad(s: string, n: number): string {
  return s.padEnd(n, ' ').slice(0, n);
}
const prefix = (t: string, tx: number, rec: number) => t + String(tx).padStart(8, '0') + String(rec).padStart(8, '0');
function spu(tx: number, rec: number, ip: string, name: string, type: string, ipi: string, pr: string, mr: string, sr: string) {
  return prefix('SPU', tx, rec) + '01' + pad(ip, 9) + pad(name, 45) + ' ' + pad(type, 2) + pad('', 9) + pad(ipi, 11) + pad('', 14) + '021' + pr + '034' + mr + '034' + sr + ' N';
}
function swr(tx: number, rec: number, ip: string, last: string, first: string, ipi: string, pr: string, mr: string, sr: string) {
  return prefix('SWR', tx, rec) + pad(ip, 9) + pad(last, 45) + pad(first, 30) + ' ' + 'CA' + pad('', 9) + pad(ipi, 11) + '021' + pr + '034' + mr + '034' + sr + ' N';
}
function nwr(tx: number, title: string, id: string, iswc: string) {
  return prefix('NWR', tx, 0) + pad(title, 60) + 'EN' + pad(id, 14) + pad(iswc, 11) + '00000000' + pad('', 12) + 'POP' + '000300' + 'Y' + pad('', 9) + 'ORI';
}
function cwrFile(shareOverride?: string): string {
  const lines = [
    'HDRPB000000199' + pad('TEST SENDER', 45) + '01.10' + '20240101' + '120000' + '20240101',
    'GRHNWR0000102.100000000000',
    nwr(0, '愛的故事 LOVE STORY', 'WK001', 'T0345246801'),
    spu(0, 1, 'P1', 'PUB ONE', 'E', '00000000297', '05000', '05000', '05000'),
    prefix('SPT', 0, 2) + pad('P1', 9) + '      ' + '05000' + '05000' + '05000' + 'I' + '2136' + 'N' + '001',
    swr(0, 3, 'W1', 'GAYE', 'MARVIN', '00000000395', shareOverride ?? '05000', '05000', '05000'),
    prefix('SWT', 0, 4) + pad('W1', 9) + '05000' + '05000' + '05000' + 'I' + '2136' + 'N' + '001',
    prefix('PWR', 0, 5) + pad('P1', 9) + pad('PUB ONE', 45) + pad('', 28) + pad('W1', 9),
    prefix('ALT', 0, 6) + pad('LOVE STORY', 60) + 'AT' + 'EN',
    prefix('PER', 0, 7) + pad('SINGER', 45) + pad('ANNA', 30) + pad('', 11),
    prefix('REC', 0, 8) + '20240101' + pad('', 60) + '000300' + pad('', 5) + pad('ALBUM', 60) + pad('LABEL', 60) + pad('CAT1', 18) + pad('', 13) + 'GBAHT0900445',
    nwr(1, 'SECOND', 'WK002', ''),
    swr(1, 1, 'W2', 'DOE', 'JANE', '', '10000', '10000', '10000'),
    'GRT000010000000200000013   0000000000',
    'TRL000010000000200000015',
  ];
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

describe('parseCwr (inline)', () => {
  it('parses works, shares per right, collection shares, links, titles, performers and ISRCs', async () => {
    const { records, summary } = await parseCwr([Buffer.from(cwrFile())]).collect();
    expect(summary.errors).toEqual([]);
    expect(summary.accepted).toBe(2);
    const w = records[0]!;
    expect(w).toMatchObject({ submitterWorkId: 'WK001', title: '愛的故事 LOVE STORY', iswc: 'T0345246801', line: 3 });
    expect(w.publishers[0]).toMatchObject({ ipNumber: 'P1', type: 'E', ipiNameNumber: '00000000297', ownership: { pr: '50.00', mr: '50.00', sr: '50.00' } });
    expect(w.publishers[0]!.collection[0]).toMatchObject({ tisCode: '2136', inclusion: 'I', shares: { pr: '50.00' } });
    expect(w.writers[0]).toMatchObject({ lastName: 'GAYE', firstName: 'MARVIN', ipiNameNumber: '00000000395', publisherIpNumbers: ['P1'] });
    expect(w.writers[0]!.collection).toHaveLength(1);
    expect(w.alternateTitles).toEqual([{ title: 'LOVE STORY', titleType: 'AT', language: 'EN' }]);
    expect(w.performers).toEqual([{ lastName: 'SINGER', firstName: 'ANNA' }]);
    expect(w.recordings[0]).toMatchObject({ isrc: 'GBAHT0900445', albumTitle: 'ALBUM', label: 'LABEL' });
    expect(records[1]!.writers[0]!.ownership.pr).toBe('100.00');
    expect(summary.groups[0]).toMatchObject({ transactions: 2, records: 13, declaredRecords: 13 });
  });

  it('fail mode throws a typed error with line and field on a bad share', async () => {
    const err = await parseCwr([cwrFile('XXX00')]).collect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    expect(err).toMatchObject({ line: 6, field: 'prOwnershipShare', code: 'PARSE.INVALID_SHARE' });
  });

  it('quarantine mode rejects the work, keeps the others and sends the raw line to the sink', async () => {
    const rejects: RejectedLine[] = [];
    const { records, summary } = await parseCwr([cwrFile('XXX00')], { onError: 'quarantine', rejects }).collect();
    expect(records.map((r) => r.submitterWorkId)).toEqual(['WK002']);
    expect(summary).toMatchObject({ accepted: 1, rejected: 1, worksRejected: 1 });
    expect(rejects[0]).toMatchObject({ line: 6, field: 'prOwnershipShare', raw: expect.stringContaining('SWR') });
  });

  it('reports trailer mismatches and a missing trailer', async () => {
    const bad = cwrFile().replace('GRT000010000000200000013', 'GRT000010000000300000013').replace(/TRL.*\r\n$/, '');
    const { summary } = await parseCwr([bad], { onError: 'quarantine' }).collect();
    expect(summary.errors.map((e) => e.code)).toEqual(['CWR.TRAILER_MISMATCH', 'CWR.MISSING_TRAILER']);
    expect(summary.accepted).toBe(2);
  });

  it('decodes a non-UTF-8 line with CP437 and warns', async () => {
    const buf = Buffer.from(cwrFile().replace('SECOND', 'SECOND X'), 'utf8');
    const at = buf.indexOf('SECOND X') + 7;
    buf[at] = 0xa5; // Ñ in CP437
    const { records, summary } = await parseCwr([buf]).collect();
    expect(records[1]!.title).toBe('SECOND Ñ');
    expect(summary.fallbackLines).toBe(1);
    expect(summary.warnings[0]).toMatchObject({ code: 'CWR.NON_UTF8_LINE', line: 12 });
  });

  it('splits chunks anywhere, even inside a multi-byte character', async () => {
    const bytes = Buffer.from(cwrFile());
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
    const { records, summary } = await parseCwr(chunks).collect();
    expect(summary.errorCount).toBe(0);
    expect(records[0]!.title).toBe('愛的故事 LOVE STORY');
  });
});

// --- DSR inline.
const dsr = [
  'HEAD\tdsrf/1.1\tBasicAudioProfile\t1.3\tM1\t2024-01-01T00:00:00Z\t1\t1\t2024-01-01\t2024-01-31\tPADPIDA1\tSvc\tSvc\tPADPIDA2\tCMO',
  '#SY01.02\tSummaryRecordId\tDistributionChannel\tDistributionChannelDPID\tCommercialModel\tUseType\tTerritory\tServiceDescription\tTotalUsages\tSubscribers\tCurrencyOfReporting\tNetRevenue',
  'SY01.02\tS1\tSvc\tDP\tSubscriptionModel\tStream\tCN\tSvc\t10\t1\tCNY\t100.50',
  'AS02\t1\tR1\tD1\tCNA1B2400001\tLët Më \\| Go\t\tArtist\t\tPT3M\tSoundRecording\tT-034.524.680-1\tWriter A|Writer\\|B',
  'SU02\t1\tS1\tT1\t\tR1\tTRUE\t7\t0.99\t\tOnDemandStream',
  'SU02\t1\tS1\tT2\t\tR1\tTRUE\tseven\t\t\tOnDemandStream',
  'SU02\t1\tS9\tT3\t\tR1\tTRUE\t1\t\t\tOnDemandStream',
  'FOOT\t8\t8\t1\t1\t1',
];

describe('parseDsr (inline)', () => {
  it('splits escaped multi-values', () => {
    expect(splitMulti('a|b\\|c|\\\\d|')).toEqual(['a', 'b|c', '\\d']);
  });
  it('emits usage lines with identifiers, creators and context; quarantines bad lines', async () => {
    const rejects: RejectedLine[] = [];
    const { records, summary } = await parseDsr([dsr.join('\n')], { onError: 'quarantine', rejects }).collect();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ line: 5, isrc: 'CNA1B2400001', iswc: 'T0345246801', title: 'Lët Më | Go', creators: ['Writer A', 'Writer|B'], plays: 7, price: '0.99', currency: 'CNY', territory: 'CN', usageId: '1:T1' });
    expect(rejects.map((r) => [r.line, r.code])).toEqual([[6, 'PARSE.INVALID_COUNT'], [7, 'DSR.UNKNOWN_SUMMARY']]);
    expect(summary).toMatchObject({ accepted: 1, rejected: 2, blocks: 1 });
  });
  it('checks FOOT counts', async () => {
    const { summary } = await parseDsr([dsr.slice(0, 5).join('\n') + '\nFOOT\t9\t9\t2\t1\t1\n'], { onError: 'quarantine' }).collect();
    expect(summary.errors.map((e) => [e.field, e.code])).toEqual([
      ['NumberOfLinesInFile', 'DSR.FOOT_MISMATCH'],
      ['NumberOfSummaryRecords', 'DSR.FOOT_MISMATCH'],
      ['NumberOfLinesInReport', 'DSR.FOOT_MISMATCH'],
    ]);
  });
});

// --- CSV interchange.
describe('CSV interchange', () => {
  it('splits RFC 4180 records', () => {
    expect(splitCsvRecord('a,"b,c","d""e",')).toEqual(['a', 'b,c', 'd"e', '']);
    expect(splitCsvRecord('a,"open')).toBeNull();
    expect(typeof splitCsvRecord('a,"x"y')).toBe('string');
  });
  it('parses works.csv rows and groups them', async () => {
    const text = 'work_id,iswc,title,party_id,party_name,role,right,share\r\nW1,T-034.524.680-1,"Love, Story",P1,"Sun, Yao",composer,performing,50\r\nW1,,"Love, Story",P2,Pub,publisher,performing,50\r\nW1,,"Love, Story",P2,Pub,publisher,mechanical,100\r\nW2,,X,P3,Z,author,performing,101\r\n';
    const rejects: RejectedLine[] = [];
    const s = parseWorksCsv([text], { onError: 'quarantine', rejects });
    const works = await groupWorkRows(s);
    expect(works.get('W1')).toMatchObject({ iswc: 'T0345246801', title: 'Love, Story' });
    expect(works.get('W1')!.shares.performing).toHaveLength(2);
    expect(rejects).toEqual([expect.objectContaining({ line: 5, field: 'share', code: 'PARSE.INVALID_SHARE' })]);
    expect(s.summary).toMatchObject({ accepted: 3, rejected: 1, lines: 5 });
  });
  it('hands works.csv rows to a sink as views with the values, errors and order of batch mode', async () => {
    const rows = [
      'work_id,iswc,title,party_id,party_name,role,right,share',
      'W1,T0345246801,Plain,P1,Ann,composer,performing,50',
      'W1,t0345246801,Plain,P2,,publisher,mechanical,100.000000',
      'W2,T-034.524.680-1, Spaced ,P3,Bo ,author,performing,0.000001',
      'W3,,"Quoted, title",P4,"Multi',
      'line",composer,performing,33.3333',
      '',
      'W4,T0345246802,Bad ISWC,P5,X,composer,performing,10',
      'W5,,Over,P6,X,composer,performing,100.5',
      'W6,,Too many,P7,X,composer,performing,10,extra',
      'W7,,,P8,X,composer,performing,10',
      'W8,,Right,P9,X,composer,sync,10',
      'W9,,Decimals,P10,X,composer,performing,1.1234567',
      'W10,,Dot,P11,X,composer,performing,5.',
      'W11,,Hundred,P12,X,composer,performing,0100',
      'W12,,Quote"inside,P13,X,composer,performing,1',
      'W13,,Tab\tend\t,P14,X,composer,performing,1',
    ].join('\r\n').replace(/\\t/g, '\t');
    const batchRejects: RejectedLine[] = [];
    const batch = await parseWorksCsv([rows], { onError: 'quarantine', rejects: batchRejects }).collect();
    const sinkRejects: RejectedLine[] = [];
    const seen: Array<Record<string, unknown>> = [];
    const stream = parseWorksCsv([rows], {
      onError: 'quarantine',
      rejects: sinkRejects,
      sink: (v) => seen.push({ line: v.line, workId: v.workId, iswc: v.iswc, title: v.title, partyId: v.partyId, partyName: v.partyName, role: v.role, right: v.right, share: v.share, units: v.shareUnits }),
    });
    for await (const b of stream.batches()) expect(b).toEqual([]);
    const units = (share: string) => Math.round(Number(share) * 1_000_000);
    expect(seen).toEqual(batch.records.map((r) => ({ line: r.line, workId: r.workId, iswc: r.iswc, title: r.title, partyId: r.partyId, partyName: r.partyName, role: r.role, right: r.right, share: r.share, units: units(r.share) })));
    expect(seen.map((r) => r.line)).toEqual([2, 3, 4, 5, 15, 17]);
    expect(sinkRejects).toEqual(batchRejects);
    // Malformed records of a chunk come before its field errors, in both modes.
    expect(batchRejects.map((r) => r.line)).toEqual([16, 8, 9, 10, 11, 12, 13, 14]);
    expect(stream.summary).toEqual(batch.summary);
    const badHeader = parseWorksCsv(['work_id,iswc,title\nW1,,T,P1,,composer,performing,1\n'], { onError: 'quarantine', sink: () => expect.fail('no row after a bad header') });
    await expect(badHeader.collect()).rejects.toMatchObject({ code: 'PARSE.BAD_HEADER' });
  });
  it('parses usage.csv with quoted multi-line fields and reports line numbers', async () => {
    const text = [
      'usage_id,work_id,iswc,isrc,title,creators,plays,amount',
      'U1,W1,,,"Title with ""quotes""",A|B,3,1.50',
      'U2,,T0345246801,GB-AHT-09-00445,"two',
      'lines",,0,',
      'U3,,,,T,,x,',
      'U4,,,,T,,1,-1',
      'U5,,T0345246802,,T,,1,',
      'U6,,,BAD,T,,1,',
      'U7,,,,T,,1',
    ].join('\n');
    const rejects: RejectedLine[] = [];
    const { records, summary } = await parseUsageCsv([text], { onError: 'quarantine', rejects }).collect();
    expect(records.map((r) => [r.line, r.usageId])).toEqual([[2, 'U1'], [3, 'U2']]);
    expect(records[0]).toMatchObject({ workId: 'W1', title: 'Title with "quotes"', creators: ['A', 'B'], plays: 3, amount: '1.50' });
    expect(records[1]).toMatchObject({ iswc: 'T0345246801', isrc: 'GBAHT0900445', title: 'two\nlines', plays: 0 });
    expect(rejects.map((r) => [r.line, r.field, r.code])).toEqual([
      [5, 'plays', 'PARSE.INVALID_COUNT'],
      [6, 'amount', 'PARSE.INVALID_AMOUNT'],
      [7, 'iswc', 'PARSE.INVALID_ISWC'],
      [8, 'isrc', 'PARSE.INVALID_ISRC'],
      [9, 'record', 'PARSE.FIELD_COUNT'],
    ]);
    expect(summary).toMatchObject({ accepted: 2, rejected: 5 });
  });
  it('fail mode throws on the first bad record; a wrong header always throws', async () => {
    await expect(parseUsageCsv(['usage_id,work_id,iswc,isrc,title,creators,plays,amount\nU1,,,,T,,x,\n']).collect()).rejects.toMatchObject({ line: 2, field: 'plays', code: 'PARSE.INVALID_COUNT' });
    await expect(parseUsageCsv(['id,plays\n'], { onError: 'quarantine' }).collect()).rejects.toMatchObject({ code: 'PARSE.BAD_HEADER' });
  });
});

// --- Real sample files written by others (read in place, never copied).
const here = fileURLToPath(new URL('.', import.meta.url));
const DATA = [resolve(here, '../../../../shared/data'), resolve(process.cwd(), '../shared/data')].find((p) => existsSync(p)) ?? resolve(here, '../../../../shared/data');
const haveData = existsSync(DATA);
if (!haveData) {
  if (process.env.CI === 'true') throw new Error(`sample data folder ${DATA} is missing (required under CI)`);
  console.log(`skipping real-sample parser tests: ${DATA} not found`);
}
const cwr = (f: string) => resolve(DATA, 'cwr', f);
const dsrFile = (f: string) => resolve(DATA, 'dsr', f);
const q = { onError: 'quarantine' as const };

describe.skipIf(!haveData)('real CWR samples', () => {
  it('EMI 2013 export: 353 NWR, trailers match, BOM and two DOS bytes', async () => {
    const { records, summary } = await parseCwr(cwr('weso__CWR-WebClient__CW1328EMI_059.V21'), q).collect();
    expect(summary.transactions).toEqual({ AGR: 179, NWR: 353 });
    expect(summary.accepted).toBe(353);
    expect(summary.errorCount).toBe(0);
    expect(summary.fallbackLines).toBe(2);
    const count = (k: 'publishers' | 'writers' | 'performers' | 'recordings' | 'alternateTitles') => records.reduce((n, w) => n + w[k].length, 0);
    expect(count('performers')).toBe(283);
    expect(count('alternateTitles')).toBe(39);
    expect(count('recordings')).toBe(48);
    expect(records.some((w) => w.alternateTitles.some((a) => a.title === 'VAMOS LOS NIÑOS') || w.writers.some((x) => x.lastName.includes('Ñ')) || w.publishers.some((p) => p.name.includes('Ñ')))).toBe(true);
    // Two REC records carry a truncated ISRC: dropped with a warning, works kept.
    expect(summary.warnings.filter((w) => w.code === 'PARSE.INVALID_ISRC')).toHaveLength(2);
  });

  it('small valid files parse cleanly', async () => {
    for (const [f, n] of [['weso__CWR-DataApi__nwrexample2.V21', 1], ['weso__CWR-DataApi__revexample.V21', 2], ['matijakolaric-com__django-music-publisher__CW220001DMP_000.V21', 1]] as const) {
      const { records, summary } = await parseCwr(cwr(f), q).collect();
      expect(summary.errors, f).toEqual([]);
      expect(records, f).toHaveLength(n);
    }
    const { records } = await parseCwr(cwr('matijakolaric-com__django-music-publisher__CW220001DMP_000.V21')).collect();
    expect(records[0]!.alternateTitles).toHaveLength(5);
    expect(records[0]!.writers.filter((w) => w.controlled)).toHaveLength(2);
  });

  it('the XXX share is rejected with its line and field', async () => {
    const err = await parseCwr(cwr('matijakolaric-com__django-music-publisher__CW220004DMP_000.V21')).collect().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PARSE.INVALID_SHARE', line: 8 });
  });

  it('invalid files yield errors with line numbers, never a crash', async () => {
    const expectations: Record<string, string[]> = {
      'weso__CWR-DataApi__ackexample.V21': ['CWR.TRAILER_MISMATCH'],
      'weso__CWR-DataApi__demo_cwr_cleaned.v22': ['CWR.UNKNOWN_RECORD', 'CWR.TRAILER_MISMATCH'],
      'musicmetadata__edi__CW190001MPC_000.V21': ['CWR.INVALID_SEQUENCE', 'CWR.UNKNOWN_RECORD', 'CWR.TRAILER_MISMATCH'],
      'max1millions__CWR-Validator__broken.V21': ['CWR.INVALID_HEADER', 'CWR.MISSING_TRAILER'],
      'max1millions__CWR-Validator__hdr_ipnn_v21.V21': ['CWR.TRAILER_MISMATCH'],
      'label-tools__php-cwr-exporter__sacm_ack_sample.txt': ['CWR.TRAILER_MISMATCH'],
      'matijakolaric-com__django-music-publisher__CW220001052_DMP.V21': ['CWR.TRAILER_MISMATCH'],
      'musicmetadata__edi__CW190008MPC_0000_V3-0-0.ISR': ['CWR.UNSUPPORTED_VERSION'],
    };
    for (const [f, codes] of Object.entries(expectations)) {
      const { summary } = await parseCwr(cwr(f), q).collect();
      const got = new Set(summary.errors.map((e) => e.code));
      for (const c of codes) expect(got.has(c), `${f}: ${c} in ${[...got].join(',')}`).toBe(true);
      expect(summary.errors.every((e) => e.line >= 0)).toBe(true);
    }
    const hdr = await parseCwr(cwr('max1millions__CWR-Validator__hdr_ipnn_v21.V21'), q).collect();
    expect(hdr.summary.header?.senderId).toBe('01234567890');
  });

  it('ACK files: acknowledgement transactions counted, echoed works not emitted', async () => {
    const { records, summary } = await parseCwr(cwr('label-tools__php-cwr-exporter__ascap_ack_sample.txt'), q).collect();
    expect(records).toEqual([]);
    expect(summary.transactions.ACK).toBe(54);
    expect(summary.errorCount).toBe(0);
  });
});

/** A scratch-mode usage line as a plain object (the record is overwritten by the next line). */
function dsrSnapshot(u: DsrUsageLine): Record<string, unknown> {
  const keys = ['line', 'usageId', 'recordType', 'blockId', 'summaryRecordId', 'salesTransactionId', 'resourceReference', 'dspResourceId', 'displayArtist', 'releaseTitle', 'useType', 'commercialModel', 'territory', 'currency', 'price', 'workId', 'iswc', 'isrc', 'title', 'plays', 'amount'] as const;
  const o: Record<string, unknown> = { creators: [...u.creators], proprietaryIds: [...u.proprietaryIds] };
  for (const k of keys) o[k] = u[k];
  return o;
}

/** Parses `input` in batch and in scratch mode and expects the same lines, rejects and summary. */
async function expectScratchLikeBatch(input: () => Parameters<typeof parseDsr>[0], fileName?: string): Promise<number> {
  const opts = { onError: 'quarantine' as const, ...(fileName ? { fileName } : {}) };
  const batchRejects: RejectedLine[] = [];
  const batch = await parseDsr(input(), { ...opts, rejects: batchRejects }).collect();
  const scratchRejects: RejectedLine[] = [];
  const seen: Record<string, unknown>[] = [];
  const stream = parseDsr(input(), { ...opts, rejects: scratchRejects, sink: (u) => seen.push(dsrSnapshot(u)) });
  for await (const b of stream.batches()) expect(b).toEqual([]);
  expect(seen).toEqual(batch.records.map(dsrSnapshot));
  expect(scratchRejects).toEqual(batchRejects);
  expect(stream.summary).toEqual(batch.summary);
  return seen.length;
}

describe('parseDsr scratch mode', () => {
  it('gives the lines of batch mode on awkward usage records', async () => {
    const file = [
      dsr[0]!,
      '#SY02.03\tSummaryRecordId\tDistributionChannel\tDistributionChannelDPID\tCommercialModel\tUseType\tTerritory\tServiceDescription\tUsages\tUsers\tCurrency\tNetRevenue',
      'SY02.03\tS1\tSvc\tDP\tSubscriptionModel\tOnDemandStream\tCN\tSvc\t10\t1\tCNY\t100.50',
      'SY02.03\tS2\tSvc\tDP\tAdvertisementSupportedModel\t\tHK\tSvc\t10\t1\tHKD\t1',
      'AS02.02\t1\tR1\tD1\tCNA1B2400001\tOne\t\tArtist\t\tPT3M\tSoundRecording\tT0345246801\tWriter A',
      'AS02.02\t1\tR2\tD2\tCNA1B2400002\tTwo \\\\ back\t\tArtist\t\tPT3M\tSoundRecording\t\t',
      'SU02.02\t1\tS1\tT1\t\tR1\tTRUE\t7\t0.99\t\t',
      'SU02.02\t1\tS2\tT2\t\tR2\tTRUE\t 8 \t\t\tDownload',
      'SU02.02\t1\tS1\t T3\t\tD2\tTRUE\t9\t-1.5\t\t',
      'SU02.02\t1\tS1\tT4\t\tR9\tTRUE\t1\t\t\t',
      'SU02.02\t1\tS3\tT5\t\tR1\tTRUE\t1\t\t\t',
      'SU02.02\t1\tS1\t\t\tR1\tTRUE\t\t\t\t',
      'SU02.02\t1\tS1\tT6\t\tR1\tTRUE\t0012\tx\t\t',
      'SU02.02\t 1\tS1\tT7\t\tR1\tTRUE\t3\t\t\t',
      'SU02.02\t2\tS1\tT8\t\tR1\tTRUE\t3\t\t\t',
      'AS02.02\t3\tR1\tD1\tCNA1B2400003\tThree\t\tArtist\t\tPT3M\tSoundRecording\t\tWriter C',
      'SU02.02\t3\tS1\tT\\|9\t\tR7\tTRUE\t4\t\t\tStream',
      'SU02.02\t3\tS2\tT10\t\t\tTRUE\t4\t\t\t',
      'SU02.02\t3\t\tT11\t\tR1\tTRUE\t1234567890123456\t\t\t',
      'SU02.02\t3\tS1\tT12\t\tR1\tTRUE\t5',
      'SU02.02\t3\tS2\tT13\t\tR1\tTRUE\t6\t\t\tOnDemandStream\textra',
      'SU01\t3\tS1\tT14\t\tR1\tTRUE\t2\t3.5',
      'FOOT\t24\t24\t3\t3\t3',
    ];
    expect(await expectScratchLikeBatch(() => [file.join('\n')])).toBe(10);
    const bytes = Buffer.from(file.join('\n'));
    expect(await expectScratchLikeBatch(() => Array.from({ length: Math.ceil(bytes.length / 13) }, (_, i) => bytes.subarray(i * 13, i * 13 + 13)))).toBe(10);
    expect(await expectScratchLikeBatch(() => [dsr.join('\r\n')])).toBe(1);
  });
});

describe.skipIf(!haveData)('real DSR samples', () => {
  it('scratch mode gives the lines, rejects and summary of batch mode on every sample', async () => {
    for (const f of readdirSync(resolve(DATA, 'dsr'))) await expectScratchLikeBatch(() => dsrFile(f), f);
  });
  it('Basic Audio subscription file: 15 usage lines, FOOT matches', async () => {
    const { records, summary } = await parseDsr(dsrFile('Orfium__dsrf-parser-poc__DSR_PADPIDA00123456743_PADPIDA0123456766K_UnlimitedMusicMonthly_2020-06-01--2020-06-30__1of1_20200703T075930.tsv')).collect();
    expect(records).toHaveLength(15);
    expect(summary).toMatchObject({ errorCount: 0, blocks: 3, lines: 33 });
    expect(records.reduce((n, r) => n + r.plays, 0)).toBe(3160);
    expect(records[0]).toMatchObject({ isrc: 'GBAHT0900445', title: 'Aniron', plays: 120, currency: 'GBP' });
  });
  it('ad-funded file: unknown summary SY1 and wrong FOOT block count', async () => {
    const { summary } = await parseDsr(dsrFile('Orfium__dsrf-parser-poc__DSR_PADPIDA2015999999X_PADPIDA2015999999X_AdFunded_2015-08-01--2015-08-31__1of1_20151123T182957.tsv'), q).collect();
    expect(summary.rejected).toBe(3);
    expect(summary.errors.map((e) => e.code)).toEqual(['DSR.UNKNOWN_SUMMARY', 'DSR.UNKNOWN_SUMMARY', 'DSR.UNKNOWN_SUMMARY', 'DSR.FOOT_MISMATCH']);
  });
  it('YouTube UGC files: 6 usage lines; TEST2 has a stale FOOT line count', async () => {
    const a = await parseDsr(dsrFile('ddexnet__dsrf__DSR_TEST_YouTube_AdSupport-music_2015-Q4_IS_1of1_20160121T150926.tsv')).collect();
    expect(a.records).toHaveLength(6);
    expect(a.summary.summaries).toHaveLength(4);
    expect(a.records[1]).toMatchObject({ iswc: 'T9109247316', isrc: 'USUV71101875', plays: 2045, amount: '2.0', currency: 'USD' });
    const b = await parseDsr(dsrFile('ddexnet__dsrf__DSR_TEST2_YouTube_AdSupport-music_2015-Q4_IS_1of1_20160121T150926.tsv'), q).collect();
    expect(b.records).toHaveLength(6);
    expect(b.summary.errors).toEqual([expect.objectContaining({ line: 34, field: 'NumberOfLinesInFile', code: 'DSR.FOOT_MISMATCH' })]);
  });
  it('tiny schema files: escaped pipe, HEAD file count vs name, legacy FHEA/FFOO', async () => {
    const ok = await parseDsr(dsrFile('ddexnet__dsrf__DSR_PADPIDA2014999999Z_PADPIDA2014111801Y_AdSupport_2015-02_AU_1of1_20150723T092522.tsv'), q).collect();
    expect(ok.summary.errors.map((e) => e.code)).toEqual(['DSR.FOOT_MISMATCH']);
    const bad = await parseDsr(dsrFile('ddexnet__dsrf__DSR_PADPIDA2014999999Z_PADPIDA2014111801Y_AdSupport_2015-02_AU_1of1_20140617T092522.tsv'), q).collect();
    expect(bad.summary.errors[0]).toMatchObject({ line: 1, field: 'NumberOfFiles', code: 'DSR.HEAD_MISMATCH' });
    const legacy = await parseDsr(dsrFile('ddexnet__dsrf__test_file_parser.tsv'), q).collect();
    expect(legacy.summary.warnings.map((w) => w.code)).toEqual(['DSR.LEGACY_RECORD', 'DSR.LEGACY_RECORD']);
  });
});
