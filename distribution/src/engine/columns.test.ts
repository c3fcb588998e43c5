import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RejectedLine } from '../parsers/common';
import { aggregateUsage } from './aggregate';
import { BucketStore, METHOD_COUNT } from './buckets';
import { resolveParameters } from './parameters';
import { loadRepertoire, type EngineRepertoire } from './repertoire';
import { tempDir, writeWorksCsv } from './test-helpers';

function shares(rep: EngineRepertoire, i: number): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (let k = rep.shareStart[i]!; k < rep.shareStart[i + 1]!; k++) out.push([rep.partyIds[rep.shareParty[k]!]!, rep.shareUnits[k]!]);
  return out;
}

function creators(rep: EngineRepertoire, i: number): string[] {
  return Array.from({ length: rep.creatorCount(i) }, (_, k) => rep.creatorAt(i, k));
}

describe('EngineRepertoire columns', () => {
  it('keeps load order, merges a party listed twice and sums claimed units, with rows of a work apart', async () => {
    const dir = await tempDir();
    const path = await writeWorksCsv(dir, [
      { workId: 'W2', iswc: 'T0345246801', title: 'Second', partyId: 'P1', partyName: 'Ann Writer', share: '50' },
      { workId: 'W1', title: 'First', partyId: 'P2', partyName: 'Bob Writer', share: '30' },
      { workId: 'W2', iswc: 'T0345246801', title: 'Second', partyId: 'P3', partyName: 'Pub Co', role: 'publisher', share: '25' },
      { workId: 'W1', title: 'First', partyId: 'P2', partyName: 'Bob Writer', share: '40.5' },
      { workId: 'W2', iswc: 'T0345246801', title: 'Second', partyId: 'P1', partyName: 'Ann Writer', share: '60' },
      { workId: 'W1', title: 'First', partyId: 'P4', partyName: 'Cy', right: 'mechanical', share: '100' },
    ]);
    const rep = await loadRepertoire({ path }, 'performing');
    expect(rep.size).toBe(2);
    expect([rep.workId(0), rep.title(0), rep.iswc(0)]).toEqual(['W2', 'Second', 'T0345246801']);
    expect([rep.workId(1), rep.title(1), rep.iswc(1)]).toEqual(['W1', 'First', undefined]);
    expect(shares(rep, 0)).toEqual([['P1', 110_000_000], ['P3', 25_000_000]]);
    expect(shares(rep, 1)).toEqual([['P2', 70_500_000]]);
    expect([rep.claimed(0), rep.claimed(1)]).toEqual([135_000_000, 70_500_000]);
    // Creators: publishers left out, names once, mechanical-only parties still named.
    expect(creators(rep, 0)).toEqual(['Ann Writer']);
    expect(creators(rep, 1)).toEqual(['Bob Writer', 'Cy']);
    expect(rep.partyIds).toEqual(['P1', 'P2', 'P3']);
    expect([rep.workIndex('W1'), rep.workIndex('W2'), rep.workIndex('W3')]).toEqual([1, 0, undefined]);
  });

  it('reports a bad party id after the parser issues of the same chunk, and skips its row', async () => {
    const dir = await tempDir();
    const path = join(dir, 'works.csv');
    await writeFile(path, 'work_id,iswc,title,party_id,party_name,role,right,share\nW1,,A,bad id,X,composer,performing,50\nW1,,A,P2,Y,composer,performing,500\nW1,,A,P3,Z,composer,performing,50\n');
    const rejects: RejectedLine[] = [];
    const rep = await loadRepertoire({ path }, 'performing', { onError: 'quarantine', rejects });
    expect(rejects.map((r) => [r.line, r.code])).toEqual([[3, 'PARSE.INVALID_SHARE'], [2, 'ENGINE.BAD_PARTY_ID']]);
    expect(rejects[1]!.raw).toBe('W1,bad id');
    expect(shares(rep, 0)).toEqual([['P3', 50_000_000]]);
    expect(creators(rep, 0)).toEqual(['Z']);
    expect(rep.summary).toMatchObject({ accepted: 2, rejected: 2 });
  });

  it('matches to positions, with the method or the reason on the matcher', async () => {
    const dir = await tempDir();
    const path = await writeWorksCsv(dir, [
      { workId: 'W1', iswc: 'T-034.524.680-1', title: 'Sexual Healing', partyId: 'P1', partyName: 'Marvin Gaye', share: '100' },
      { workId: 'W2', title: 'Yesterday', partyId: 'P2', partyName: 'Paul McCartney', share: '100' },
      { workId: 'W3', title: 'Yesterday', partyId: 'P3', partyName: 'Paul Smith', share: '100' },
    ]);
    const rep = await loadRepertoire({ path }, 'performing');
    expect(rep.match({ iswc: 'T0345246801' })).toBe(0);
    expect(rep.matcher.method).toBe('iswc');
    expect(rep.match({ workId: 'W3' })).toBe(2);
    expect(rep.matcher.method).toBe('work_id');
    expect(rep.match({ title: 'yesterday', creators: ['P. McCartney'] })).toBe(1);
    expect(rep.matcher.method).toBe('title_creator');
    expect(rep.match({ title: 'Yesterday', creators: ['Paul'] })).toBe(-1);
    expect(rep.matcher.result(-1)).toEqual({ matched: false, reason: 'UNMATCHED.AMBIGUOUS_TITLE', candidates: ['W2', 'W3'] });
    // Building the title index ahead changes no answer.
    const again = await loadRepertoire({ path }, 'performing');
    again.matcher.prepare();
    expect(again.match({ title: 'yesterday', creators: ['P. McCartney'] })).toBe(1);
    expect(again.match({ title: 'Yesterday', creators: ['Paul'] })).toBe(-1);
    expect(again.matcher.reason).toBe('UNMATCHED.AMBIGUOUS_TITLE');
    rep.addRecording('GB-AAA-01-00001', 'W3');
    expect(rep.match({ isrc: 'GBAAA0100001' })).toBe(2);
    expect(rep.matcher.result(2)).toEqual({ matched: true, workId: 'W3', method: 'isrc' });
  });
});

describe('BucketStore', () => {
  it('grows past its capacity and keeps every column', () => {
    const s = new BucketStore(2);
    for (let i = 0; i < 100; i++) {
      const b = s.add(i, i % 3);
      s.lines[b] = i + 1;
      s.plays[b] = 2 * i;
      s.methodPlays[b * METHOD_COUNT + (i % 4)] = i;
      s.addPoints(b, i, 0n);
    }
    expect(s.count).toBe(100);
    s.trim();
    expect(s.work.length).toBe(100);
    expect([s.work[99], s.source[99], s.lines[99], s.plays[99], s.methodPlays[99 * 4 + 3]]).toEqual([99, 0, 100, 198, 99]);
    expect(s.points(57)).toBe(57n);
  });

  it('holds points exactly past 2^53', () => {
    const s = new BucketStore();
    const b = s.add(0, 0);
    const max = Number.MAX_SAFE_INTEGER;
    s.addPoints(b, max, 0n);
    s.addPoints(b, max, 0n);
    s.addPoints(b, 5, 10n ** 30n);
    expect(s.points(b)).toBe(2n * BigInt(max) + 5n + 10n ** 30n);
  });

  it('selects buckets in a given order with renumbered sources, carrying overflow', () => {
    const s = new BucketStore();
    for (let i = 0; i < 3; i++) s.addPoints(s.add(10 + i, i), 1 + i, i === 1 ? 1n << 60n : 0n);
    const t = s.select([2, 0, 1], [5, 6, 7]);
    expect(Array.from(t.work)).toEqual([12, 10, 11]);
    expect(Array.from(t.source)).toEqual([7, 5, 6]);
    expect([t.points(0), t.points(1), t.points(2)]).toEqual([3n, 1n, 2n + (1n << 60n)]);
  });
});

describe('aggregateUsage buckets', () => {
  it('keeps one bucket per (work, source) in order of first use, for a work used from many sources', async () => {
    const dir = await tempDir();
    const works = await writeWorksCsv(dir, [
      { workId: 'W1', iswc: 'T0345246801', title: 'One', partyId: 'P1', partyName: 'Ann', share: '100' },
      { workId: 'W2', iswc: 'T9109247316', title: 'Two', partyId: 'P2', partyName: 'Bo', share: '100' },
    ]);
    const rep = await loadRepertoire({ path: works }, 'performing');
    const terr = ['CN', 'HK', 'TW', 'MO', 'SG', 'MY'];
    const lines = ['HEAD\tdsrf/1.1\tBasicAudioProfile\t1.3\tM1\t2026-07-03T07:59:30Z\t1\t1\t2026-06-01\t2026-06-30\tPADPIDA1\tSvc\tSvc\tPADPIDA2\tCMO'];
    terr.forEach((t, i) => lines.push(`SY02.03\tS${i}\tSvc\tPADPIDA1\tSubscriptionModel\tOnDemandStream\t${t}\tSvc\t1\t1\tCNY\t1.00`));
    lines.push('AS02.02\t1\tR1\tD1\t\tOne\t\tA\t\tPT3M\tSoundRecording\tT0345246801\tAnn');
    for (let r = 0; r < 2; r++) terr.forEach((_, i) => lines.push(`SU02.02\t1\tS${i}\tT${r}.${i}\t\tR1\tTRUE\t${i + 1}\t\t\t`));
    lines.push('AS02.02\t2\tR2\tD2\t\tTwo\t\tB\t\tPT3M\tSoundRecording\tT9109247316\tBo');
    lines.push('SU02.02\t2\tS5\tT9\t\tR2\tTRUE\t7\t\t\t');
    lines.push(`FOOT\t${lines.length + 1}\t${lines.length + 1}\t6\t2\t2`);
    const path = join(dir, 'DSR_Svc_CMO_2026-06_1of1_.tsv');
    await writeFile(path, lines.join('\n') + '\n');
    const rp = resolveParameters({ currency: 'CNY', gross: '100.00', right: 'performing', method: 'pro_rata_points', managementFeeRate: '0', deductionRate: '0', threshold: '0' });
    const agg = await aggregateUsage(path, rep, rp);
    const b = agg.buckets;
    expect(b.count).toBe(7);
    expect(Array.from(b.work)).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(b.source)).toEqual([0, 1, 2, 3, 4, 5, 5]);
    expect(Array.from(b.lines)).toEqual([2, 2, 2, 2, 2, 2, 1]);
    expect(Array.from(b.plays)).toEqual([2, 4, 6, 8, 10, 12, 7]);
    expect(agg.sources.map((s) => s.territory)).toEqual(terr);
  });
});
