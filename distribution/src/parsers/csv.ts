/**
 * The collective's CSV interchange (RFC 4180: comma-separated, `"` quoting with `""` escapes, quoted
 * fields may span lines, CRLF or LF). See `README.md` in this folder for the column definitions.
 *
 * The hot path (a line without quotes) splits with `indexOf` and validates with character loops: no
 * regular expressions and one object per record.
 */
import {
  emptySummary,
  isDecimal,
  IssueCollector,
  makeBatchStream,
  ParseError,
  parseNonNegativeInt,
  textLineBatches,
  type ParseIssue,
  type ParseOptions,
  type ParserInput,
  type ParseStream,
} from './common';
import { normaliseIsrc, normaliseIswc } from './identifiers';
import type { UsageLine } from './usage';

/** Header of `works.csv`, in order. */
export const WORKS_COLUMNS = ['work_id', 'iswc', 'title', 'party_id', 'party_name', 'role', 'right', 'share'] as const;
/** Header of `usage.csv`, in order. */
export const USAGE_COLUMNS = ['usage_id', 'work_id', 'iswc', 'isrc', 'title', 'creators', 'plays', 'amount'] as const;

/** Right types in `works.csv`. */
export type WorkRight = 'performing' | 'mechanical';

/** One row of `works.csv`: one work × party × right. */
export interface WorkShareRow {
  line: number;
  workId: string;
  iswc?: string;
  title: string;
  partyId: string;
  partyName: string;
  role: string;
  right: WorkRight;
  /** Percentage as a decimal string, e.g. `"33.3333"`. */
  share: string;
}

/** A usage line from `usage.csv`. */
export type CsvUsageLine = UsageLine;

const MAX_RECORD_CHARS = 1 << 20;

/**
 * Splits one CSV record. Returns `null` when a quoted field is still open at the end (the record
 * continues on the next line), or a string error message when the quoting is malformed.
 */
export function splitCsvRecord(text: string): string[] | null | string {
  if (text.indexOf('"') < 0) return text.split(',');
  const out: string[] = [];
  let i = 0;
  const n = text.length;
  for (;;) {
    if (text.charCodeAt(i) === 34) {
      let v = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return null;
        v += text.slice(i, q);
        if (text.charCodeAt(q + 1) === 34) {
          v += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      out.push(v);
      if (i === n) return out;
      if (text.charCodeAt(i) !== 44) return `unexpected character after closing quote at column ${i + 1}`;
      i++;
    } else {
      const c = text.indexOf(',', i);
      const end = c < 0 ? n : c;
      const v = text.slice(i, end);
      if (v.indexOf('"') >= 0) return `quote inside an unquoted field at column ${i + 1}`;
      out.push(v);
      if (c < 0) return out;
      i = c + 1;
    }
    if (i === n) {
      out.push('');
      return out;
    }
  }
}

class FieldError extends Error {
  constructor(readonly field: string, readonly code: string, message: string) {
    super(message);
  }
}

type BadRecord = (line: number, raw: string, message: string) => void;

/** Joins physical lines into logical CSV records (quoted fields may span lines). */
class CsvRecordJoiner {
  private pending: string | undefined;
  private pendingLine = 0;

  /** True while a quoted field is open (the next line continues the record). */
  get continuing(): boolean {
    return this.pending !== undefined;
  }

  /** Feeds physical line `lineNo`; returns `[line, fields, raw]` when it completes a record. */
  push(line: string, lineNo: number, bad: BadRecord): [number, string[], string] | undefined {
    let text = line;
    let start = lineNo;
    if (this.pending !== undefined) {
      text = this.pending + '\n' + line;
      start = this.pendingLine;
    } else if (line === '') return undefined;
    const fields = splitCsvRecord(text);
    if (fields === null) {
      if (text.length > MAX_RECORD_CHARS) {
        this.pending = undefined;
        bad(start, text.slice(0, 1000), 'quoted field never closes');
      } else {
        this.pending = text;
        this.pendingLine = start;
      }
      return undefined;
    }
    this.pending = undefined;
    if (typeof fields === 'string') {
      bad(start, text, fields);
      return undefined;
    }
    return [start, fields, text];
  }

  /** At the end of the input: reports a record left open. */
  end(bad: BadRecord): void {
    if (this.pending !== undefined) bad(this.pendingLine, this.pending, 'quoted field never closes (end of file)');
  }
}

/** Yields `[line, fields, raw]` per logical record, joining quoted multi-line fields. */
async function* csvRecords(input: ParserInput, onLine: (n: number) => void, bad: BadRecord): AsyncGenerator<[number, string[], string][]> {
  let lineNo = 0;
  const joiner = new CsvRecordJoiner();
  for await (const batch of textLineBatches(input)) {
    const out: [number, string[], string][] = [];
    for (const line of batch) {
      const r = joiner.push(line, ++lineNo, bad);
      if (r) out.push(r);
    }
    onLine(lineNo);
    if (out.length) yield out;
  }
  joiner.end(bad);
}

function checkHeader(fields: string[], expected: readonly string[], line: number, raw: string): void {
  const got = fields.map((f) => f.trim());
  if (got.length !== expected.length || got.some((f, i) => f !== expected[i])) {
    throw new ParseError({ line, field: 'header', code: 'PARSE.BAD_HEADER', message: `header must be exactly "${expected.join(',')}", got ${JSON.stringify(raw)}` });
  }
}

/** Parses a share percentage: a decimal between 0 and 100 with at most 6 decimals. */
function parseShare(s: string): string {
  if (!isDecimal(s)) throw new FieldError('share', 'PARSE.INVALID_SHARE', `share ${JSON.stringify(s)} is not a decimal percentage`);
  const dot = s.indexOf('.');
  const int = dot < 0 ? s : s.slice(0, dot);
  const frac = dot < 0 ? '' : s.slice(dot + 1);
  if (frac.length > 6) throw new FieldError('share', 'PARSE.INVALID_SHARE', `share ${s} has more than 6 decimals`);
  const i = Number(int);
  if (i > 100 || (i === 100 && /[1-9]/.test(frac))) throw new FieldError('share', 'PARSE.INVALID_SHARE', `share ${s} exceeds 100`);
  return s;
}

/** Validates the fields of one works.csv record. @throws FieldError */
function workRow(line: number, f: string[]): WorkShareRow {
  if (f.length !== 8) throw new FieldError('record', 'PARSE.FIELD_COUNT', `expected 8 fields, got ${f.length}`);
  const workId = f[0]!.trim(), iswcRaw = f[1]!.trim(), title = f[2]!.trim(), partyId = f[3]!.trim();
  const right = f[6]!.trim(), role = f[5]!.trim();
  if (!workId) throw new FieldError('work_id', 'PARSE.MISSING_FIELD', 'work_id is empty');
  if (!title) throw new FieldError('title', 'PARSE.MISSING_FIELD', 'title is empty');
  if (!partyId) throw new FieldError('party_id', 'PARSE.MISSING_FIELD', 'party_id is empty');
  if (!role) throw new FieldError('role', 'PARSE.MISSING_FIELD', 'role is empty');
  if (right !== 'performing' && right !== 'mechanical') throw new FieldError('right', 'PARSE.INVALID_RIGHT', `right ${JSON.stringify(right)} is not performing or mechanical`);
  const row: WorkShareRow = { line, workId, title, partyId, partyName: f[4]!.trim(), role, right, share: parseShare(f[7]!.trim()) };
  if (iswcRaw) {
    const iswc = normaliseIswc(iswcRaw);
    if (!iswc) throw new FieldError('iswc', 'PARSE.INVALID_ISWC', `ISWC ${JSON.stringify(iswcRaw)} is malformed or has a wrong check digit`);
    row.iswc = iswc;
  }
  return row;
}

/** Options of {@link parseWorksCsv}. */
export interface WorksCsvOptions extends ParseOptions {
  /**
   * Row-view mode: every accepted row is handed to `sink` as one reused {@link WorksRowView}
   * (overwritten by the next row) instead of being collected into batches; the batches are then
   * empty arrays, one per input chunk. Rows, errors and their order are the same as in batch mode.
   */
  sink?: (row: WorksRowView) => void;
}

/** Field positions of a works.csv row in {@link WorksRowView}. */
export const enum WorksField {
  WorkId = 0,
  Iswc = 1,
  Title = 2,
  PartyId = 3,
  PartyName = 4,
  Role = 5,
  Right = 6,
  Share = 7,
}

// JavaScript's trim() whitespace (WhiteSpace and LineTerminator).
function isTrimSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * One accepted works.csv row as ranges of a text (the line itself on the fast path): consumers read
 * fields as strings (the {@link WorkShareRow} getters, which cut them on demand) or compare and
 * intern them in place with {@link start} / {@link end}. Field values are the trimmed, validated
 * values of batch mode; `iswc` is normalised.
 */
export class WorksRowView implements WorkShareRow {
  line = 0;
  /** Text holding the fields. */
  text = '';
  /** Start of field k (see {@link WorksField}) in {@link text}. */
  readonly start = new Int32Array(8);
  /** End of field k in {@link text}. */
  readonly end = new Int32Array(8);
  right: WorkRight = 'performing';
  /** The share in units of 0.000001 % (100 % = 100,000,000). */
  shareUnits = 0;

  /** Field k as a string. */
  field(k: WorksField): string {
    return this.text.slice(this.start[k], this.end[k]);
  }

  /** True when field k equals `s`. */
  fieldIs(k: WorksField, s: string): boolean {
    const a = this.start[k]!, n = this.end[k]! - a;
    if (s.length !== n) return false;
    const t = this.text;
    for (let i = 0; i < n; i++) if (t.charCodeAt(a + i) !== s.charCodeAt(i)) return false;
    return true;
  }

  get workId(): string {
    return this.field(WorksField.WorkId);
  }
  get iswc(): string | undefined {
    if (this.start[WorksField.Iswc] === this.end[WorksField.Iswc]) return undefined;
    const raw = this.field(WorksField.Iswc);
    return raw.length === 11 && raw.charCodeAt(0) === 84 ? raw : normaliseIswc(raw);
  }
  get title(): string {
    return this.field(WorksField.Title);
  }
  get partyId(): string {
    return this.field(WorksField.PartyId);
  }
  get partyName(): string {
    return this.field(WorksField.PartyName);
  }
  get role(): string {
    return this.field(WorksField.Role);
  }
  get share(): string {
    return this.field(WorksField.Share);
  }

  /** Sets the view from a row validated by the general path (fields laid end to end). */
  setRow(r: WorkShareRow): void {
    const fields = [r.workId, r.iswc ?? '', r.title, r.partyId, r.partyName, r.role, r.right, r.share];
    let at = 0;
    for (let k = 0; k < 8; k++) {
      this.start[k] = at;
      at += fields[k]!.length;
      this.end[k] = at;
    }
    this.line = r.line;
    this.text = fields.join('');
    this.right = r.right;
    this.shareUnits = shareUnitsOf(r.share, 0, r.share.length);
  }

  /**
   * Sets the view from a plain line (no quotes) when every field is already valid and trimmed;
   * false (view unspecified) when the line needs the general path, which then reports its error.
   */
  setLine(line: number, text: string): boolean {
    const start = this.start, end = this.end;
    let a = 0;
    for (let k = 0; k < 8; k++) {
      const c = k < 7 ? text.indexOf(',', a) : text.length;
      if (c < 0) return false;
      start[k] = a;
      end[k] = c;
      if (c > a && (isTrimSpace(text.charCodeAt(a)) || isTrimSpace(text.charCodeAt(c - 1)))) return false;
      a = c + 1;
    }
    if (text.indexOf(',', start[7]) >= 0) return false;
    if (end[0] === start[0] || end[2] === start[2] || end[3] === start[3] || end[5] === start[5]) return false;
    if (this.fieldIsIn(text, 6, 'performing')) this.right = 'performing';
    else if (this.fieldIsIn(text, 6, 'mechanical')) this.right = 'mechanical';
    else return false;
    const units = shareUnitsOf(text, start[7]!, end[7]!);
    if (units < 0) return false;
    const i0 = start[1]!, i1 = end[1]!;
    if (i1 > i0 && (i1 - i0 === 11 ? !validIswcAt(text, i0) : normaliseIswc(text.slice(i0, i1)) === undefined)) return false;
    this.line = line;
    this.text = text;
    this.shareUnits = units;
    return true;
  }

  private fieldIsIn(text: string, k: number, s: string): boolean {
    const a = this.start[k]!;
    if (this.end[k]! - a !== s.length) return false;
    for (let i = 0; i < s.length; i++) if (text.charCodeAt(a + i) !== s.charCodeAt(i)) return false;
    return true;
  }
}

/** True when the 11 characters at `at` are a compact ISWC (`T` or `t`, ten digits) with a valid check digit. */
function validIswcAt(text: string, at: number): boolean {
  const t = text.charCodeAt(at);
  if (t !== 84 && t !== 116) return false;
  let sum = 1;
  for (let i = 1; i <= 9; i++) {
    const d = text.charCodeAt(at + i) - 48;
    if (d < 0 || d > 9) return false;
    sum += i * d;
  }
  return text.charCodeAt(at + 10) - 48 === (10 - (sum % 10)) % 10;
}

/**
 * A share percentage in `text[a, b)` in units of 0.000001 %, when {@link parseShare} would accept
 * it (a decimal of at most 6 decimals, at most 100); otherwise -1. Exact: the value is at most 10^8.
 */
function shareUnitsOf(text: string, a: number, b: number): number {
  if (b === a) return -1;
  let int = 0;
  let i = a;
  for (; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) break;
    if (c < 48 || c > 57) return -1;
    int = int * 10 + (c - 48);
    if (int > 100) return -1;
  }
  let frac = 0;
  if (i < b) {
    // A dot: not first, not last, then 1–6 digits.
    if (i === a || i === b - 1 || b - i - 1 > 6) return -1;
    let scale = 100_000;
    for (let j = i + 1; j < b; j++, scale /= 10) {
      const c = text.charCodeAt(j);
      if (c < 48 || c > 57) return -1;
      frac += (c - 48) * scale;
    }
  }
  if (int === 100 && frac > 0) return -1;
  return int * 1_000_000 + frac;
}

/**
 * Parses `works.csv` into one row per work × party × right.
 * Use {@link groupWorkRows} to assemble works.
 */
export function parseWorksCsv(input: ParserInput, options: WorksCsvOptions = {}): ParseStream<WorkShareRow> {
  const summary = emptySummary();
  const issues = new IssueCollector(summary, options);
  const sink = options.sink;
  return makeBatchStream(summary, async function* () {
    let header = true;
    let out: WorkShareRow[] = [];
    const bad = (line: number, raw: string, message: string) => issues.error({ line, code: 'PARSE.MALFORMED_CSV', message }, raw);
    const record = (line: number, f: string[], raw: string): WorkShareRow | undefined => {
      if (header) {
        checkHeader(f, WORKS_COLUMNS, line, raw);
        header = false;
        return undefined;
      }
      try {
        const row = workRow(line, f);
        summary.accepted++;
        return row;
      } catch (e) {
        if (!(e instanceof FieldError)) throw e;
        issues.error({ line, field: e.field, code: e.code, message: e.message }, raw);
        return undefined;
      }
    };
    if (!sink) {
      for await (const batch of csvRecords(input, (n) => (summary.lines = n), bad)) {
        for (const [line, f, raw] of batch) {
          const row = record(line, f, raw);
          if (row) out.push(row);
        }
        if (out.length) {
          yield out;
          out = [];
        }
      }
    } else {
      // Lines without quotes whose fields are all valid skip splitting and the row object. Batch
      // mode reports a chunk's malformed records (while joining lines) before its field errors (while
      // reading records), and a bad header before either of the latter: the field errors and the
      // header's failure wait for the end of the chunk to keep that order.
      const view = new WorksRowView();
      const joiner = new CsvRecordJoiner();
      const held: [ParseIssue, string][] = [];
      let headerError: unknown;
      let lineNo = 0;
      for await (const batch of textLineBatches(input)) {
        for (const line of batch) {
          lineNo++;
          if (!header && headerError === undefined && !joiner.continuing && line.indexOf('"') < 0 && view.setLine(lineNo, line)) {
            summary.accepted++;
            sink(view);
            continue;
          }
          const r = joiner.push(line, lineNo, bad);
          if (!r || headerError !== undefined) continue;
          const [at, f, raw] = r;
          if (header) {
            header = false;
            try {
              checkHeader(f, WORKS_COLUMNS, at, raw);
            } catch (e) {
              headerError = e;
            }
            continue;
          }
          try {
            view.setRow(workRow(at, f));
            summary.accepted++;
            sink(view);
          } catch (e) {
            if (!(e instanceof FieldError)) throw e;
            held.push([{ line: at, field: e.field, code: e.code, message: e.message }, raw]);
          }
        }
        summary.lines = lineNo;
        if (headerError !== undefined) throw headerError;
        for (const [issue, raw] of held) issues.error(issue, raw);
        held.length = 0;
        yield out;
      }
      joiner.end(bad);
    }
    if (header) throw new ParseError({ line: 1, field: 'header', code: 'PARSE.BAD_HEADER', message: 'file is empty: no header row' });
  });
}

/**
 * Parses `usage.csv`. `usage_id` is required and `plays` must be a non-negative integer; the
 * identifiers may be empty but, when present, must be valid; `creators` is `|`-separated.
 */
export function parseUsageCsv(input: ParserInput, options: ParseOptions = {}): ParseStream<CsvUsageLine> {
  const summary = emptySummary();
  const issues = new IssueCollector(summary, options);
  return makeBatchStream(summary, async function* () {
    let header = true;
    let out: CsvUsageLine[] = [];
    const bad = (line: number, raw: string, message: string) => issues.error({ line, code: 'PARSE.MALFORMED_CSV', message }, raw);
    for await (const batch of csvRecords(input, (n) => (summary.lines = n), bad)) {
      for (const [line, f, raw] of batch) {
        if (header) {
          checkHeader(f, USAGE_COLUMNS, line, raw);
          header = false;
          continue;
        }
        let field = 'record', code = 'PARSE.FIELD_COUNT', message = '';
        check: {
          if (f.length !== 8) {
            message = `expected 8 fields, got ${f.length}`;
            break check;
          }
          const usageId = f[0]!;
          if (!usageId) {
            field = 'usage_id'; code = 'PARSE.MISSING_FIELD'; message = 'usage_id is empty';
            break check;
          }
          const plays = parseNonNegativeInt(f[6]!);
          if (plays < 0) {
            field = 'plays'; code = 'PARSE.INVALID_COUNT'; message = `plays ${JSON.stringify(f[6])} is not a non-negative integer`;
            break check;
          }
          const u: CsvUsageLine = { line, usageId, proprietaryIds: [], creators: [], plays };
          const workId = f[1]!, iswcRaw = f[2]!, isrcRaw = f[3]!, title = f[4]!, creators = f[5]!, amount = f[7]!;
          if (workId) u.workId = workId;
          if (iswcRaw) {
            const iswc = normaliseIswc(iswcRaw);
            if (!iswc) {
              field = 'iswc'; code = 'PARSE.INVALID_ISWC'; message = `ISWC ${JSON.stringify(iswcRaw)} is malformed or has a wrong check digit`;
              break check;
            }
            u.iswc = iswc;
          }
          if (isrcRaw) {
            const isrc = normaliseIsrc(isrcRaw);
            if (!isrc) {
              field = 'isrc'; code = 'PARSE.INVALID_ISRC'; message = `ISRC ${JSON.stringify(isrcRaw)} does not have the CC-XXX-YY-NNNNN shape`;
              break check;
            }
            u.isrc = isrc;
          }
          if (title) u.title = title;
          if (creators) u.creators = creators.indexOf('|') < 0 ? [creators] : creators.split('|').filter((c) => c !== '');
          if (amount) {
            if (!isDecimal(amount)) {
              field = 'amount'; code = 'PARSE.INVALID_AMOUNT'; message = `amount ${JSON.stringify(amount)} is not a non-negative decimal`;
              break check;
            }
            u.amount = amount;
          }
          summary.accepted++;
          out.push(u);
          continue;
        }
        issues.error({ line, field, code, message }, raw);
      }
      if (out.length) {
        yield out;
        out = [];
      }
    }
    if (header) throw new ParseError({ line: 1, field: 'header', code: 'PARSE.BAD_HEADER', message: 'file is empty: no header row' });
  });
}

/** A work assembled from `works.csv` rows. */
export interface CsvWork {
  workId: string;
  iswc?: string;
  title: string;
  /** Shares per right, by party. */
  shares: Record<WorkRight, { partyId: string; partyName: string; role: string; share: string }[]>;
}

/**
 * Groups `works.csv` rows into works (memory: the repertoire). Rows of one work need not be adjacent.
 * Conflicting ISWC or title between rows of a work is reported through `onConflict`.
 */
export async function groupWorkRows(
  rows: AsyncIterable<WorkShareRow> | Iterable<WorkShareRow>,
  onConflict: (row: WorkShareRow, message: string) => void = () => {},
): Promise<Map<string, CsvWork>> {
  const works = new Map<string, CsvWork>();
  for await (const r of rows) {
    let w = works.get(r.workId);
    if (!w) {
      w = { workId: r.workId, title: r.title, shares: { performing: [], mechanical: [] } };
      if (r.iswc) w.iswc = r.iswc;
      works.set(r.workId, w);
    } else {
      if (r.iswc && w.iswc && r.iswc !== w.iswc) onConflict(r, `work ${r.workId} has ISWC ${w.iswc} and ${r.iswc}`);
      if (r.iswc && !w.iswc) w.iswc = r.iswc;
      if (r.title !== w.title) onConflict(r, `work ${r.workId} has title ${JSON.stringify(w.title)} and ${JSON.stringify(r.title)}`);
    }
    w.shares[r.right].push({ partyId: r.partyId, partyName: r.partyName, role: r.role, share: r.share });
  }
  return works;
}
