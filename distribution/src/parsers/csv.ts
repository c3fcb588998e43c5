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

/** Yields `[line, fields, raw]` per logical record, joining quoted multi-line fields. */
async function* csvRecords(
  input: ParserInput,
  onLine: (n: number) => void,
  bad: (line: number, raw: string, message: string) => void,
): AsyncGenerator<[number, string[], string][]> {
  let lineNo = 0;
  let pending: string | undefined;
  let pendingLine = 0;
  for await (const batch of textLineBatches(input)) {
    const out: [number, string[], string][] = [];
    for (const line of batch) {
      lineNo++;
      let text = line;
      let start = lineNo;
      if (pending !== undefined) {
        text = pending + '\n' + line;
        start = pendingLine;
      } else if (line === '') continue;
      const fields = splitCsvRecord(text);
      if (fields === null) {
        if (text.length > MAX_RECORD_CHARS) {
          pending = undefined;
          bad(start, text.slice(0, 1000), 'quoted field never closes');
        } else {
          pending = text;
          pendingLine = start;
        }
        continue;
      }
      pending = undefined;
      if (typeof fields === 'string') bad(start, text, fields);
      else out.push([start, fields, text]);
    }
    onLine(lineNo);
    if (out.length) yield out;
  }
  if (pending !== undefined) bad(pendingLine, pending, 'quoted field never closes (end of file)');
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

/**
 * Parses `works.csv` into one row per work × party × right.
 * Use {@link groupWorkRows} to assemble works.
 */
export function parseWorksCsv(input: ParserInput, options: ParseOptions = {}): ParseStream<WorkShareRow> {
  const summary = emptySummary();
  const issues = new IssueCollector(summary, options);
  return makeBatchStream(summary, async function* () {
    let header = true;
    let out: WorkShareRow[] = [];
    const bad = (line: number, raw: string, message: string) => issues.error({ line, code: 'PARSE.MALFORMED_CSV', message }, raw);
    for await (const batch of csvRecords(input, (n) => (summary.lines = n), bad)) {
      for (const [line, f, raw] of batch) {
        if (header) {
          checkHeader(f, WORKS_COLUMNS, line, raw);
          header = false;
          continue;
        }
        try {
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
          summary.accepted++;
          out.push(row);
        } catch (e) {
          if (!(e instanceof FieldError)) throw e;
          issues.error({ line, field: e.field, code: e.code, message: e.message }, raw);
        }
      }
      if (out.length) {
        yield out;
        out = [];
      }
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
