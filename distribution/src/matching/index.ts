/**
 * Usage-to-work matching against an in-memory repertoire index. All look-ups are Map hits; memory
 * is proportional to the repertoire (works, titles, recordings), never to the usage file.
 *
 * Order: work id → ISWC → ISRC (through recording–work links) → normalised title + creator.
 * The first method that yields exactly one work wins; each match records its method.
 */
import { normaliseIsrc, normaliseIswc } from '../parsers/identifiers';
import { creatorsCompatible, creatorTokens, normaliseTitle } from './normalise';

/** A work as the matcher needs it. */
export interface RepertoireWork {
  workId: string;
  /** Any accepted ISWC form; normalised on insert. */
  iswc?: string;
  /** Main title first, then alternate titles. */
  titles: readonly string[];
  /** Creator (writer) names. */
  creators: readonly string[];
}

/** The identifying part of a usage line. */
export interface MatchableUsage {
  workId?: string;
  iswc?: string;
  isrc?: string;
  title?: string;
  creators?: readonly string[];
}

/** How a usage line was matched. */
export type MatchMethod = 'work_id' | 'iswc' | 'isrc' | 'title_creator';

/** Why a usage line was not matched. The most specific reason is reported. */
export type UnmatchedReason =
  /** No work id, ISWC, ISRC or title at all. */
  | 'UNMATCHED.NO_IDENTIFIERS'
  /** A work id was given but is not in the repertoire (and nothing else matched). */
  | 'UNMATCHED.UNKNOWN_WORK_ID'
  /** An ISWC was given but is not in the repertoire (and nothing else matched). */
  | 'UNMATCHED.UNKNOWN_ISWC'
  /** An ISRC was given but no recording links it to a work (and nothing else matched). */
  | 'UNMATCHED.UNKNOWN_ISRC'
  /** The ISRC links to several works and the title does not pick one. */
  | 'UNMATCHED.AMBIGUOUS_ISRC'
  /** Several works share the title and creators. */
  | 'UNMATCHED.AMBIGUOUS_TITLE'
  /** A title was given but no creators, so title matching was not attempted. */
  | 'UNMATCHED.NO_CREATORS'
  /** Nothing matched. */
  | 'UNMATCHED.NOT_FOUND';

/** The outcome for one usage line. */
export type MatchResult =
  | { matched: true; workId: string; method: MatchMethod }
  | { matched: false; reason: UnmatchedReason; candidates?: string[] };

interface Entry {
  work: RepertoireWork;
  /** Normalised titles, computed on first use (title index, ISRC disambiguation). */
  titleKeys?: string[];
  /** Creator tokens, computed on first use: only works that share a usage line's title ever need them. */
  creators?: string[][];
}

/** An index over a repertoire; build once per distribution run, then call {@link RepertoireIndex.match} per usage line. */
export class RepertoireIndex {
  private readonly byId = new Map<string, Entry>();
  // null marks an identifier claimed by two different works: it can no longer decide a match.
  private readonly byIswc = new Map<string, Entry | null>();
  // Most titles belong to one work: a bare entry saves an array per work on million-work repertoires.
  // Built on the first usage line that needs title matching: a run whose usage all carries known
  // identifiers never pays for normalising a million titles.
  private byTitleMap: Map<string, Entry | Entry[]> | undefined;
  private readonly byIsrc = new Map<string, string[]>();
  private readonly conflicts: string[] = [];
  // Usage titles and names repeat heavily across a report; a bounded memo keeps the Unicode work off the hot path.
  private readonly titleMemo = new Map<string, string>();
  private readonly creatorMemo = new Map<string, string[]>();
  private static readonly MEMO_LIMIT = 200_000;

  private titleKey(t: string): string {
    let k = this.titleMemo.get(t);
    if (k === undefined) {
      if (this.titleMemo.size >= RepertoireIndex.MEMO_LIMIT) this.titleMemo.clear();
      k = normaliseTitle(t);
      this.titleMemo.set(t, k);
    }
    return k;
  }

  private creatorKey(c: string): string[] {
    let k = this.creatorMemo.get(c);
    if (k === undefined) {
      if (this.creatorMemo.size >= RepertoireIndex.MEMO_LIMIT) this.creatorMemo.clear();
      k = creatorTokens(c);
      this.creatorMemo.set(c, k);
    }
    return k;
  }

  /** Builds an index from works and recording→work links. */
  static async build(
    works: Iterable<RepertoireWork> | AsyncIterable<RepertoireWork>,
    recordings: Iterable<{ isrc: string; workId: string }> | AsyncIterable<{ isrc: string; workId: string }> = [],
  ): Promise<RepertoireIndex> {
    const idx = new RepertoireIndex();
    for await (const w of works) idx.addWork(w);
    for await (const r of recordings) idx.addRecording(r.isrc, r.workId);
    return idx;
  }

  /** Number of works. */
  get size(): number {
    return this.byId.size;
  }

  /** Identifier conflicts seen while building (duplicate work ids, ISWCs on two works). */
  get buildConflicts(): readonly string[] {
    return this.conflicts;
  }

  /** The work with this id. */
  getWork(workId: string): RepertoireWork | undefined {
    return this.byId.get(workId)?.work;
  }

  /** Adds a work; a second work with the same id is refused (returns false). */
  addWork(work: RepertoireWork): boolean {
    if (this.byId.has(work.workId)) {
      this.conflicts.push(`duplicate work id ${work.workId}`);
      return false;
    }
    const e: Entry = { work };
    this.byId.set(work.workId, e);
    if (work.iswc) {
      const iswc = normaliseIswc(work.iswc);
      if (!iswc) this.conflicts.push(`work ${work.workId}: invalid ISWC ${work.iswc} ignored`);
      else if (this.byIswc.has(iswc)) {
        this.conflicts.push(`ISWC ${iswc} on works ${this.byIswc.get(iswc)?.work.workId ?? '(several)'} and ${work.workId}`);
        this.byIswc.set(iswc, null);
      } else this.byIswc.set(iswc, e);
    }
    if (this.byTitleMap) indexTitles(this.byTitleMap, e);
    return true;
  }

  /** The title index, built on first use over the works in the order they were added. */
  private get byTitle(): Map<string, Entry | Entry[]> {
    if (this.byTitleMap === undefined) {
      const m = new Map<string, Entry | Entry[]>();
      for (const e of this.byId.values()) indexTitles(m, e);
      this.byTitleMap = m;
    }
    return this.byTitleMap;
  }

  /** Links a recording (ISRC) to a work. A medley may link one ISRC to several works. */
  addRecording(isrc: string, workId: string): void {
    const n = normaliseIsrc(isrc);
    if (!n) {
      this.conflicts.push(`invalid ISRC ${isrc} for work ${workId} ignored`);
      return;
    }
    const list = this.byIsrc.get(n);
    if (!list) this.byIsrc.set(n, [workId]);
    else if (!list.includes(workId)) list.push(workId);
  }

  /** Matches one usage line. */
  match(u: MatchableUsage): MatchResult {
    let reason: UnmatchedReason | undefined;
    let candidates: string[] | undefined;

    if (u.workId) {
      if (this.byId.has(u.workId)) return { matched: true, workId: u.workId, method: 'work_id' };
      reason = 'UNMATCHED.UNKNOWN_WORK_ID';
    }
    if (u.iswc) {
      const iswc = normaliseIswc(u.iswc);
      const e = iswc ? this.byIswc.get(iswc) : undefined;
      if (e) return { matched: true, workId: e.work.workId, method: 'iswc' };
      reason ??= 'UNMATCHED.UNKNOWN_ISWC';
    }
    const titleKey = u.title ? this.titleKey(u.title) : '';
    if (u.isrc) {
      const isrc = normaliseIsrc(u.isrc);
      const works = isrc ? this.byIsrc.get(isrc)?.filter((id) => this.byId.has(id)) : undefined;
      if (works && works.length === 1) return { matched: true, workId: works[0]!, method: 'isrc' };
      if (works && works.length > 1) {
        // A medley or a mis-link: let the title pick one of the linked works.
        const byTitle = titleKey ? works.filter((id) => titleKeysOf(this.byId.get(id)!).includes(titleKey)) : [];
        if (byTitle.length === 1) return { matched: true, workId: byTitle[0]!, method: 'isrc' };
        reason ??= 'UNMATCHED.AMBIGUOUS_ISRC';
        candidates ??= works;
      } else reason ??= 'UNMATCHED.UNKNOWN_ISRC';
    }
    if (titleKey) {
      const creators = (u.creators ?? []).map((c) => this.creatorKey(c)).filter((t) => t.length > 0);
      if (creators.length === 0) {
        reason ??= 'UNMATCHED.NO_CREATORS';
      } else {
        const found: string[] = [];
        const hit = this.byTitle.get(titleKey);
        for (const e of hit === undefined ? [] : Array.isArray(hit) ? hit : [hit]) {
          e.creators ??= e.work.creators.map(creatorTokens).filter((t) => t.length > 0);
          if (e.creators.some((wc) => creators.some((uc) => creatorsCompatible(wc, uc)))) found.push(e.work.workId);
        }
        if (found.length === 1) return { matched: true, workId: found[0]!, method: 'title_creator' };
        if (found.length > 1) return { matched: false, reason: 'UNMATCHED.AMBIGUOUS_TITLE', candidates: found };
      }
    } else if (!u.workId && !u.iswc && !u.isrc) {
      return { matched: false, reason: 'UNMATCHED.NO_IDENTIFIERS' };
    }
    return candidates ? { matched: false, reason: reason ?? 'UNMATCHED.NOT_FOUND', candidates } : { matched: false, reason: reason ?? 'UNMATCHED.NOT_FOUND' };
  }
}

function titleKeys(w: RepertoireWork): string[] {
  if (w.titles.length === 1) {
    const k = normaliseTitle(w.titles[0]!);
    return k === '' ? [] : [k];
  }
  return [...new Set(w.titles.map(normaliseTitle).filter((k) => k !== ''))];
}

function titleKeysOf(e: Entry): string[] {
  return (e.titleKeys ??= titleKeys(e.work));
}

function indexTitles(m: Map<string, Entry | Entry[]>, e: Entry): void {
  // Not kept on the entry: a million small arrays would outlive the index build for nothing.
  for (const k of e.titleKeys ?? titleKeys(e.work)) {
    const found = m.get(k);
    if (found === undefined) m.set(k, e);
    else if (Array.isArray(found)) found.push(e);
    else m.set(k, [found, e]);
  }
}
