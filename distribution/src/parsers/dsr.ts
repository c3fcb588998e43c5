/**
 * Streaming parser for DDEX DSR flat files (DSRF, tab-separated), aimed at the Basic Audio and UGC
 * profiles: HEAD, SYxx summaries, blocks of RE01/AS01/AS02/MW01 and SU01/SU02/SU03 usage, FOOT.
 *
 * Column layouts: the `#TYPE` comment rows that DSRF files carry define the columns of each record
 * type and take precedence; otherwise built-in layouts for the common record versions are used.
 * Multi-value cells are split on `|`; `\|` is a literal pipe and `\\` a literal backslash.
 *
 * Memory is bounded by one block (a release and its resources) plus the summary records.
 *
 * Policy: a malformed identifier (ISRC, ISWC) is dropped with a warning, as DSRF recipients usually
 * do (the usage can still match by title); a bad count or amount, an unknown summary reference or an
 * unresolvable resource rejects the usage line. FOOT/HEAD count mismatches are structural errors.
 */
import { basename } from 'node:path';
import {
  emptySummary,
  isSignedDecimal,
  IssueCollector,
  makeBatchStream,
  parseNonNegativeInt,
  textLineRanges,
  type ParseOptions,
  type ParserInput,
  type ParseStream,
  type ParseSummary,
} from './common';
import { normaliseIsrc, normaliseIswc } from './identifiers';
import type { UsageLine } from './usage';

/** A usage line from a DSR, with the DSR context needed for distribution. */
export interface DsrUsageLine extends UsageLine {
  recordType: string;
  blockId: string;
  summaryRecordId?: string;
  salesTransactionId?: string;
  /** The resource the usage refers to, as referenced in the file. */
  resourceReference?: string;
  dspResourceId?: string;
  displayArtist?: string;
  releaseTitle?: string;
  useType?: string;
  commercialModel?: string;
  territory?: string;
  /** Currency of the summary record the line belongs to. */
  currency?: string;
  /** Price paid by the consumer (excluding sales tax), as a decimal string, when reported. */
  price?: string;
}

/** A summary (SYxx) record, keyed by its SummaryRecordId. */
export interface DsrSummaryRecord {
  line: number;
  recordType: string;
  summaryRecordId?: string;
  commercialModel?: string;
  useType?: string;
  territory?: string;
  serviceDescription?: string;
  usages?: string;
  currency?: string;
  netRevenue?: string;
  rightsController?: string;
}

/** Summary of a DSR parse. */
export interface DsrSummary extends ParseSummary {
  /** HEAD fields by column name. */
  head?: Record<string, string>;
  /** FOOT fields by column name. */
  foot?: Record<string, string>;
  summaries: DsrSummaryRecord[];
  blocks: number;
  /** Record types counted but not modelled (LI01, RU01, ...). */
  skippedRecords: Record<string, number>;
  commentLines: number;
}

/** DSR parser options. */
export interface DsrOptions extends ParseOptions {
  /** File name, to check HEAD's file number against `_XofY_` in the name. Defaults to the path's base name. */
  fileName?: string;
  /**
   * Scratch mode: every usage line is handed to `sink` as one reused record (overwritten by the next
   * line, so the sink must copy what it keeps) instead of being collected into batches; the batches
   * are then empty arrays, one per input chunk (for progress). No object is allocated per line.
   */
  sink?: (u: DsrUsageLine) => void;
}

/**
 * The one record a scratch-mode parse reuses for every usage line. Absent fields are `undefined`
 * (never missing keys), and the usage id is built only when somebody reads it.
 */
class ScratchUsageLine implements DsrUsageLine {
  /** The resource, block work and summary record the fields were last filled from ({@link fillUsage}). */
  filledRes: Resource | undefined | null = null;
  filledWork: Resource | undefined | null = null;
  filledSy: DsrSummaryRecord | undefined | null = null;
  line = 0;
  recordType = '';
  blockId = '';
  // The transaction id: a string, or (undefined) the range txStart..txEnd of txText, cut on first read.
  private txCut: string | undefined = '';
  private txText = '';
  private txStart = 0;
  private txEnd = 0;
  workId?: string = undefined;
  iswc?: string = undefined;
  isrc?: string = undefined;
  proprietaryIds: string[] = [];
  title?: string = undefined;
  creators: string[] = [];
  plays = 0;
  amount?: string = undefined;
  summaryRecordId?: string = undefined;
  resourceReference?: string = undefined;
  dspResourceId?: string = undefined;
  displayArtist?: string = undefined;
  releaseTitle?: string = undefined;
  useType?: string = undefined;
  commercialModel?: string = undefined;
  territory?: string = undefined;
  currency?: string = undefined;
  price?: string = undefined;
  /** Sets the transaction id. */
  setTx(tx: string): void {
    this.txCut = tx;
  }
  /** Sets the transaction id to `text[start, end)` (a cell that needs no trimming or unescaping). */
  setTxRange(text: string, start: number, end: number): void {
    this.txCut = undefined;
    this.txText = text;
    this.txStart = start;
    this.txEnd = end;
  }
  get txId(): string {
    return (this.txCut ??= this.txText.slice(this.txStart, this.txEnd));
  }
  get salesTransactionId(): string | undefined {
    return this.txId || undefined;
  }
  get usageId(): string {
    const tx = this.txId;
    return tx ? `${this.blockId}:${tx}` : `${this.blockId}:L${this.line}`;
  }
}

// Built-in layouts (DSRF 1.x) for files without `#` header rows. Keyed by record type without version.
const BUILTIN: Record<string, string[]> = {
  HEAD: ['MessageVersion', 'Profile', 'ProfileVersion', 'MessageId', 'MessageCreatedDateTime', 'FileNumber', 'NumberOfFiles', 'UsageStartDate', 'UsageEndDate', 'SenderPartyId', 'SenderName', 'ServiceDescription', 'RecipientPartyId', 'RecipientName', 'RepresentedRepertoire'],
  FOOT: ['NumberOfLinesInFile', 'NumberOfLinesInReport', 'NumberOfSummaryRecords', 'NumberOfBlocksInFile', 'NumberOfBlocksInReport'],
  FFOO: ['NumberOfLinesInFile'],
  SY01: ['SummaryRecordId', 'DistributionChannel', 'DistributionChannelDPID', 'CommercialModel', 'UseType', 'Territory', 'ServiceDescription', 'TotalUsages', 'Subscribers', 'CurrencyOfReporting', 'NetRevenue'],
  SY02: ['SummaryRecordId', 'DistributionChannel', 'DistributionChannelDPID', 'CommercialModel', 'UseType', 'Territory', 'ServiceDescription', 'Usages', 'Users', 'Currency', 'NetRevenue', 'RightsController', 'RightsControllerPartyId', 'AllocatedUsages', 'AllocatedRevenue', 'AllocatedNetRevenue', 'RightsType'],
  RE01: ['BlockId', 'ReleaseReference', 'DspReleaseId', 'ProprietaryReleaseId', 'CatalogNumber', 'ICPN', 'DisplayArtistName', 'DisplayArtistPartyId', 'Title', 'SubTitle', 'ReleaseType', 'LabelName', 'PLine', 'DataProviderName'],
  AS01: ['BlockId', 'ResourceReference', 'DspResourceId', 'ISRC', 'Title', 'SubTitle', 'DisplayArtistName', 'DisplayArtistPartyId', 'Duration', 'ResourceType'],
  AS02: ['BlockId', 'ResourceReference', 'DspResourceId', 'ISRC', 'Title', 'SubTitle', 'DisplayArtistName', 'DisplayArtistPartyId', 'Duration', 'ResourceType', 'ISWC', 'ComposerAuthor', 'ComposerAuthorPartyId', 'Arranger', 'ArrangerPartyId', 'MusicPublisher', 'MusicPublisherPartyId', 'WorkContributor', 'WorkContributorPartyId', 'ProprietaryWorkId'],
  MW01: ['BlockId', 'DspWorkId', 'ISWC', 'Title', 'SubTitle', 'ComposerAuthor', 'ComposerAuthorPartyId', 'Arranger', 'ArrangerPartyId', 'MusicPublisher', 'MusicPublisherPartyId', 'WorkContributor', 'WorkContributorPartyId', 'DataProvider', 'ProprietaryWorkId'],
  SU01: ['BlockId', 'SummaryRecordId', 'SalesTransactionId', 'TransactedRelease', 'TransactedResource', 'IsRoyaltyBearing', 'NumberOfUsages', 'NetRevenue'],
  SU02: ['BlockId', 'SummaryRecordId', 'SalesTransactionId', 'TransactedRelease', 'TransactedResource', 'IsRoyaltyBearing', 'NumberOfStreams', 'PriceConsumerPaidExcSalesTax', 'PromotionalActivity', 'UseType'],
  SU03: ['BlockId', 'SalesTransactionId', 'SummaryRecordId', 'DspResourceId', 'Usages', 'NetRevenue', 'ValidityPeriodStart', 'ValidityPeriodEnd'],
};

const COUNT_COLUMNS = ['NumberOfStreams', 'NumberOfUsages', 'Usages', 'TotalUsages', 'NumberOfDownloads', 'NumberOfPlays'];
const RESOURCE_REF_COLUMNS = ['TransactedResource', 'ResourceReference', 'DspResourceId', 'DspReleaseId'];
const CREATOR_COLUMNS = ['ComposerAuthor', 'ComposerAuthorName'];

function baseType(t: string): string {
  const dot = t.indexOf('.');
  return dot < 0 ? t : t.slice(0, dot);
}

/** Splits a multi-value cell on unescaped pipes and unescapes `\|` and `\\`. */
export function splitMulti(cell: string): string[] {
  if (cell === '') return [];
  if (cell.indexOf('\\') < 0 && cell.indexOf('|') < 0) {
    // One value, the common case: no arrays built to split, trim and filter it.
    const t = cell.trim();
    return t === '' ? [] : [t];
  }
  if (cell.indexOf('\\') < 0) return cell.split('|').map((s) => s.trim()).filter((s) => s !== '');
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i]!;
    if (c === '\\' && i + 1 < cell.length) cur += cell[++i];
    else if (c === '|') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out.filter((s) => s !== '');
}

/** Unescapes a single-value cell (`\|` → `|`, `\\` → `\`). */
export function unescapeCell(cell: string): string {
  return cell.indexOf('\\') < 0 ? cell : cell.replace(/\\(.)/g, '$1');
}

interface Layout {
  cols: Map<string, number>;
  /** Column positions a usage record reads, resolved once per layout (-1: absent). */
  su?: UsageColumns;
  /** Column positions a resource (AS, MW) record reads, resolved once per layout. */
  res?: ResourceColumns;
}

interface ResourceColumns {
  block: number;
  ref: number;
  /** DspResourceId, DspWorkId: the first non-empty one is the DSP's id. */
  dsp: number[];
  proprietaryWorkId: number;
  title: number;
  artist: number;
  creators: number[];
  isrc: number;
  iswc: number;
}

function resourceColumns(l: Layout): ResourceColumns {
  const at = (n: string) => l.cols.get(n) ?? -1;
  const present = (names: string[]) => names.map(at).filter((i) => i >= 0);
  return (l.res ??= {
    block: at('BlockId'),
    ref: at('ResourceReference'),
    dsp: present(['DspResourceId', 'DspWorkId']),
    proprietaryWorkId: at('ProprietaryWorkId'),
    title: at('Title'),
    artist: at('DisplayArtistName'),
    creators: present(CREATOR_COLUMNS),
    isrc: at('ISRC'),
    iswc: at('ISWC'),
  });
}

interface UsageColumns {
  count: number[];
  sid: number;
  revenue: number;
  price: number;
  refs: number[];
  tx: number;
  useType: number;
}

function usageColumns(l: Layout): UsageColumns {
  const at = (n: string) => l.cols.get(n) ?? -1;
  const present = (names: string[]) => names.map(at).filter((i) => i >= 0);
  return (l.su ??= { count: present(COUNT_COLUMNS), sid: at('SummaryRecordId'), revenue: at('NetRevenue'), price: at('PriceConsumerPaidExcSalesTax'), refs: present(RESOURCE_REF_COLUMNS), tx: at('SalesTransactionId'), useType: at('UseType') });
}

/**
 * The tab-separated cells of one line, located but not copied: a record reads a few of its cells,
 * so slicing only those (instead of `split`, which builds every substring and an array per line)
 * is the largest saving on a file of millions of usage lines.
 */
class TabCells {
  private raw = '';
  private base = 0;
  // End of each cell, as a position in `raw`.
  private ends = new Int32Array(64);
  /** Number of cells. */
  length = 0;

  /** Points the view at `raw`. */
  reset(raw: string): this {
    return this.resetRange(raw, 0, raw.length);
  }

  /** Points the view at the line `text[start, end)`; cell positions are positions in `text`. */
  resetRange(text: string, start: number, end: number): this {
    this.raw = text;
    this.base = start;
    let n = 0;
    let at = text.indexOf('\t', start);
    while (at >= 0 && at < end) {
      if (n === this.ends.length) {
        const grown = new Int32Array(n * 2);
        grown.set(this.ends);
        this.ends = grown;
      }
      this.ends[n++] = at;
      at = text.indexOf('\t', at + 1);
    }
    if (n === this.ends.length) {
      const grown = new Int32Array(n * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[n++] = end;
    this.length = n;
    return this;
  }

  /** Start of cell `i` (which must exist) in the line. */
  start(i: number): number {
    return i === 0 ? this.base : this.ends[i - 1]! + 1;
  }

  /** End of cell `i` (which must exist) in the line. */
  end(i: number): number {
    return this.ends[i]!;
  }

  /** Cell `i` (0-based), or `undefined` past the end of the line. */
  get(i: number): string | undefined {
    if (i >= this.length) return undefined;
    return this.raw.slice(i === 0 ? this.base : this.ends[i - 1]! + 1, this.ends[i]);
  }
}

const NO_STRINGS: string[] = [];

/** Cell `i` trimmed and unescaped; `''` for an absent column (-1) or past the end of the line. */
function cellAt(cells: TabCells, i: number): string {
  if (i < 0) return '';
  const v = cells.get(i);
  return v === undefined ? '' : unescapeCell(v.trim());
}

// JavaScript's trim() whitespace (WhiteSpace and LineTerminator).
function isTrimSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** True when the non-empty range `raw[a, b)` would lose characters to trim(). */
function trimmable(raw: string, a: number, b: number): boolean {
  return isTrimSpace(raw.charCodeAt(a)) || isTrimSpace(raw.charCodeAt(b - 1));
}

/** True when the line `text[start, end)` begins with record type `type` and a tab. */
function startsWithType(text: string, start: number, end: number, type: string): boolean {
  const n = type.length;
  if (end - start <= n || text.charCodeAt(start + n) !== 9) return false;
  for (let i = 0; i < n; i++) if (text.charCodeAt(start + i) !== type.charCodeAt(i)) return false;
  return true;
}

/** True when `raw[a, b)` equals `s`. */
function equalsAt(raw: string, a: number, b: number, s: string): boolean {
  if (b - a !== s.length) return false;
  for (let i = 0; i < s.length; i++) if (raw.charCodeAt(a + i) !== s.charCodeAt(i)) return false;
  return true;
}

/** True when cell `i` (in a line without backslashes) has exactly the value `s` and needs no trimming. */
function cellIs(raw: string, cells: TabCells, i: number, s: string): boolean {
  const a = cells.start(i), b = cells.end(i);
  return b > a && !trimmable(raw, a, b) && equalsAt(raw, a, b, s);
}

/** `raw[a, b)` as {@link parseNonNegativeInt} reads it when the range needs no trimming; -1 otherwise. */
function digitsAt(raw: string, a: number, b: number): number {
  if (b - a > 15) return -1;
  let v = 0;
  for (let i = a; i < b; i++) {
    const c = raw.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * {@link cellAt} of a line without backslashes: `''` for an absent or empty cell, the cell itself
 * when it needs no trimming, else `undefined` (the general path decides).
 */
function plainCell(raw: string, cells: TabCells, i: number): string | undefined {
  if (i < 0 || i >= cells.length) return '';
  const a = cells.start(i), b = cells.end(i);
  if (a === b) return '';
  return trimmable(raw, a, b) ? undefined : raw.slice(a, b);
}

/** Cell `i` trimmed (not unescaped); `''` for an absent column (-1) or past the end of the line. */
function rawCellAt(cells: TabCells, i: number): string {
  if (i < 0) return '';
  const v = cells.get(i);
  return v === undefined ? '' : v.trim();
}

function findResource(resources: Resource[], v: string): Resource | undefined {
  for (const r of resources) if (r.ref === v || r.dspResourceId === v) return r;
  return undefined;
}

interface Resource {
  ref?: string;
  dspResourceId?: string;
  isrc?: string;
  iswc?: string;
  title?: string;
  displayArtist?: string;
  creators: string[];
  proprietaryIds: string[];
}

/**
 * Writes a usage line's resolved context into the scratch record: the resource's identifiers, the
 * block's single work filling what the resource lacks, and the summary record's context. Both the
 * in-place and the general reading of a usage record end here, so they fill the record alike.
 */
function fillUsage(
  u: ScratchUsageLine,
  sid: string | undefined,
  res: Resource | undefined,
  work: Resource | undefined,
  releaseTitle: string | undefined,
  revenue: string,
  price: string,
  useType: string | undefined,
  sy: DsrSummaryRecord | undefined,
  plays: number,
): void {
  u.summaryRecordId = sid;
  // A block's lines mostly share their resource and summary record: their fields are written
  // again only when those change (the record is the caller's to read, never to write).
  if (res !== u.filledRes || work !== u.filledWork) {
    u.filledRes = res;
    u.filledWork = work;
    u.resourceReference = res?.ref;
    u.dspResourceId = res?.dspResourceId;
    u.isrc = res?.isrc;
    u.title = res?.title;
    u.displayArtist = res?.displayArtist;
    u.creators = res ? res.creators : NO_STRINGS;
    u.proprietaryIds = res ? res.proprietaryIds : NO_STRINGS;
    u.iswc = res?.iswc;
    if (work) {
      if (!u.iswc && work.iswc) u.iswc = work.iswc;
      if (!u.creators.length) u.creators = work.creators;
      if (!u.title && work.title) u.title = work.title;
      if (work.proprietaryIds.length) u.proprietaryIds = [...u.proprietaryIds, ...work.proprietaryIds];
    }
  }
  u.releaseTitle = releaseTitle || undefined;
  u.amount = revenue || undefined;
  u.price = price || undefined;
  u.useType = useType || undefined;
  if (sy !== u.filledSy) {
    u.filledSy = sy;
    u.commercialModel = sy?.commercialModel || undefined;
    u.territory = sy?.territory || undefined;
    u.currency = sy?.currency || undefined;
  }
  u.plays = plays;
}

/**
 * Parses a DSR flat file into usage lines, streaming block by block.
 *
 * @example
 * const usage = parseDsr(path, { onError: 'quarantine', rejects });
 * for await (const u of usage) match(u);
 * usage.summary.foot; // the declared counts, already checked
 */
export function parseDsr(input: ParserInput, options: DsrOptions = {}): ParseStream<DsrUsageLine, DsrSummary> {
  const summary: DsrSummary = { ...emptySummary(), summaries: [], blocks: 0, skippedRecords: {}, commentLines: 0 };
  const issues = new IssueCollector(summary, options);
  const fileName = options.fileName ?? (typeof input === 'string' ? basename(input) : undefined);

  const sink = options.sink;
  return makeBatchStream(summary, async function* () {
    let out: DsrUsageLine[] = [];
    const scratch = sink ? new ScratchUsageLine() : undefined;
    const declared = new Map<string, Layout>(); // from # rows, by full and base record type
    const layoutCache = new Map<string, Layout | null>();
    const summaryById = new Map<string, DsrSummaryRecord>();
    // The same, as arrays for the fast path (a report has a handful of summary records).
    const summaryIds: string[] = [];
    const summaryRecs: DsrSummaryRecord[] = [];
    let lineNo = 0;
    let headCells: TabCells | undefined;
    const cells = new TabCells();
    let headLine = 0;
    let headRaw = '';
    let headDone = false;
    let sawFoot = false;
    let legacyHeader = false;
    let blockId: string | undefined;
    let resources: Resource[] = [];
    let works: Resource[] = [];
    let release: { title?: string } = {};

    const layoutFor = (type: string): Layout | null => {
      let l = layoutCache.get(type);
      if (l !== undefined) return l;
      l = declared.get(type) ?? declared.get(baseType(type)) ?? null;
      if (!l) {
        const b = BUILTIN[baseType(type)];
        l = b ? { cols: new Map(b.map((n, i) => [n, i + 1])) } : null;
      }
      layoutCache.set(type, l);
      return l;
    };
    const cell = (cells: TabCells, l: Layout, name: string): string => {
      const i = l.cols.get(name);
      return i === undefined ? '' : unescapeCell((cells.get(i) ?? '').trim());
    };
    const firstOf = (cells: TabCells, l: Layout, names: string[]): string => {
      for (const n of names) {
        const v = cell(cells, l, n);
        if (v !== '') return v;
      }
      return '';
    };
    const toRecord = (cells: TabCells, l: Layout): Record<string, string> => {
      const r: Record<string, string> = {};
      for (const [n, i] of l.cols) {
        const v = cells.get(i);
        if (v !== undefined && v !== '') r[n] = unescapeCell(v.trim());
      }
      return r;
    };

    const finishHead = () => {
      if (headDone) return;
      headDone = true;
      if (!headCells) {
        if (!legacyHeader) issues.error({ line: 1, code: 'DSR.MISSING_HEADER', message: 'file has no HEAD record' }, '', false);
        return;
      }
      const l = layoutFor('HEAD');
      if (!l) return;
      summary.head = toRecord(headCells, l);
      const m = fileName ? /_(\d+)of(\d+)_/.exec(fileName) : null;
      const n = summary.head.NumberOfFiles, k = summary.head.FileNumber;
      if (m && n !== undefined && n !== m[2]) issues.error({ line: headLine, field: 'NumberOfFiles', code: 'DSR.HEAD_MISMATCH', message: `HEAD says ${n} files but the file name says ${m[1]}of${m[2]}` }, headRaw, false);
      if (m && k !== undefined && k !== m[1]) issues.error({ line: headLine, field: 'FileNumber', code: 'DSR.HEAD_MISMATCH', message: `HEAD says file ${k} but the file name says ${m[1]}of${m[2]}` }, headRaw, false);
    };

    const blockChange = (id: string) => {
      if (id === blockId) return;
      blockId = id;
      summary.blocks++;
      resources = [];
      works = [];
      release = {};
    };

    const checkFoot = (cells: TabCells, raw: string, type: string) => {
      const l = layoutFor(type);
      if (!l) return;
      const foot = toRecord(cells, l);
      summary.foot = foot;
      const check = (field: string, actual: number) => {
        const v = foot[field];
        if (v === undefined) return;
        if (String(actual) !== v) issues.error({ line: lineNo, field, code: 'DSR.FOOT_MISMATCH', message: `${type} declares ${field} ${v}, file has ${actual}` }, raw, false);
      };
      check('NumberOfLinesInFile', lineNo);
      check('NumberOfSummaryRecords', summary.summaries.length);
      check('NumberOfBlocksInFile', summary.blocks);
      // With a single-file report, the report totals are the file totals.
      if (summary.head?.NumberOfFiles === '1') {
        check('NumberOfLinesInReport', lineNo);
        check('NumberOfBlocksInReport', summary.blocks);
      }
    };

    /** Reads a resource (AS) or work (MW) record of the current block. */
    const resource = (cells: TabCells, rc: ResourceColumns, isAs: boolean): void => {
      const r: Resource = { creators: [], proprietaryIds: [] };
      const ref = cellAt(cells, rc.ref);
      let dsp = '';
      for (const i of rc.dsp) if ((dsp = cellAt(cells, i)) !== '') break;
      if (ref) r.ref = ref;
      if (dsp) {
        r.dspResourceId = dsp;
        r.proprietaryIds.push(dsp);
      }
      const pw = rawCellAt(cells, rc.proprietaryWorkId);
      if (pw) r.proprietaryIds.push(...splitMulti(pw));
      const title = cellAt(cells, rc.title);
      if (title) r.title = title;
      const artist = cellAt(cells, rc.artist);
      if (artist) r.displayArtist = artist;
      // Multi-value cells are split before unescaping, so an escaped pipe stays inside a name.
      let creators = '';
      for (const i of rc.creators) if ((creators = rawCellAt(cells, i)) !== '') break;
      if (creators) r.creators = splitMulti(creators);
      const isrc = cellAt(cells, rc.isrc);
      if (isrc) {
        const n = normaliseIsrc(isrc);
        if (n) r.isrc = n;
        else issues.warn({ line: lineNo, field: 'ISRC', code: 'PARSE.INVALID_ISRC', message: `ISRC ${JSON.stringify(isrc)} has the wrong shape; dropped` });
      }
      const iswc = cellAt(cells, rc.iswc);
      if (iswc) {
        const n = normaliseIswc(iswc);
        if (n) r.iswc = n;
        else issues.warn({ line: lineNo, field: 'ISWC', code: 'PARSE.INVALID_ISWC', message: `ISWC ${JSON.stringify(iswc)} is malformed or has a wrong check digit; dropped` });
      }
      (isAs ? resources : works).push(r);
    };

    // Scratch mode's fast path for the resource records of one record type (the last one that took
    // the general path to the resource branch): the same reading, without finding the type's layout
    // and columns again.
    let fastResType = '';
    let fastResColumns: ResourceColumns | undefined;
    let fastResIsAs = true;

    // Scratch mode's fast path for the usage records of one record type (the last one whose line took
    // the general path to the usage branch): cells are compared and parsed where they lie in the line,
    // and only the values the record keeps are cut. A line it cannot vouch for (another block, a cell
    // that needs trimming or unescaping, anything the general path would reject or warn about) goes
    // the general way, so the outcome is the same.
    let fastType = '';
    let fastLayout: Layout | undefined;
    let fastBlock = -1;
    let lastUseType = '';
    // The next backslash at or after the last line asked about, in text number bsText (-1: none).
    let textNo = 0;
    let bsText = -1;
    let bsAt = -1;
    const backslashIn = (text: string, start: number, end: number): boolean => {
      if (bsText !== textNo || (bsAt >= 0 && bsAt < start)) {
        bsText = textNo;
        bsAt = text.indexOf('\\', start);
      }
      return bsAt >= 0 && bsAt < end;
    };
    const fastUsage = (raw: string, start: number, end: number): boolean => {
      if (backslashIn(raw, start, end)) return false;
      cells.resetRange(raw, start, end);
      const n = cells.length;
      // Same block: the block id cell is the current id, as is.
      if (fastBlock >= n || !cellIs(raw, cells, fastBlock, blockId!)) return false;
      const uc = fastLayout!.su!;
      let plays = -1;
      for (const i of uc.count) {
        if (i >= n) continue;
        const a = cells.start(i), b = cells.end(i);
        if (a === b) continue;
        plays = digitsAt(raw, a, b);
        break;
      }
      if (plays < 0) return false;
      let sy: DsrSummaryRecord | undefined;
      let sid: string | undefined;
      if (uc.sid >= 0 && uc.sid < n && cells.end(uc.sid) > cells.start(uc.sid)) {
        if (summaryIds.length > 16) return false;
        const a = cells.start(uc.sid), b = cells.end(uc.sid);
        for (let k = 0; k < summaryIds.length; k++) {
          if (equalsAt(raw, a, b, summaryIds[k]!)) {
            sid = summaryIds[k];
            sy = summaryRecs[k];
            break;
          }
        }
        if (sy === undefined) return false;
      }
      const revenue = plainCell(raw, cells, uc.revenue);
      if (revenue === undefined || (revenue && !isSignedDecimal(revenue))) return false;
      const price = plainCell(raw, cells, uc.price);
      if (price === undefined || (price && !isSignedDecimal(price))) return false;
      let res: Resource | undefined;
      for (const i of uc.refs) {
        if (i >= n) continue;
        const a = cells.start(i), b = cells.end(i);
        if (a === b) continue;
        if (trimmable(raw, a, b)) return false;
        for (const r of resources) {
          if ((r.ref !== undefined && equalsAt(raw, a, b, r.ref)) || (r.dspResourceId !== undefined && equalsAt(raw, a, b, r.dspResourceId))) {
            res = r;
            break;
          }
        }
        if (res) break;
      }
      if (!res && resources.length === 1) res = resources[0];
      if (!res && resources.length > 1) return false;
      let txStart = 0, txEnd = 0;
      if (uc.tx >= 0 && uc.tx < n) {
        txStart = cells.start(uc.tx);
        txEnd = cells.end(uc.tx);
        if (txEnd > txStart && trimmable(raw, txStart, txEnd)) return false;
      }
      let useType: string | undefined = sy?.useType;
      if (uc.useType >= 0 && uc.useType < n) {
        const a = cells.start(uc.useType), b = cells.end(uc.useType);
        if (b > a) {
          if (trimmable(raw, a, b)) return false;
          if (!equalsAt(raw, a, b, lastUseType)) lastUseType = raw.slice(a, b);
          useType = lastUseType;
        }
      }
      const work = works.length === 1 ? works[0] : undefined;
      const u = scratch!;
      u.line = lineNo;
      u.setTxRange(raw, txStart, txEnd);
      u.recordType = fastType;
      u.blockId = blockId!;
      fillUsage(u, sid, res, work, release.title, revenue, price, useType, sy, plays);
      summary.accepted++;
      sink!(u);
      return true;
    };

    for await (const lines of textLineRanges(input)) {
      const text = lines.text;
      // Line -1 is the one that began in an earlier piece, when there is one.
      for (let k = lines.head === undefined ? 0 : -1; k < lines.count; k++) {
        const src = k < 0 ? lines.head! : text;
        const start = k < 0 ? 0 : lines.starts[k]!;
        const end = k < 0 ? src.length : lines.ends[k]!;
        if (k <= 0) textNo++;
        lineNo++;
        summary.lines = lineNo;
        if (start === end) continue;
        const c0 = src.charCodeAt(start);
        if (c0 !== 35 && headDone && !sawFoot) {
          if (fastType !== '' && startsWithType(src, start, end, fastType) && fastUsage(src, start, end)) continue;
          if (fastResType !== '' && startsWithType(src, start, end, fastResType)) {
            const rc = fastResColumns!;
            cells.resetRange(src, start, end);
            blockChange(cellAt(cells, rc.block));
            resource(cells, rc, fastResIsAs);
            continue;
          }
        }
        const raw = src.slice(start, end);
        if (c0 === 35 /* # */) {
          summary.commentLines++;
          const cells = raw.split('\t');
          const type = cells[0]!.slice(1);
          if (/^[A-Z]{2,4}\d{0,2}(\.\d{1,2})?$/.test(type) && cells.length > 1) {
            const cols = new Map<string, number>();
            for (let i = 1; i < cells.length; i++) {
              const name = cells[i]!.trim();
              if (name !== '' && !cols.has(name)) cols.set(name, i);
            }
            declared.set(type, { cols });
            if (!declared.has(baseType(type))) declared.set(baseType(type), { cols });
            layoutCache.clear();
            fastType = '';
            fastResType = '';
          }
          continue;
        }
        const tab = raw.indexOf('\t');
        const type = tab < 0 ? raw : raw.slice(0, tab);
        if (sawFoot) {
          issues.error({ line: lineNo, code: 'DSR.AFTER_FOOTER', message: `${type} record after FOOT` }, raw, false);
          continue;
        }
        if (type === 'HEAD' || type === 'FHEA') {
          if (type === 'FHEA') {
            legacyHeader = true;
            issues.warn({ line: lineNo, code: 'DSR.LEGACY_RECORD', message: 'old-style FHEA header; not interpreted' });
            continue;
          }
          headCells = new TabCells().reset(raw);
          headLine = lineNo;
          headRaw = raw;
          continue;
        }
        finishHead();
        cells.reset(raw);
        if (type === 'FOOT' || type === 'FFOO') {
          sawFoot = true;
          if (type === 'FFOO') issues.warn({ line: lineNo, code: 'DSR.LEGACY_RECORD', message: 'old-style FFOO footer, read as FOOT' });
          checkFoot(cells, raw, type);
          continue;
        }
        const base = baseType(type);
        const l = layoutFor(type);
        if (base.startsWith('SY')) {
          const s: DsrSummaryRecord = { line: lineNo, recordType: type };
          if (l) {
            const g = (n: string[]) => firstOf(cells, l, n) || undefined;
            const id = g(['SummaryRecordId']);
            if (id) s.summaryRecordId = id;
            const set = (k: keyof DsrSummaryRecord, n: string[]) => {
              const v = g(n);
              if (v !== undefined) (s as unknown as Record<string, string>)[k] = v;
            };
            set('commercialModel', ['CommercialModel']);
            set('useType', ['UseType']);
            set('territory', ['Territory']);
            set('serviceDescription', ['ServiceDescription']);
            set('usages', ['Usages', 'TotalUsages', 'NumberOfUsages']);
            set('currency', ['Currency', 'CurrencyOfReporting']);
            set('netRevenue', ['NetRevenue']);
            set('rightsController', ['RightsController']);
            if (s.netRevenue !== undefined && !isSignedDecimal(s.netRevenue)) {
              issues.error({ line: lineNo, field: 'NetRevenue', code: 'PARSE.INVALID_AMOUNT', message: `net revenue ${JSON.stringify(s.netRevenue)} is not a decimal` }, raw);
              continue;
            }
            // Several SY02 rows may share an id (one per rights controller); the first defines currency and context.
            if (id && !summaryById.has(id)) {
              summaryById.set(id, s);
              summaryIds.push(id);
              summaryRecs.push(s);
            }
          }
          summary.summaries.push(s);
          continue;
        }
        if (!l || !l.cols.has('BlockId')) {
          summary.skippedRecords[type] = (summary.skippedRecords[type] ?? 0) + 1;
          if (!l) issues.warn({ line: lineNo, code: 'DSR.UNKNOWN_RECORD', message: `record type ${type} has no known layout; skipped` });
          continue;
        }
        blockChange(cell(cells, l, 'BlockId'));
        if (base === 'RE01' || base.startsWith('RE')) {
          const t = cell(cells, l, 'Title');
          release = t ? { title: t } : {};
          continue;
        }
        if (base.startsWith('AS') || base.startsWith('MW')) {
          const rc = l.res ?? resourceColumns(l);
          const isAs = base.startsWith('AS');
          if (scratch && type !== fastResType) {
            fastResType = type;
            fastResColumns = rc;
            fastResIsAs = isAs;
          }
          resource(cells, rc, isAs);
          continue;
        }
        if (!base.startsWith('SU')) {
          summary.skippedRecords[type] = (summary.skippedRecords[type] ?? 0) + 1;
          continue;
        }

        // A usage record.
        const uc = l.su ?? usageColumns(l);
        if (scratch && type !== fastType) {
          fastType = type;
          fastLayout = l;
          fastBlock = l.cols.get('BlockId')!;
        }
        let countRaw = '';
        for (const i of uc.count) if ((countRaw = cellAt(cells, i)) !== '') break;
        const plays = parseNonNegativeInt(countRaw);
        if (plays < 0) {
          issues.error({ line: lineNo, field: 'NumberOfUsages', code: 'PARSE.INVALID_COUNT', message: `usage count ${JSON.stringify(countRaw)} is not a non-negative integer` }, raw);
          continue;
        }
        const sid = cellAt(cells, uc.sid);
        const sy = sid ? summaryById.get(sid) : undefined;
        if (sid && !sy && summary.summaries.length > 0) {
          issues.error({ line: lineNo, field: 'SummaryRecordId', code: 'DSR.UNKNOWN_SUMMARY', message: `usage refers to summary record ${JSON.stringify(sid)}, which the file does not contain` }, raw);
          continue;
        }
        const revenue = cellAt(cells, uc.revenue);
        if (revenue && !isSignedDecimal(revenue)) {
          issues.error({ line: lineNo, field: 'NetRevenue', code: 'PARSE.INVALID_AMOUNT', message: `net revenue ${JSON.stringify(revenue)} is not a decimal` }, raw);
          continue;
        }
        const price = cellAt(cells, uc.price);
        if (price && !isSignedDecimal(price)) {
          issues.error({ line: lineNo, field: 'PriceConsumerPaidExcSalesTax', code: 'PARSE.INVALID_AMOUNT', message: `price ${JSON.stringify(price)} is not a decimal` }, raw);
          continue;
        }
        // Resolve the resource within the block: by reference, else the block's only resource.
        let res: Resource | undefined;
        let refUsed = '';
        for (const i of uc.refs) {
          const v = cellAt(cells, i);
          if (!v) continue;
          refUsed ||= v;
          res = findResource(resources, v);
          if (res) break;
        }
        if (!res && resources.length === 1) res = resources[0];
        if (!res && resources.length > 1) {
          issues.error({ line: lineNo, field: 'TransactedResource', code: 'DSR.UNKNOWN_RESOURCE', message: `usage refers to resource ${JSON.stringify(refUsed)}, not found in block ${blockId}` }, raw);
          continue;
        }
        const work = works.length === 1 ? works[0] : undefined;
        const txId = cellAt(cells, uc.tx);
        const useType = cellAt(cells, uc.useType) || sy?.useType;
        if (scratch) {
          // Same values as the object below, written into the one reused record.
          const u = scratch;
          u.line = lineNo;
          u.setTx(txId);
          u.recordType = type;
          u.blockId = blockId!;
          fillUsage(u, sid || undefined, res, work, release.title, revenue, price, useType, sy, plays);
          summary.accepted++;
          sink!(u);
          continue;
        }
        const u: DsrUsageLine = {
          line: lineNo,
          usageId: txId ? `${blockId}:${txId}` : `${blockId}:L${lineNo}`,
          recordType: type,
          blockId: blockId!,
          proprietaryIds: [],
          creators: [],
          plays,
        };
        if (sid) u.summaryRecordId = sid;
        if (txId) u.salesTransactionId = txId;
        if (res) {
          if (res.ref) u.resourceReference = res.ref;
          if (res.dspResourceId) u.dspResourceId = res.dspResourceId;
          if (res.isrc) u.isrc = res.isrc;
          if (res.title) u.title = res.title;
          if (res.displayArtist) u.displayArtist = res.displayArtist;
          u.creators = res.creators;
          u.proprietaryIds = res.proprietaryIds;
          if (res.iswc) u.iswc = res.iswc;
        }
        if (work) {
          if (!u.iswc && work.iswc) u.iswc = work.iswc;
          if (!u.creators.length) u.creators = work.creators;
          if (!u.title && work.title) u.title = work.title;
          if (work.proprietaryIds.length) u.proprietaryIds = [...u.proprietaryIds, ...work.proprietaryIds];
        }
        if (release.title) u.releaseTitle = release.title;
        if (revenue) u.amount = revenue;
        if (price) u.price = price;
        if (useType) u.useType = useType;
        if (sy?.commercialModel) u.commercialModel = sy.commercialModel;
        if (sy?.territory) u.territory = sy.territory;
        if (sy?.currency) u.currency = sy.currency;
        summary.accepted++;
        out.push(u);
      }
      if (lines.endOfChunk && (out.length || scratch)) {
        yield out;
        out = [];
      }
    }
    finishHead();
    if (!sawFoot) issues.error({ line: lineNo, code: 'DSR.MISSING_FOOTER', message: 'file has no FOOT record (truncated?)' }, '', false);
  });
}
