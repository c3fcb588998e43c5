/**
 * The repertoire as the engine holds it: one compact record per work with the share set of the
 * chosen right (party indexes and integer share units), party ids interned once, and the matcher's
 * index built over the same objects. Memory is proportional to the repertoire only.
 */
import { RepertoireIndex, type RepertoireWork } from '../matching/index';
import { recordingsFromCwr, repertoireFromCwr } from '../matching/repertoire';
import { emptySummary, IssueCollector, type ParseOptions, type ParseSummary } from '../parsers/common';
import { parseCwr, type CwrWork } from '../parsers/cwr';
import { parseWorksCsv } from '../parsers/csv';
import { detectWorksFormat, hashedChunks, sha256, type WorksFormat } from './input-file';
import type { RightType } from './parameters';
import { FULL_SHARE, shareUnits } from './units';

/**
 * A copy of `s` that does not pin the text it was cut from. V8 represents substrings of 13 or more
 * characters as slices of their parent, here the megabyte chunk of file text a line came from; a
 * repertoire that kept such slices would keep the whole file in memory.
 */
function own(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

/** Party ids must be valid ledger ids, since they go on the ledger in the batches. */
export const PARTY_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A work with the share set of one right. It is also the matcher's {@link RepertoireWork}. */
export interface EngineWork extends RepertoireWork {
  readonly workId: string;
  /** Position in {@link EngineRepertoire.works}. */
  readonly idx: number;
  iswc?: string;
  title: string;
  titles: string[];
  creators: string[];
  /** Party indexes (into {@link EngineRepertoire.partyIds}), one per distinct party holding a share. */
  parties: number[];
  /** Share units of each party (100 % = 100,000,000), same order as `parties`. */
  units: number[];
  /** Sum of `units`. Above 100 % the work's usage goes to suspense. */
  claimed: number;
}

/** Where a repertoire came from. */
export interface RepertoireSource {
  path: string;
  /** Detected from content when omitted. */
  format?: WorksFormat;
}

/** The loaded repertoire. */
export class EngineRepertoire {
  /** Works in load order. */
  readonly works: EngineWork[] = [];
  // Only while loading (works.csv rows of a work need not be adjacent); afterwards the matcher's own
  // id map answers, so a million-work repertoire does not hold two.
  private readonly loading = new Map<string, number>();
  /** Interned party ids. */
  readonly partyIds: string[] = [];
  private readonly partyIndex = new Map<string, number>();
  /** The matcher over {@link works}. */
  readonly index = new RepertoireIndex();
  /** Parse and load issues (rejected rows, warnings). */
  readonly summary: ParseSummary = emptySummary();

  /** SHA-256 (hex) of the repertoire file bytes; set once the file has been read. */
  digest = '';

  constructor(readonly right: RightType, readonly format: WorksFormat) {}

  /** Interns a party id. */
  party(id: string): number {
    let i = this.partyIndex.get(id);
    if (i === undefined) {
      i = this.partyIds.length;
      const o = own(id);
      this.partyIds.push(o);
      this.partyIndex.set(o, i);
    }
    return i;
  }

  /** Gets or creates the work `workId` (while loading). */
  work(workId: string, title: string, iswc: string | undefined): EngineWork {
    const i = this.loading.get(workId);
    if (i !== undefined) return this.works[i]!;
    const t = own(title);
    const w: EngineWork = { workId: own(workId), idx: this.works.length, title: t, titles: [t], creators: [], parties: [], units: [], claimed: 0 };
    if (iswc) w.iswc = own(iswc);
    this.loading.set(workId, this.works.length);
    this.works.push(w);
    return w;
  }

  /** Builds the matcher's index over the loaded works and drops the loading map. */
  finish(recordings: readonly { isrc: string; workId: string }[]): void {
    this.loading.clear();
    for (const w of this.works) {
      // Arrays grown by push keep spare capacity (16+ slots); exact copies save ~0.5 KB per work.
      w.creators = w.creators.slice();
      w.parties = w.parties.slice();
      w.units = w.units.slice();
      this.index.addWork(w);
    }
    for (const r of recordings) this.index.addRecording(r.isrc, r.workId);
  }

  /** Position of work `workId` in {@link works}, once loaded. */
  workIndex(workId: string): number | undefined {
    return (this.index.getWork(workId) as EngineWork | undefined)?.idx;
  }

  /** Adds `units` of `partyId` to a work's share set (a party listed twice gets the sum). */
  addShare(w: EngineWork, partyId: string, units: number): void {
    const p = this.party(partyId);
    const k = w.parties.indexOf(p);
    if (k >= 0) w.units[k]! += units;
    else {
      w.parties.push(p);
      w.units.push(units);
    }
    w.claimed += units;
  }
}

/** Publisher roles in works.csv (their names are not creator names for matching). */
const PUBLISHER_ROLES = new Set(['e', 'am', 'se', 'pa', 'aq', 'es', 'publisher', 'sub-publisher', 'administrator', 'original publisher']);

/**
 * Loads a repertoire file (CWR 2.x or works.csv, detected from content), keeping the shares of
 * `right`, and builds the matcher's index. The SHA-256 of the file bytes is `digest`.
 * @throws ParseError in `fail` mode on the first bad record; InputError for an unreadable or unknown file.
 */
export async function loadRepertoire(src: RepertoireSource, right: RightType, options: ParseOptions = {}): Promise<EngineRepertoire> {
  const format = src.format ?? (await detectWorksFormat(src.path));
  const hash = sha256();
  const input = hashedChunks(src.path, hash);
  const rep = new EngineRepertoire(right, format);
  const issues = new IssueCollector(rep.summary, options);
  const recordings: { isrc: string; workId: string }[] = [];
  if (format === 'works-csv') {
    const stream = parseWorksCsv(input, options);
    // Rows of a work are usually adjacent: the previous row's work saves a map look-up.
    let prevId = '';
    let prev: EngineWork | undefined;
    for await (const batch of stream.batches()) for (const r of batch) {
      if (!PARTY_ID_RE.test(r.partyId)) {
        issues.error({ line: r.line, field: 'party_id', code: 'ENGINE.BAD_PARTY_ID', message: `party id ${JSON.stringify(r.partyId)} is not a ledger id (letters, digits, ".", "_", "-"; at most 64)` }, `${r.workId},${r.partyId}`);
        continue;
      }
      const w = prev !== undefined && r.workId === prevId ? prev : (prev = rep.work((prevId = r.workId), r.title, r.iswc));
      // A work has a handful of creators: a linear scan beats a Set per work (a million Sets cost hundreds of MB).
      if (r.partyName && !w.creators.includes(r.partyName) && !PUBLISHER_ROLES.has(r.role.toLowerCase())) w.creators.push(own(r.partyName));
      if (r.right === right) rep.addShare(w, r.partyId, shareUnits(r.share)!);
    }
    mergeSummary(rep.summary, stream.summary);
  } else {
    const stream = parseCwr(input, options);
    for await (const cw of stream) {
      const rw = repertoireFromCwr(cw);
      const w = rep.work(rw.workId, cw.title, rw.iswc);
      w.titles = [...rw.titles];
      w.creators = [...rw.creators];
      addCwrShares(rep, w, cw, right, issues);
      recordings.push(...recordingsFromCwr(cw));
    }
    mergeSummary(rep.summary, stream.summary);
  }
  rep.digest = hash.digest('hex');
  // Built after the file: works.csv rows of one work need not be adjacent.
  rep.finish(recordings);
  return rep;
}

function addCwrShares(rep: EngineRepertoire, w: EngineWork, cw: CwrWork, right: RightType, issues: IssueCollector): void {
  const key = right === 'performing' ? 'pr' : 'mr';
  for (const p of [...cw.writers, ...cw.publishers]) {
    const units = shareUnits(p.ownership[key]) ?? 0;
    if (units === 0) continue;
    const id = p.ipNumber ?? p.ipiNameNumber;
    // An unknown or unidentified party cannot be paid: its share stays unclaimed (suspense).
    if (p.unknown || !id) continue;
    if (!PARTY_ID_RE.test(id)) {
      issues.warn({ line: p.line, field: 'interestedPartyNumber', code: 'ENGINE.BAD_PARTY_ID', message: `party id ${JSON.stringify(id)} is not a ledger id; its share stays unclaimed` });
      continue;
    }
    rep.addShare(w, id, units);
  }
}

function mergeSummary(into: ParseSummary, from: ParseSummary): void {
  into.lines = from.lines;
  into.accepted = from.accepted;
  into.rejected += from.rejected;
  into.errorCount += from.errorCount;
  into.warningCount += from.warningCount;
  into.errors.push(...from.errors);
  into.warnings.push(...from.warnings);
}

/** True when a work's shares exceed 100 % (its usage is held in suspense). */
export function sharesExceedFull(w: EngineWork): boolean {
  return w.claimed > FULL_SHARE;
}
