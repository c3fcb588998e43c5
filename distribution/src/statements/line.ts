/**
 * Statement lines: one per (rights holder × work × usage source). The canonical JSON of a line is
 * its Merkle leaf, so the serialiser here writes exactly what `canonicalJson` would (keys in
 * UTF-16 order, no whitespace, absent fields omitted), only without building and sorting an
 * object per line; a test holds the two equal.
 */
import { MATCH_METHODS, type UsageSource } from '../engine/aggregate';
import { METHOD_COUNT } from '../engine/buckets';
import type { DistributionResult, SuspenseLine } from '../engine/compute';
import { formatShare } from '../engine/units';
import { currencyScale } from '../money';

/** A statement line. Money as decimal strings at the currency's scale; the share as a percentage with 6 decimals. */
export interface StatementLine {
  partyId: string;
  workId: string;
  iswc?: string;
  title: string;
  /** Usage file name. */
  source: string;
  service?: string;
  territory?: string;
  period?: string;
  useType?: string;
  plays: number;
  /** Plays by match method (only methods that matched something). */
  matched: Partial<Record<(typeof MATCH_METHODS)[number], number>>;
  /** The holder's share of the work for this right, in percent. */
  share: string;
  currency: string;
  gross: string;
  fee: string;
  deductions: string;
  net: string;
}

/** Minor units as a decimal string at `scale` (`1230n`, 2 → `'12.30'`). */
export function formatMinor(minor: bigint, scale: number): string {
  if (scale === 0) return minor.toString();
  const neg = minor < 0n;
  const s = (neg ? -minor : minor).toString().padStart(scale + 1, '0');
  return `${neg ? '-' : ''}${s.slice(0, -scale)}.${s.slice(-scale)}`;
}

/** The statement line at `index` (0-based, in run order: party id, work id, source). */
export function statementLine(r: DistributionResult, index: number): StatementLine {
  const L = r.lines;
  const B = r.buckets;
  const b = L.bucket[index]!;
  const w = B.work[b]!;
  const rep = r.works;
  const src = r.sources[B.source[b]!]!;
  const scale = currencyScale(r.params.currency);
  const net = L.net[index]!, fee = L.fee[index]!, ded = L.deductions[index]!;
  const matched: StatementLine['matched'] = {};
  MATCH_METHODS.forEach((m, i) => {
    const plays = B.methodPlays[b * METHOD_COUNT + i]!;
    if (plays > 0) matched[m] = plays;
  });
  const line: StatementLine = {
    partyId: r.holders[L.holder[index]!]!.partyId,
    workId: rep.workId(w),
    title: rep.title(w),
    source: src.file,
    plays: B.plays[b]!,
    matched,
    share: formatShare(L.units[index]!),
    currency: r.params.currency,
    gross: formatMinor(net + fee + ded, scale),
    fee: formatMinor(fee, scale),
    deductions: formatMinor(ded, scale),
    net: formatMinor(net, scale),
  };
  const iswc = rep.iswc(w);
  if (iswc) line.iswc = iswc;
  copySource(line, src);
  return line;
}

function copySource(line: { service?: string; territory?: string; period?: string; useType?: string }, src: UsageSource): void {
  if (src.service !== undefined) line.service = src.service;
  if (src.territory !== undefined) line.territory = src.territory;
  if (src.period !== undefined) line.period = src.period;
  if (src.useType !== undefined) line.useType = src.useType;
}

const q = JSON.stringify;

/** Canonical JSON of a statement line (equal to `canonicalJson(line)`), the bytes of its Merkle leaf. */
export function statementLineJson(l: StatementLine): string {
  let s = `{"currency":${q(l.currency)},"deductions":${q(l.deductions)},"fee":${q(l.fee)},"gross":${q(l.gross)}`;
  if (l.iswc !== undefined) s += `,"iswc":${q(l.iswc)}`;
  s += ',"matched":{';
  let first = true;
  for (const m of MATCH_METHODS) {
    const v = l.matched[m];
    if (v === undefined) continue;
    s += `${first ? '' : ','}"${m}":${v}`;
    first = false;
  }
  s += `},"net":${q(l.net)},"partyId":${q(l.partyId)}`;
  if (l.period !== undefined) s += `,"period":${q(l.period)}`;
  s += `,"plays":${l.plays}`;
  if (l.service !== undefined) s += `,"service":${q(l.service)}`;
  s += `,"share":${q(l.share)},"source":${q(l.source)}`;
  if (l.territory !== undefined) s += `,"territory":${q(l.territory)}`;
  s += `,"title":${q(l.title)}`;
  if (l.useType !== undefined) s += `,"useType":${q(l.useType)}`;
  return s + `,"workId":${q(l.workId)}}`;
}

/**
 * The canonical JSON of statement line `index`, written straight from the result's columns:
 * equal to `statementLineJson(statementLine(r, index))` without building the line object, which is
 * what hashing millions of leaves spends most of its time on otherwise.
 */
export function statementLineJsonAt(r: DistributionResult, index: number, scale: number): string {
  const L = r.lines;
  const B = r.buckets;
  const b = L.bucket[index]!;
  const rep = r.works;
  const w = B.work[b]!;
  const src = r.sources[B.source[b]!]!;
  const net = L.net[index]!, fee = L.fee[index]!, ded = L.deductions[index]!;
  let s = `{"currency":${q(r.params.currency)},"deductions":"${formatMinor(ded, scale)}","fee":"${formatMinor(fee, scale)}","gross":"${formatMinor(net + fee + ded, scale)}"`;
  const iswc = rep.iswc(w);
  if (iswc) s += `,"iswc":${q(iswc)}`;
  s += ',"matched":{';
  const m = B.methodPlays;
  let sep = '';
  for (let i = 0; i < 4; i++) {
    const plays = m[b * METHOD_COUNT + i]!;
    if (plays > 0) {
      s += `${sep}"${MATCH_METHODS[i]!}":${plays}`;
      sep = ',';
    }
  }
  s += `},"net":"${formatMinor(net, scale)}","partyId":${q(r.holders[L.holder[index]!]!.partyId)}`;
  if (src.period !== undefined) s += `,"period":${q(src.period)}`;
  s += `,"plays":${B.plays[b]!}`;
  if (src.service !== undefined) s += `,"service":${q(src.service)}`;
  s += `,"share":"${formatShare(L.units[index]!)}","source":${q(src.file)}`;
  if (src.territory !== undefined) s += `,"territory":${q(src.territory)}`;
  s += `,"title":${q(rep.title(w))}`;
  if (src.useType !== undefined) s += `,"useType":${q(src.useType)}`;
  return s + `,"workId":${q(rep.workId(w))}}`;
}

/** A suspense line with money as decimal strings, for output. */
export interface SuspenseOutputLine {
  code: string;
  workId?: string;
  iswc?: string;
  title?: string;
  source?: string;
  service?: string;
  territory?: string;
  period?: string;
  useType?: string;
  lines: number;
  plays: number;
  /** Unclaimed share in percent. */
  share?: string;
  currency: string;
  gross: string;
  fee: string;
  deductions: string;
  net: string;
}

/** A suspense line in output form. */
export function suspenseOutputLine(r: DistributionResult, s: SuspenseLine): SuspenseOutputLine {
  const scale = currencyScale(r.params.currency);
  const o: SuspenseOutputLine = {
    code: s.code,
    lines: s.lines,
    plays: s.plays,
    currency: r.params.currency,
    gross: formatMinor(s.gross, scale),
    fee: formatMinor(s.fee, scale),
    deductions: formatMinor(s.deductions, scale),
    net: formatMinor(s.net, scale),
  };
  if (s.workId !== undefined) o.workId = s.workId;
  if (s.iswc !== undefined) o.iswc = s.iswc;
  if (s.title !== undefined) o.title = s.title;
  if (s.source) {
    o.source = s.source.file;
    copySource(o, s.source);
  }
  if (s.shareUnits !== undefined) o.share = formatShare(s.shareUnits);
  return o;
}
