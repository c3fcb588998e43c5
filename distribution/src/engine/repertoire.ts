/**
 * The repertoire as the engine holds it: column-wise, one position per work in load order. Work
 * ids, titles and ISWCs are arrays of strings; share sets and creator names are pools addressed by
 * per-work offsets (typed arrays), party ids and creator names are interned once, and the matcher
 * answers a work's position. Memory is proportional to the repertoire only, with no object per work.
 */
import { StringTable } from '../matching/hash-tables';
import { WorkMatcher, type MatchableUsage, type MatchableWorks } from '../matching/matcher';
import { recordingsFromCwr, repertoireFromCwr } from '../matching/repertoire';
import { emptySummary, IssueCollector, type ParseIssue, type ParseOptions, type ParseSummary } from '../parsers/common';
import { parseCwr, type CwrWork } from '../parsers/cwr';
import { parseWorksCsv, WorksField, type WorksRowView } from '../parsers/csv';
import { ownCopy as own } from '../parsers/own-copy';
import { detectWorksFormat, hashedChunks, sha256, type WorksFormat } from './input-file';
import type { RightType } from './parameters';
import { FULL_SHARE, shareUnits } from './units';

/** Party ids must be valid ledger ids, since they go on the ledger in the batches. */
export const PARTY_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Where a repertoire came from. */
export interface RepertoireSource {
  path: string;
  /** Detected from content when omitted. */
  format?: WorksFormat;
}

function grownInt32(a: Int32Array, need: number): Int32Array {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

function grownFloat64(a: Float64Array, need: number): Float64Array {
  if (need <= a.length) return a;
  const b = new Float64Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/**
 * Per-work lists kept while loading: works.csv rows of one work need not be adjacent, so each work
 * has a chain (head, tail, next) through one pool, in insertion order. {@link compact} turns them
 * into offsets into dense arrays.
 */
class ChainPool {
  head: Int32Array = new Int32Array(1024).fill(-1);
  tail: Int32Array = new Int32Array(1024).fill(-1);
  next: Int32Array = new Int32Array(4096);
  value: Int32Array = new Int32Array(4096);
  /** A number per entry (share units), when the pool carries one. */
  amount: Float64Array | undefined;
  size = 0;

  constructor(withAmount: boolean) {
    if (withAmount) this.amount = new Float64Array(4096);
  }

  /** Makes room for owner `w`. */
  owner(w: number): void {
    if (w < this.head.length) return;
    const n = Math.max(w + 1, this.head.length * 2);
    const h = new Int32Array(n).fill(-1), t = new Int32Array(n).fill(-1);
    h.set(this.head);
    t.set(this.tail);
    this.head = h;
    this.tail = t;
  }

  /** Appends `value` (and `amount`) to `w`'s chain; returns the entry. */
  push(w: number, value: number, amount = 0): number {
    const e = this.size++;
    this.next = grownInt32(this.next, e + 1);
    this.value = grownInt32(this.value, e + 1);
    if (this.amount) this.amount = grownFloat64(this.amount, e + 1);
    this.next[e] = -1;
    this.value[e] = value;
    if (this.amount) this.amount[e] = amount;
    const t = this.tail[w]!;
    if (t < 0) this.head[w] = e;
    else this.next[t] = e;
    this.tail[w] = e;
    return e;
  }

  /** The entry of `w` holding `value`, or -1. */
  find(w: number, value: number): number {
    for (let e = this.head[w]!; e >= 0; e = this.next[e]!) if (this.value[e] === value) return e;
    return -1;
  }

  /** Empties `w`'s chain (its entries stay in the pool, unreferenced). */
  clear(w: number): void {
    this.head[w] = -1;
    this.tail[w] = -1;
  }

  /** Dense copy for owners `0..n-1`: `start` (n + 1 offsets), values and amounts in chain order. */
  compact(n: number): { start: Int32Array; values: Int32Array; amounts: Float64Array } {
    let total = 0;
    for (let w = 0; w < n; w++) for (let e = this.head[w]!; e >= 0; e = this.next[e]!) total++;
    const start = new Int32Array(n + 1);
    const values = new Int32Array(total);
    const amounts = new Float64Array(this.amount ? total : 0);
    let k = 0;
    for (let w = 0; w < n; w++) {
      start[w] = k;
      for (let e = this.head[w]!; e >= 0; e = this.next[e]!) {
        values[k] = this.value[e]!;
        if (this.amount) amounts[k] = this.amount[e]!;
        k++;
      }
    }
    start[n] = k;
    return { start, values, amounts };
  }
}

/**
 * The loaded repertoire, column-wise: work `i` (0 ≤ i < {@link size}, in load order) has its id,
 * main title and ISWC in arrays, its share set of the chosen right at
 * `[shareStart[i], shareStart[i + 1])` of {@link shareParty} / {@link shareUnits}, and its
 * creators (for title matching) in a pool of interned names. Share arrays are complete once
 * {@link loadRepertoire} returns.
 */
export class EngineRepertoire implements MatchableWorks {
  /** Work ids, by position. */
  readonly workIds: string[] = [];
  /** Main titles, by position. */
  readonly mainTitles: string[] = [];
  /** ISWCs as given in the repertoire file (not normalised), by position. */
  readonly iswcs: (string | undefined)[] = [];
  // All titles of works whose titles are not just their main title (CWR alternate titles).
  private readonly titleLists = new Map<number, readonly string[]>();
  private readonly partyIndex = new StringTable();
  /** Interned party ids. */
  readonly partyIds: string[] = this.partyIndex.strings;
  private creatorIndex = new StringTable();
  /** Interned creator names. */
  readonly creatorNames: string[] = this.creatorIndex.strings;
  /** Offsets of each work's share set: work `i` owns `[shareStart[i], shareStart[i + 1])` (size + 1 entries). */
  shareStart: Int32Array = new Int32Array(1);
  /** Party index (into {@link partyIds}) of each share; one per distinct party of a work. */
  shareParty: Int32Array = new Int32Array(0);
  /**
   * Share units of each share (100 % = 100,000,000). Doubles hold them exactly: a party listed
   * several times on one work gets the sum, which may exceed the 32-bit range.
   */
  shareUnits: Float64Array = new Float64Array(0);
  // Sum of a work's share units, by position.
  private claimedUnits: Float64Array = new Float64Array(1024);
  // Offsets of each work's creator names (size + 1 entries) into creatorOf (indexes into creatorNames).
  private creatorStart: Int32Array = new Int32Array(1);
  private creatorOf: Int32Array = new Int32Array(0);
  // Work id → position (its number in the table); built while loading and then shared with the matcher.
  private readonly ids = new StringTable();
  // Per-work share and creator chains, only while loading.
  private shares: ChainPool | undefined = new ChainPool(true);
  private creators: ChainPool | undefined = new ChainPool(false);
  /** The matcher over these works; it answers positions. */
  readonly matcher: WorkMatcher = new WorkMatcher(this, this.ids);
  /** Parse and load issues (rejected rows, warnings). */
  readonly summary: ParseSummary = emptySummary();

  /** SHA-256 (hex) of the repertoire file bytes; set once the file has been read. */
  digest = '';

  constructor(readonly right: RightType, readonly format: WorksFormat) {}

  /** Number of works. */
  get size(): number {
    return this.workIds.length;
  }

  /** Id of work `i`. */
  workId(i: number): string {
    return this.workIds[i]!;
  }

  /** Main title of work `i`. */
  title(i: number): string {
    return this.mainTitles[i]!;
  }

  /** ISWC of work `i` as given in the file, or `undefined`. */
  iswc(i: number): string | undefined {
    return this.iswcs[i];
  }

  /** Sum of the share units of work `i`; above {@link FULL_SHARE} its usage goes to suspense. */
  claimed(i: number): number {
    return this.claimedUnits[i]!;
  }

  /** Number of titles of work `i` (main title first, then alternate titles). */
  titleCount(i: number): number {
    return this.titleLists.get(i)?.length ?? 1;
  }

  /** Title `k` of work `i` (0 is the main title unless a duplicate CWR record replaced the list). */
  titleAt(i: number, k: number): string {
    const list = this.titleLists.get(i);
    return list === undefined ? this.mainTitles[i]! : list[k]!;
  }

  /** Number of creator names of work `i`. */
  creatorCount(i: number): number {
    return this.creatorStart[i + 1]! - this.creatorStart[i]!;
  }

  /** Creator name `k` of work `i`. */
  creatorAt(i: number, k: number): string {
    return this.creatorNames[this.creatorOf[this.creatorStart[i]! + k]!]!;
  }

  /** Position of work `workId`, once loaded. */
  workIndex(workId: string): number | undefined {
    return this.ids.get(workId);
  }

  /**
   * Matches a usage line: the work's position, or -1. The method (on a match) or the reason and
   * candidates (otherwise) are on {@link matcher}.
   */
  match(u: MatchableUsage): number {
    return this.matcher.matchIndex(u);
  }

  /** Links a recording (ISRC) to a work, for matching by ISRC. */
  addRecording(isrc: string, workId: string): void {
    this.matcher.addRecording(isrc, workId);
  }

  /** Interns a party id. */
  party(id: string): number {
    return this.partyIndex.internRange(id, 0, id.length, () => own(id));
  }

  /** Interns the party id `text[start, end)`. */
  partyInRange(text: string, start: number, end: number): number {
    return this.partyIndex.internRange(text, start, end, () => own(text.slice(start, end)));
  }

  private creatorName(name: string): number {
    return this.creatorIndex.internRange(name, 0, name.length, () => own(name));
  }

  /** Gets or creates the work `workId` (while loading); returns its position. */
  work(workId: string, title: string, iswc: string | undefined): number {
    return this.workInRange(workId, 0, workId.length, () => title, () => iswc);
  }

  /**
   * Gets or creates the work whose id is `text[start, end)` (while loading); returns its position.
   * `title` and `iswc` are asked for only when the work is new.
   */
  workInRange(text: string, start: number, end: number, title: () => string, iswc: () => string | undefined): number {
    const i = this.workIds.length;
    const known = this.ids.internRange(text, start, end, () => own(text.slice(start, end)));
    if (known < i) return known;
    this.workIds.push(this.ids.strings[i]!);
    this.mainTitles.push(own(title()));
    const code = iswc();
    this.iswcs.push(code ? own(code) : undefined);
    this.claimedUnits = grownFloat64(this.claimedUnits, i + 1);
    this.shares!.owner(i);
    this.creators!.owner(i);
    return i;
  }

  /** Adds `units` of `partyId` to work `w`'s share set (a party listed twice gets the sum). */
  addShare(w: number, partyId: string, units: number): void {
    this.addPartyShare(w, this.party(partyId), units);
  }

  /** Adds `units` of party `p` (an index into {@link partyIds}) to work `w`'s share set. */
  addPartyShare(w: number, p: number, units: number): void {
    const pool = this.shares!;
    const e = pool.find(w, p);
    if (e >= 0) pool.amount![e]! += units;
    else pool.push(w, p, units);
    this.claimedUnits[w]! += units;
  }

  /** Adds a creator name to work `w` unless it has it already. */
  addCreator(w: number, name: string): void {
    this.addCreatorName(w, this.creatorName(name));
  }

  /** Interns the creator name `text[start, end)`; returns its index in {@link creatorNames}. */
  creatorInRange(text: string, start: number, end: number): number {
    return this.creatorIndex.internRange(text, start, end, () => own(text.slice(start, end)));
  }

  /** Adds creator name `c` (an index into {@link creatorNames}) to work `w` unless it has it already. */
  addCreatorName(w: number, c: number): void {
    if (this.creators!.find(w, c) < 0) this.creators!.push(w, c);
  }

  /** Replaces work `w`'s titles and creators (a CWR record: titles and writers as listed). */
  setNames(w: number, titles: readonly string[], creators: readonly string[]): void {
    if (titles.length === 1 && titles[0] === this.mainTitles[w]) this.titleLists.delete(w);
    else this.titleLists.set(w, [...titles]);
    const pool = this.creators!;
    pool.clear(w);
    for (const name of creators) pool.push(w, this.creatorName(name));
  }

  /** Turns the loading chains into dense columns and indexes the works for matching. */
  finish(recordings: readonly { isrc: string; workId: string }[]): void {
    const n = this.size;
    const s = this.shares!.compact(n);
    this.shareStart = s.start;
    this.shareParty = s.values;
    this.shareUnits = s.amounts;
    this.claimedUnits = this.claimedUnits.slice(0, n);
    const c = this.creators!.compact(n);
    this.creatorStart = c.start;
    this.creatorOf = c.values;
    this.shares = undefined;
    this.creators = undefined;
    // Names are only read by position from now on: the table's slots can go (the strings stay).
    this.creatorIndex = new StringTable();
    for (let i = 0; i < n; i++) this.matcher.addWork(i);
    for (const r of recordings) this.matcher.addRecording(r.isrc, r.workId);
  }
}

function grownNames(a: Int32Array, need: number): Int32Array {
  const b = new Int32Array(Math.max(need, a.length * 2)).fill(-1);
  b.set(a);
  return b;
}

/** {@link PARTY_ID_RE} on `text[start, end)`, without cutting the string. */
function isPartyIdAt(text: string, start: number, end: number): boolean {
  const n = end - start;
  if (n < 1 || n > 64) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (!alnum && (i === start || (c !== 46 && c !== 95 && c !== 45))) return false;
  }
  return true;
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
  // works.csv is decoded chunk by chunk (the read buffer can be reused); the CWR parser keeps byte carries.
  const input = hashedChunks(src.path, hash, format === 'works-csv');
  const rep = new EngineRepertoire(right, format);
  const issues = new IssueCollector(rep.summary, options);
  const recordings: { isrc: string; workId: string }[] = [];
  if (format === 'works-csv') {
    // The parser hands over each row as a view into its line: ids and names are interned from
    // their place in the line, and a row of the work before it cuts no string at all.
    let prev = -1;
    // The engine's own rejections wait until the parser has finished the chunk, so they reach the
    // rejects sink after the parser's, as when rows came in batches.
    const held: [ParseIssue, string][] = [];
    let role = '';
    let roleIsPublisher = false;
    let nameOfParty: Int32Array = new Int32Array(1024).fill(-1);
    const take = (r: WorksRowView): void => {
      const t = r.text, st = r.start, en = r.end;
      if (!isPartyIdAt(t, st[WorksField.PartyId]!, en[WorksField.PartyId]!)) {
        held.push([{ line: r.line, field: 'party_id', code: 'ENGINE.BAD_PARTY_ID', message: `party id ${JSON.stringify(r.partyId)} is not a ledger id (letters, digits, ".", "_", "-"; at most 64)` }, `${r.workId},${r.partyId}`]);
        return;
      }
      const w =
        prev >= 0 && r.fieldIs(WorksField.WorkId, rep.workIds[prev]!)
          ? prev
          : (prev = rep.workInRange(t, st[WorksField.WorkId]!, en[WorksField.WorkId]!, () => r.title, () => r.iswc));
      const p = r.right === right ? rep.partyInRange(t, st[WorksField.PartyId]!, en[WorksField.PartyId]!) : -1;
      const n0 = st[WorksField.PartyName]!, n1 = en[WorksField.PartyName]!;
      if (n1 > n0) {
        // Roles repeat: the previous row's answer serves while the role text is the same.
        if (!r.fieldIs(WorksField.Role, role)) {
          role = r.role;
          roleIsPublisher = PUBLISHER_ROLES.has(role.toLowerCase());
        }
        if (!roleIsPublisher) {
          // A party's name is usually the same on all its rows: try the one it had last time.
          let c = p >= 0 && p < nameOfParty.length ? nameOfParty[p]! : -1;
          if (c < 0 || !r.fieldIs(WorksField.PartyName, rep.creatorNames[c]!)) c = rep.creatorInRange(t, n0, n1);
          if (p >= 0) {
            if (p >= nameOfParty.length) nameOfParty = grownNames(nameOfParty, p + 1);
            nameOfParty[p] = c;
          }
          rep.addCreatorName(w, c);
        }
      }
      if (p >= 0) rep.addPartyShare(w, p, r.shareUnits);
    };
    const stream = parseWorksCsv(input, { ...options, sink: take });
    for await (const _ of stream.batches()) {
      for (const [issue, raw] of held) issues.error(issue, raw);
      held.length = 0;
    }
    mergeSummary(rep.summary, stream.summary);
  } else {
    const stream = parseCwr(input, options);
    for await (const cw of stream) {
      const rw = repertoireFromCwr(cw);
      const w = rep.work(rw.workId, cw.title, rw.iswc);
      rep.setNames(w, rw.titles, rw.creators);
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

function addCwrShares(rep: EngineRepertoire, w: number, cw: CwrWork, right: RightType, issues: IssueCollector): void {
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

/** True when the shares of work `i` exceed 100 % (its usage is held in suspense). */
export function sharesExceedFull(rep: EngineRepertoire, i: number): boolean {
  return rep.claimed(i) > FULL_SHARE;
}
