/**
 * The matching rules over works addressed by position: the one implementation behind both the
 * gateway's {@link RepertoireIndex} (works as objects) and the engine's columnar repertoire. A
 * match answers a work position, so a caller that keeps its works in arrays needs no second look-up
 * from the matched work id back to its data; the outcome's method, reason and candidates are left
 * on the matcher instead of in a result object, so the hot path allocates nothing.
 *
 * Order: work id → ISWC → ISRC (through recording–work links) → normalised title + creator.
 * The first method that yields exactly one work wins; see README.md for the reasons reported.
 */
import { iswcKey, normaliseIsrc, normaliseIswc } from '../parsers/identifiers';
import { hashRange, IntTable, StringTable } from './hash-tables';
import { ownCopy } from '../parsers/own-copy';
import { asciiCreatorTokens, asciiTitleKey, asciiTitleKeyHash, creatorsCompatible, creatorTokens, normaliseTitle } from './normalise';

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

/** The identifying part of a usage line. */
export interface MatchableUsage {
  workId?: string;
  iswc?: string;
  isrc?: string;
  title?: string;
  creators?: readonly string[];
}

/** The outcome for one usage line. */
export type MatchResult =
  | { matched: true; workId: string; method: MatchMethod }
  | { matched: false; reason: UnmatchedReason; candidates?: string[] };

/**
 * Read access to works by position, as the matcher needs it. Titles: the main title at 0, then
 * alternate titles. Implementations answer in O(1) without allocating.
 */
export interface MatchableWorks {
  workId(i: number): string;
  /** Any accepted ISWC form (normalised by the matcher), or `undefined`. */
  iswc(i: number): string | undefined;
  titleCount(i: number): number;
  titleAt(i: number, k: number): string;
  creatorCount(i: number): number;
  creatorAt(i: number, k: number): string;
}

/**
 * Work id → position, in insertion order: a `Map<string, number>`, or a leaner table with the same
 * methods.
 */
export interface WorkIdIndex {
  get(workId: string): number | undefined;
  set(workId: string, position: number): void;
  readonly size: number;
  /** Positions in insertion order. */
  values(): Iterable<number>;
}

// A work position in byIswc that marks an ISWC claimed by two works: it can no longer decide a match.
const CONFLICT = -1;
// Entries of the usage title and creator memos.
const MEMO_LIMIT = 200_000;

/**
 * Title keys → works, by the hash of the key only (two ints per title, no key string): a look-up
 * gets the works filed under the hash, in the order they were added, and checks their keys.
 */
class TitleHashIndex {
  // Slot k: [hash, work + 1 (0 = empty)]. At most half full; equal hashes follow one another in
  // the probe sequence in the order they were added.
  private slots: Int32Array;
  private mask: number;
  private size = 0;

  /** An index with room for `entries` titles before it grows. */
  constructor(entries = 1024) {
    let cap = 2048;
    while (cap < 2 * entries + 2) cap *= 2;
    this.mask = cap - 1;
    this.slots = new Int32Array(cap * 2);
  }

  /** Files `work` under `hash`. */
  add(hash: number, work: number): void {
    let k = hash & this.mask;
    while (this.slots[2 * k + 1] !== 0) k = (k + 1) & this.mask;
    this.slots[2 * k] = hash;
    this.slots[2 * k + 1] = work + 1;
    if (2 * ++this.size > this.mask) this.grow();
  }

  /** Appends to `out` the works filed under `hash`, in the order added. */
  collect(hash: number, out: number[]): void {
    const slots = this.slots;
    for (let k = hash & this.mask; slots[2 * k + 1] !== 0; k = (k + 1) & this.mask) if (slots[2 * k] === hash) out.push(slots[2 * k + 1]! - 1);
  }

  private grow(): void {
    const old = this.slots;
    const oldMask = this.mask;
    this.mask = oldMask * 2 + 1;
    this.slots = new Int32Array((this.mask + 1) * 2);
    this.size = 0;
    // Walking the old table from an empty slot meets each hash's works in probe order, which is
    // the order they were added in; re-adding them in that order keeps it.
    let z = 0;
    while (old[2 * z + 1] !== 0) z++;
    for (let t = 1; t <= oldMask + 1; t++) {
      const j = (z + t) & oldMask;
      if (old[2 * j + 1] !== 0) this.add(old[2 * j]!, old[2 * j + 1]! - 1);
    }
  }
}

/** A memo of string → value that starts afresh once it holds `limit` entries. */
class BoundedMemo<V> {
  private keys = new StringTable();
  private values: V[] = [];
  constructor(private readonly limit: number) {}

  get(key: string): V | undefined {
    const id = this.keys.get(key);
    return id === undefined ? undefined : this.values[id];
  }

  /** Sets `key` (not in the memo) to `value`; the key is stored as a copy (see {@link ownCopy}). */
  add(key: string, value: V): void {
    if (this.keys.size >= this.limit) {
      this.keys = new StringTable();
      this.values = [];
    }
    this.keys.internRange(key, 0, key.length, () => ownCopy(key));
    this.values.push(value);
  }
}

/** The matching index over a {@link MatchableWorks}; works are added by position. */
export class WorkMatcher {
  // Work id → position. May be handed in already filled (a loader that needed the map anyway).
  private readonly byId: WorkIdIndex;
  // ISWC (its nine-digit body, see iswcKey) → position.
  private readonly byIswc = new IntTable();
  // Most titles belong to one work: a bare position saves an array per work on million-work
  // repertoires. Built on the first usage line that needs title matching: a run whose usage all
  // carries known identifiers never pays for normalising a million titles.
  private byTitleMap: TitleHashIndex | undefined;
  private readonly byIsrc = new Map<string, string[]>();
  // Normalised titles (ISRC disambiguation) and creator tokens (title matching) of the few works
  // that need them, computed on first use.
  private titleKeyCache: (string[] | undefined)[] = [];
  private creatorCache: (string[][] | undefined)[] = [];
  private readonly conflicts: string[] = [];
  // Usage titles and names repeat heavily across a report; a bounded memo keeps the Unicode work off
  // the hot path (ASCII ones are keyed directly). Its keys are copies: a usage line's cells are
  // slices of a chunk of the file.
  private readonly titleMemo = new BoundedMemo<string>(MEMO_LIMIT);
  private readonly creatorMemo = new BoundedMemo<string[]>(MEMO_LIMIT);

  /** Method of the last successful {@link matchIndex}. */
  method: MatchMethod = 'work_id';
  /** Reason of the last unsuccessful {@link matchIndex}. */
  reason: UnmatchedReason = 'UNMATCHED.NOT_FOUND';
  /** Candidate work ids of the last unsuccessful {@link matchIndex}, when it had several. */
  candidates: string[] | undefined;

  /**
   * @param works the works, by position.
   * @param byId an id → position index to adopt (positions added later with {@link addWork} must agree).
   */
  constructor(private readonly works: MatchableWorks, byId?: WorkIdIndex) {
    this.byId = byId ?? new Map();
  }

  /** Number of works indexed. */
  get size(): number {
    return this.byId.size;
  }

  /** Identifier conflicts seen while building (duplicate work ids, ISWCs on two works). */
  get buildConflicts(): readonly string[] {
    return this.conflicts;
  }

  /** Position of work `workId`, if indexed. */
  indexOf(workId: string): number | undefined {
    return this.byId.get(workId);
  }

  /** Indexes the work at position `i`; a second work with the same id is refused (returns false). */
  addWork(i: number): boolean {
    const w = this.works;
    const id = w.workId(i);
    const known = this.byId.get(id);
    if (known !== undefined && known !== i) {
      this.conflicts.push(`duplicate work id ${id}`);
      return false;
    }
    if (known === undefined) this.byId.set(id, i);
    const raw = w.iswc(i);
    if (raw) {
      const key = iswcKey(raw);
      if (key < 0) this.conflicts.push(`work ${id}: invalid ISWC ${raw} ignored`);
      else {
        const other = this.byIswc.get(key);
        if (other !== undefined) {
          this.conflicts.push(`ISWC ${normaliseIswc(raw)!} on works ${other === CONFLICT ? '(several)' : w.workId(other)} and ${id}`);
          this.byIswc.set(key, CONFLICT);
        } else this.byIswc.set(key, i);
      }
    }
    if (this.byTitleMap) this.indexTitles(this.byTitleMap, i);
    return true;
  }

  /**
   * Builds now what is otherwise built on first use (the title index), e.g. so that two runs over
   * the same repertoire start from the same state.
   */
  prepare(): void {
    void this.byTitle;
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

  /**
   * Matches one usage line: the matched work's position, or -1 with {@link reason} (and
   * {@link candidates}) set. On a match, {@link method} says how.
   */
  matchIndex(u: MatchableUsage): number {
    let reason: UnmatchedReason | undefined;
    let candidates: string[] | undefined;
    this.candidates = undefined;

    if (u.workId) {
      const i = this.byId.get(u.workId);
      if (i !== undefined) return this.hit(i, 'work_id');
      reason = 'UNMATCHED.UNKNOWN_WORK_ID';
    }
    if (u.iswc) {
      const key = iswcKey(u.iswc);
      const i = key >= 0 ? this.byIswc.get(key) : undefined;
      if (i !== undefined && i !== CONFLICT) return this.hit(i, 'iswc');
      reason ??= 'UNMATCHED.UNKNOWN_ISWC';
    }
    const titleKey = u.title ? this.titleKey(u.title) : '';
    if (u.isrc) {
      const isrc = normaliseIsrc(u.isrc);
      const works = isrc ? this.byIsrc.get(isrc)?.filter((id) => this.byId.get(id) !== undefined) : undefined;
      if (works && works.length === 1) return this.hit(this.byId.get(works[0]!)!, 'isrc');
      if (works && works.length > 1) {
        // A medley or a mis-link: let the title pick one of the linked works.
        const byTitle = titleKey ? works.filter((id) => this.titleKeysOf(this.byId.get(id)!).includes(titleKey)) : [];
        if (byTitle.length === 1) return this.hit(this.byId.get(byTitle[0]!)!, 'isrc');
        reason ??= 'UNMATCHED.AMBIGUOUS_ISRC';
        candidates ??= works;
      } else reason ??= 'UNMATCHED.UNKNOWN_ISRC';
    }
    if (titleKey) {
      const hit = this.worksTitled(titleKey);
      // No work has the title and the reason is already set: the creators can change nothing.
      if (hit.length === 0 && reason !== undefined) return this.miss(reason, candidates);
      const creators = (u.creators ?? []).map((c) => this.creatorKey(c)).filter((t) => t.length > 0);
      if (creators.length === 0) {
        reason ??= 'UNMATCHED.NO_CREATORS';
      } else {
        if (hit.length === 1) {
          if (this.sharesCreator(hit[0]!, creators)) return this.hit(hit[0]!, 'title_creator');
        } else if (hit.length > 1) {
          let found = -1;
          let several: number[] | undefined;
          for (const i of hit) {
            if (!this.sharesCreator(i, creators)) continue;
            if (found < 0) found = i;
            else (several ??= [found]).push(i);
          }
          if (several) return this.miss('UNMATCHED.AMBIGUOUS_TITLE', several.map((i) => this.works.workId(i)));
          if (found >= 0) return this.hit(found, 'title_creator');
        }
      }
    } else if (!u.workId && !u.iswc && !u.isrc) {
      return this.miss('UNMATCHED.NO_IDENTIFIERS', undefined);
    }
    return this.miss(reason ?? 'UNMATCHED.NOT_FOUND', candidates);
  }

  /** The last {@link matchIndex} outcome `i` as a {@link MatchResult}. */
  result(i: number): MatchResult {
    if (i >= 0) return { matched: true, workId: this.works.workId(i), method: this.method };
    return this.candidates ? { matched: false, reason: this.reason, candidates: this.candidates } : { matched: false, reason: this.reason };
  }

  private hit(i: number, method: MatchMethod): number {
    this.method = method;
    return i;
  }

  private miss(reason: UnmatchedReason, candidates: string[] | undefined): number {
    this.reason = reason;
    this.candidates = candidates;
    return -1;
  }

  private titleKey(t: string): string {
    // ASCII titles are keyed directly: cheaper than a look-up in a large memo.
    const fast = asciiTitleKey(t);
    if (fast !== undefined) return fast;
    let k = this.titleMemo.get(t);
    if (k === undefined) this.titleMemo.add(t, (k = normaliseTitle(t)));
    return k;
  }

  private creatorKey(c: string): string[] {
    const fast = asciiCreatorTokens(c);
    if (fast !== undefined) return fast;
    let k = this.creatorMemo.get(c);
    if (k === undefined) this.creatorMemo.add(c, (k = creatorTokens(c)));
    return k;
  }

  /** The title index, built on first use over the works in the order they were added. */
  private get byTitle(): TitleHashIndex {
    if (this.byTitleMap === undefined) {
      const m = new TitleHashIndex(this.byId.size);
      for (const i of this.byId.values()) this.indexTitles(m, i);
      this.byTitleMap = m;
    }
    return this.byTitleMap;
  }

  private titleKeys(i: number): string[] {
    const w = this.works;
    const n = w.titleCount(i);
    if (n === 1) {
      const k = normaliseTitle(w.titleAt(i, 0));
      return k === '' ? [] : [k];
    }
    const keys = new Set<string>();
    for (let k = 0; k < n; k++) {
      const key = normaliseTitle(w.titleAt(i, k));
      if (key !== '') keys.add(key);
    }
    return [...keys];
  }

  private titleKeysOf(i: number): string[] {
    // A dense array (a sparse one would fall back to a dictionary).
    if (i >= this.titleKeyCache.length) this.titleKeyCache = Array.from({ length: Math.max(i + 1, 2 * this.titleKeyCache.length) }, (_, k) => this.titleKeyCache[k]);
    let keys = this.titleKeyCache[i];
    if (keys === undefined) this.titleKeyCache[i] = keys = this.titleKeys(i);
    return keys;
  }

  /** True when a creator of work `i` is compatible with one of the usage line's creators (tokens). */
  private sharesCreator(i: number, creators: readonly string[][]): boolean {
    for (const wc of this.creatorTokensOf(i)) for (const uc of creators) if (creatorsCompatible(wc, uc)) return true;
    return false;
  }

  private creatorTokensOf(i: number): string[][] {
    // A dense array (a sparse one would fall back to a dictionary).
    if (i >= this.creatorCache.length) this.creatorCache = Array.from({ length: Math.max(i + 1, 2 * this.creatorCache.length) }, (_, k) => this.creatorCache[k]);
    let toks = this.creatorCache[i];
    if (toks === undefined) {
      toks = [];
      const w = this.works;
      for (let k = 0, n = w.creatorCount(i); k < n; k++) {
        const t = creatorTokens(w.creatorAt(i, k));
        if (t.length > 0) toks.push(t);
      }
      this.creatorCache[i] = toks;
    }
    return toks;
  }

  private indexTitles(m: TitleHashIndex, i: number): void {
    const w = this.works;
    // Only the key's hash is filed; for an ASCII title it is computed without building the key.
    const h = w.titleCount(i) === 1 && this.titleKeyCache[i] === undefined ? asciiTitleKeyHash(w.titleAt(i, 0)) : undefined;
    if (h !== undefined) m.add(h, i);
    // Not kept: a million small arrays would outlive the index build for nothing.
    else for (const k of this.titleKeyCache[i] ?? this.titleKeys(i)) m.add(hashRange(k, 0, k.length), i);
  }

  /** The works with title key `key`, in the order they were added. */
  private worksTitled(key: string): number[] {
    const filed: number[] = [];
    this.byTitle.collect(hashRange(key, 0, key.length), filed);
    const out: number[] = [];
    for (const i of filed) if (!out.includes(i) && this.titleKeysOf(i).includes(key)) out.push(i);
    return out;
  }

}
