/**
 * Realistic demo data, generated deterministically (a seeded PRNG, no clock) so every start and
 * every machine produce the same ledger: two collectives, about 50 members, about 500 works with
 * split shares, about 20 licensees of different kinds, published tariffs, licences and a quarter
 * of invoices and payments. Names are invented; IPI numbers and ISWCs are well-formed but fictitious.
 */
import { quoteTariff, type QuoteInput, type TariffFormula } from '@rtl/distribution/tariff';

/** The demo's quarter of income. */
export const DEMO_PERIOD = '2026Q3';

/** A small, fast, seedable PRNG (mulberry32): reproducible demo data without `Math.random`. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '晓东', '海燕', '子涵', '雨桐', '浩然', '思远'];
const TITLE_A = ['月光', '春风', '故乡', '星河', '青春', '远方', '夜色', '雨后', '海边', '城市', '梦里', '花开', '时光', '山歌', '长江', '北京', '草原', '小城', '秋天', '黎明'];
const TITLE_B = ['的歌', '之恋', '回响', '往事', '印记', '旅程', '日记', '心愿', '序曲', '情书', '小调', '童谣', '协奏曲', '之夜', '未眠', '漫步'];
const EN_TITLES = ['Blue Lantern', 'Northern Lights', 'Paper Boats', 'Midnight Tea', 'Golden Hour', 'River Song', 'Neon Rain', 'Quiet Harbour', 'Silk Road', 'Wild Orchid'];
const PUBLISHERS = ['华音版权', '星海音乐出版', '东方乐章出版', '长风音乐'];

/** A party to register. */
export interface DemoParty {
  partyId: string;
  collectiveId: string;
  kind: 'member' | 'licensee';
  name: string;
  memberType?: 'author' | 'composer' | 'author_composer' | 'publisher' | 'producer';
  ipiNameNumber?: string;
  licenseeType?: 'ktv' | 'background_music' | 'broadcaster' | 'streaming' | 'cinema' | 'live';
}

/** A work to register. */
export interface DemoWork {
  workId: string;
  iswc?: string;
  title: string;
  alternateTitles: string[];
  creators: Array<{ name: string; role: 'composer' | 'author' | 'author_composer' | 'publisher'; partyId: string; ipiNameNumber?: string }>;
  shares: { performing: Array<{ partyId: string; share: string }>; mechanical?: Array<{ partyId: string; share: string }> };
  effectiveFrom: string;
}

/** A tariff to publish. */
export interface DemoTariff {
  tariffId: string;
  collectiveId: string;
  name: string;
  useType: string;
  rightTypes: Array<'performing' | 'mechanical'>;
  reasoning: string;
  formula: TariffFormula;
  effectiveFrom: string;
  /** The usage a typical licensee declares, for its licence fee quote. */
  typicalUsage: QuoteInput;
}

/** A licence, with the quarter's invoice and payment for it. */
export interface DemoLicence {
  licenceId: string;
  licenseeId: string;
  tariffId: string;
  collectiveId: string;
  useType: string;
  rightType: 'performing' | 'mechanical';
  validFrom: string;
  validTo: string;
  territory: string;
  scope: string;
  annualFee: string;
  quarterFee: string;
  /** What the licensee has paid of the quarter's invoice: all, part or nothing. */
  paid: string;
}

/** The whole demo data set. */
export interface DemoData {
  collectives: Array<{ collectiveId: string; mspId: string; name: string; country: string }>;
  parties: DemoParty[];
  works: Array<DemoWork & { collectiveId: string }>;
  recordings: Array<{ isrc: string; workId: string; title: string; artist: string; collectiveId: string }>;
  tariffs: DemoTariff[];
  licences: DemoLicence[];
}

/** ISWC check digit: weighted sum of the nine digits (weights 1..9, plus 1), mod 10, complemented. */
function iswcFor(n: number): string {
  const digits = String(n).padStart(9, '0');
  let sum = 1;
  for (let i = 0; i < 9; i++) sum += (i + 1) * Number(digits[i]);
  const check = (10 - (sum % 10)) % 10;
  return `T-${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6, 9)}-${check}`;
}

/** Splits 100 % into n shares with four decimals that sum exactly to 100 (or less, leaving some unclaimed). */
function splitShares(rand: () => number, n: number, unclaimedBasisPoints = 0): string[] {
  const totalUnits = 1_000_000 - unclaimedBasisPoints * 100; // units of 0.0001 %
  const weights = Array.from({ length: n }, () => 1 + Math.floor(rand() * 4));
  const sum = weights.reduce((a, b) => a + b, 0);
  const units = weights.map((w) => Math.floor((totalUnits * w) / sum));
  units[0]! += totalUnits - units.reduce((a, b) => a + b, 0);
  return units.map((u) => `${Math.floor(u / 10_000)}.${String(u % 10_000).padStart(4, '0')}`);
}

function money2(fen: bigint): string {
  return `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
}

function toFen(text: string): bigint {
  const [i = '0', f = ''] = text.split('.');
  return BigInt(i) * 100n + BigInt((f + '00').slice(0, 2));
}

/** Generates the demo data set. */
export function demoData(): DemoData {
  const rand = prng(20260701);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const collectives = [
    { collectiveId: 'MCSC', mspId: 'MusicCmoMSP', name: '中国音乐著作权协会 (demo) Music Copyright Society', country: 'CN' },
    { collectiveId: 'CAVCA', mspId: 'AvCmoMSP', name: '中国音像著作权集体管理协会 (demo) Audio-Visual Copyright Association', country: 'CN' },
  ];

  const parties: DemoParty[] = [];
  const membersOf: Record<string, { writers: DemoParty[]; publishers: DemoParty[] }> = { MCSC: { writers: [], publishers: [] }, CAVCA: { writers: [], publishers: [] } };
  const usedNames = new Set<string>();
  const personName = () => {
    for (;;) {
      const n = pick(SURNAMES) + pick(GIVEN);
      if (!usedNames.has(n)) {
        usedNames.add(n);
        return n;
      }
    }
  };
  let ipi = 271_000_000;
  for (const [collectiveId, writers, publishers] of [['MCSC', 32, 4], ['CAVCA', 12, 2]] as const) {
    for (let i = 1; i <= writers; i++) {
      const type = (['composer', 'author', 'author_composer'] as const)[i % 3]!;
      ipi += 1 + Math.floor(rand() * 900);
      const p: DemoParty = { partyId: `${collectiveId}-M${String(i).padStart(3, '0')}`, collectiveId, kind: 'member', name: personName(), memberType: type, ...(i % 5 !== 0 && { ipiNameNumber: String(ipi).padStart(11, '0') }) };
      parties.push(p);
      membersOf[collectiveId]!.writers.push(p);
    }
    for (let i = 1; i <= publishers; i++) {
      ipi += 1 + Math.floor(rand() * 900);
      const name = collectiveId === 'MCSC' ? PUBLISHERS[i - 1]! : `${PUBLISHERS[i + 1]!}影视`;
      const p: DemoParty = { partyId: `${collectiveId}-P${String(i).padStart(2, '0')}`, collectiveId, kind: 'member', name, memberType: 'publisher', ipiNameNumber: String(ipi).padStart(11, '0') };
      parties.push(p);
      membersOf[collectiveId]!.publishers.push(p);
    }
  }

  const licenseeSpecs: Array<[string, DemoParty['licenseeType'], string]> = [
    ['MCSC', 'ktv', '欢乐颂KTV(朝阳店)'], ['MCSC', 'ktv', '麦霸量贩KTV'], ['MCSC', 'ktv', '星光大道KTV'], ['MCSC', 'ktv', '唱吧量贩式KTV(徐汇店)'],
    ['MCSC', 'ktv', '金嗓子KTV'], ['MCSC', 'ktv', '好乐迪(demo)KTV'], ['MCSC', 'background_music', '悦来咖啡'], ['MCSC', 'background_music', '新华百货商场'],
    ['MCSC', 'background_music', '如家快捷酒店(demo)'], ['MCSC', 'background_music', '健身工场'], ['MCSC', 'background_music', '全家便利店(demo)'],
    ['MCSC', 'broadcaster', '城市之声广播电台'], ['MCSC', 'broadcaster', '东方卫视(demo)'], ['MCSC', 'streaming', '云音乐流媒体(demo)'], ['MCSC', 'streaming', '乐听App'],
    ['MCSC', 'live', '星空音乐节'], ['CAVCA', 'ktv', '欢唱MTV量贩'], ['CAVCA', 'ktv', '米乐星KTV'], ['CAVCA', 'cinema', '光影影城'], ['CAVCA', 'streaming', '视界视频平台'],
  ];
  const licensees: DemoParty[] = licenseeSpecs.map(([collectiveId, licenseeType, name], i) => ({ partyId: `${collectiveId}-L${String(i + 1).padStart(3, '0')}`, collectiveId, kind: 'licensee', name, licenseeType }));
  parties.push(...licensees);

  const works: DemoData['works'] = [];
  const recordings: DemoData['recordings'] = [];
  const titles = new Set<string>();
  for (const [collectiveId, count] of [['MCSC', 400], ['CAVCA', 100]] as const) {
    const { writers, publishers } = membersOf[collectiveId]!;
    for (let i = 1; i <= count; i++) {
      let title = rand() < 0.12 ? pick(EN_TITLES) : pick(TITLE_A) + pick(TITLE_B);
      if (titles.has(title)) title = `${title} ${i}`;
      titles.add(title);
      const workId = `${collectiveId}-W${String(i).padStart(4, '0')}`;
      const nWriters = 1 + Math.floor(rand() * 3);
      const ws = new Set<DemoParty>();
      while (ws.size < nWriters) ws.add(pick(writers));
      const writerList = [...ws].sort((a, b) => (a.partyId < b.partyId ? -1 : 1));
      const publisher = rand() < 0.6 ? pick(publishers) : undefined;
      const holders = publisher ? [...writerList, publisher] : writerList;
      // About one work in twelve has part of its performing share unclaimed (an unidentified co-writer).
      const unclaimed = i % 12 === 0 ? 1000 + Math.floor(rand() * 2000) : 0;
      const perf = splitShares(rand, holders.length, unclaimed);
      const mech = publisher ? splitShares(rand, holders.length) : undefined;
      works.push({
        collectiveId,
        workId,
        ...(i % 7 !== 0 && { iswc: iswcFor((collectiveId === 'MCSC' ? 300_000_000 : 400_000_000) + i * 37) }),
        title,
        alternateTitles: i % 9 === 0 ? [`${title} (Live)`] : [],
        creators: [
          ...writerList.map((w) => ({ name: w.name, role: w.memberType === 'author' ? ('author' as const) : w.memberType === 'composer' ? ('composer' as const) : ('author_composer' as const), partyId: w.partyId, ...(w.ipiNameNumber && { ipiNameNumber: w.ipiNameNumber }) })),
          ...(publisher ? [{ name: publisher.name, role: 'publisher' as const, partyId: publisher.partyId, ...(publisher.ipiNameNumber && { ipiNameNumber: publisher.ipiNameNumber }) }] : []),
        ],
        shares: {
          performing: holders.map((h, k) => ({ partyId: h.partyId, share: perf[k]! })),
          ...(mech && { mechanical: holders.map((h, k) => ({ partyId: h.partyId, share: mech[k]! })) }),
        },
        effectiveFrom: '2020-01-01',
      });
      if (i % 4 === 0) {
        recordings.push({ isrc: `CN${collectiveId === 'MCSC' ? 'M' : 'V'}C126${String(i).padStart(5, '0')}`, workId, title, artist: pick(writers).name, collectiveId });
      }
    }
  }

  const tariffs: DemoTariff[] = [
    {
      tariffId: 'MCSC-T-KTV-2026', collectiveId: 'MCSC', name: 'KTV 点播终端 / KTV terminal', useType: 'ktv', rightTypes: ['performing'],
      reasoning: 'A base fee per terminal per day covers the first 60 plays, which matches the median terminal in the 2025 usage survey; plays beyond that cost 0.08 each, and a daily cap keeps the fee predictable for busy venues.',
      formula: { kind: 'per_use_capped', currency: 'CNY', baseFeePerDay: '8.00', includedUsesPerDay: 60, feePerExtraUse: '0.08', dailyCap: '15.00' },
      effectiveFrom: '2026-01-01', typicalUsage: { kind: 'per_use_capped', uniform: { terminals: 20, days: 365, usesPerDay: 70 } },
    },
    {
      tariffId: 'MCSC-T-BGM-2026', collectiveId: 'MCSC', name: '背景音乐 / Background music', useType: 'background_music', rightTypes: ['performing'],
      reasoning: 'Background music adds ambience in proportion to the space it fills, so the fee is per square metre of public floor area per year, benchmarked against neighbouring societies.',
      formula: { kind: 'flat', currency: 'CNY', ratePerUnit: '2.50', unit: 'square_metre', period: 'year' },
      effectiveFrom: '2026-01-01', typicalUsage: { kind: 'flat', units: 400, periods: 1 },
    },
    {
      tariffId: 'MCSC-T-BRD-2026', collectiveId: 'MCSC', name: '广播电视 / Broadcasting', useType: 'broadcast', rightTypes: ['performing'],
      reasoning: 'Broadcasters pay a share of advertising and licence revenue in proportion to the music they use; the monthly minimum covers the cost of administering a small station.',
      formula: { kind: 'revenue_share', currency: 'CNY', rate: '0.015', minimum: '5000.00', period: 'month' },
      effectiveFrom: '2026-01-01', typicalUsage: { kind: 'revenue_share', revenue: '9600000.00', periods: 12 },
    },
    {
      tariffId: 'MCSC-T-STR-2026', collectiveId: 'MCSC', name: '在线音乐 / Streaming', useType: 'streaming', rightTypes: ['performing', 'mechanical'],
      reasoning: 'Streaming services pay a share of subscription and advertising revenue, with a minimum per month so that a free tier does not license the repertoire for nothing.',
      formula: { kind: 'revenue_share', currency: 'CNY', rate: '0.025', minimum: '20000.00', period: 'month' },
      effectiveFrom: '2026-01-01', typicalUsage: { kind: 'revenue_share', revenue: '36000000.00', periods: 12 },
    },
    {
      tariffId: 'MCSC-T-LIVE-2026', collectiveId: 'MCSC', name: '现场演出 / Live events', useType: 'live', rightTypes: ['performing'],
      reasoning: 'Live events pay per seat per day of the event.', formula: { kind: 'flat', currency: 'CNY', ratePerUnit: '0.60', unit: 'seat', period: 'day' },
      effectiveFrom: '2026-01-01', typicalUsage: { kind: 'flat', units: 8000, periods: 3 },
    },
    {
      tariffId: 'CAVCA-T-KTV-2026', collectiveId: 'CAVCA', name: 'KTV 包房 (MV) / KTV room', useType: 'ktv', rightTypes: ['performing'],
      reasoning: 'Music videos in KTV rooms are licensed per room per day, following the published national KTV tariff.',
      formula: { kind: 'flat', currency: 'CNY', ratePerUnit: '10.80', unit: 'room', period: 'day' },
      effectiveFrom: '2026-01-01', typicalUsage: { kind: 'flat', units: 25, periods: 365 },
    },
    {
      tariffId: 'CAVCA-T-CIN-2026', collectiveId: 'CAVCA', name: '影院映前 / Cinema pre-show', useType: 'cinema', rightTypes: ['performing'],
      reasoning: 'Pre-show music videos in cinemas, per screen-seat per year.', formula: { kind: 'flat', currency: 'CNY', ratePerUnit: '1.20', unit: 'seat', period: 'year' },
      effectiveFrom: '2026-01-01', typicalUsage: { kind: 'flat', units: 1200, periods: 1 },
    },
    {
      tariffId: 'CAVCA-T-STR-2026', collectiveId: 'CAVCA', name: '网络视频 / Video streaming', useType: 'streaming', rightTypes: ['performing'],
      reasoning: 'Video platforms pay a share of revenue attributable to music videos, with a monthly minimum.',
      formula: { kind: 'revenue_share', currency: 'CNY', rate: '0.02', minimum: '10000.00', period: 'month' },
      effectiveFrom: '2026-01-01', typicalUsage: { kind: 'revenue_share', revenue: '12000000.00', periods: 12 },
    },
  ];
  const tariffFor = (l: DemoParty): DemoTariff => {
    const use = l.licenseeType === 'broadcaster' ? 'broadcast' : l.licenseeType === 'background_music' ? 'background_music' : l.licenseeType!;
    return tariffs.find((t) => t.collectiveId === l.collectiveId && t.useType === use)!;
  };

  const licences: DemoLicence[] = licensees.map((l, i) => {
    const t = tariffFor(l);
    const annual = toFen(quoteTariff(t.formula, t.typicalUsage).total);
    // Vary the venue size a little so invoices differ.
    const scaled = (annual * BigInt(80 + Math.floor(rand() * 41))) / 100n;
    const quarter = scaled / 4n;
    const paidShare = i % 6 === 5 ? 0n : i % 7 === 3 ? quarter / 2n : quarter;
    return {
      licenceId: `${l.partyId}-LIC-2026`,
      licenseeId: l.partyId,
      tariffId: t.tariffId,
      collectiveId: l.collectiveId,
      useType: t.useType,
      rightType: 'performing',
      validFrom: '2026-01-01',
      validTo: i % 10 === 9 ? '2026-09-30' : '2026-12-31',
      territory: i % 3 === 0 ? 'CN-BJ' : i % 3 === 1 ? 'CN-SH' : 'CN',
      scope: `${t.name}: ${l.name}`,
      annualFee: money2(scaled),
      quarterFee: money2(quarter),
      paid: money2(paidShare),
    };
  });

  return { collectives, parties, works, recordings, tariffs, licences };
}
