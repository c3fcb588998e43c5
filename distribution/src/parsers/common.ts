/**
 * Shared plumbing for the streaming parsers: input adapters, line splitting, error policy,
 * reject sinks and the small field validators that must stay cheap on the hot path.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { isAscii, isUtf8 } from 'node:buffer';

/** Anything a parser reads: a file path, a Node Readable, or any (async) iterable of chunks. */
export type ParserInput =
  | string
  | AsyncIterable<Buffer | Uint8Array | string>
  | Iterable<Buffer | Uint8Array | string>;

/** What to do with a bad record: throw on the first one, or set it aside and carry on. */
export type OnError = 'fail' | 'quarantine';

/** One problem found in an input file. `line` is 1-based; `field` names the offending field when there is one. */
export interface ParseIssue {
  line: number;
  field?: string;
  code: string;
  message: string;
}

/** A rejected (or structurally wrong) line as handed to the rejects sink: the issue plus the raw text. */
export interface RejectedLine extends ParseIssue {
  raw: string;
}

/** Where quarantined lines go. A plain array works; so does {@link JsonLinesRejectSink}. */
export interface RejectSink {
  push(rejected: RejectedLine): unknown;
}

/** Options common to every parser. */
export interface ParseOptions {
  /** Default `'fail'`. */
  onError?: OnError;
  /** Receives every error with its raw line, in `quarantine` mode and also before a `fail` throws. */
  rejects?: RejectSink;
  /** How many issues the summary keeps verbatim (counts stay exact). Default 1000. */
  maxIssues?: number;
}

/** Counters every parser reports. `records` counts accepted output records; nothing is dropped without a count. */
export interface ParseSummary {
  /** Physical lines read. */
  lines: number;
  /** Output records accepted. */
  accepted: number;
  /** Data records rejected (each also went to the rejects sink). */
  rejected: number;
  /** Number of errors (rejected records plus structural errors such as trailer mismatches). */
  errorCount: number;
  warningCount: number;
  /** The first `maxIssues` errors. */
  errors: ParseIssue[];
  /** The first `maxIssues` warnings. */
  warnings: ParseIssue[];
}

/** Thrown in `fail` mode (and for unrecoverable input such as a wrong CSV header). Carries a stable code. */
export class ParseError extends Error {
  readonly code: string;
  readonly line: number;
  readonly field: string | undefined;
  constructor(issue: ParseIssue) {
    super(`line ${issue.line}${issue.field ? ` (${issue.field})` : ''}: ${issue.message}`);
    this.name = 'ParseError';
    this.code = issue.code;
    this.line = issue.line;
    this.field = issue.field;
  }
  /** The issue in plain-object form. */
  toIssue(): ParseIssue {
    return { line: this.line, field: this.field, code: this.code, message: this.message };
  }
}

/** A parser's output: iterate it for records; read `summary` once iteration has finished. */
export interface ParseStream<T, S extends ParseSummary = ParseSummary> extends AsyncIterable<T> {
  /** Live counters; final once the iteration completed. */
  readonly summary: S;
  /** Drain the stream into an array (tests, small files) and return records with the final summary. */
  collect(): Promise<{ records: T[]; summary: S }>;
  /**
   * The same records in arrays (one per input chunk): one promise per batch instead of one per
   * record, which is what a consumer of millions of lines wants. In `fail` mode an error ends the
   * stream before the records of its batch are delivered.
   */
  batches(): AsyncIterable<T[]>;
}

/** Creates an empty summary. */
export function emptySummary(): ParseSummary {
  return { lines: 0, accepted: 0, rejected: 0, errorCount: 0, warningCount: 0, errors: [], warnings: [] };
}

/** Applies the error policy in one place so every parser behaves the same. */
export class IssueCollector {
  readonly onError: OnError;
  private readonly sink: RejectSink | undefined;
  private readonly max: number;
  constructor(private readonly summary: ParseSummary, opts: ParseOptions) {
    this.onError = opts.onError ?? 'fail';
    this.sink = opts.rejects;
    this.max = opts.maxIssues ?? 1000;
  }
  /** Records an error; throws in `fail` mode. `isRecordReject` says whether a data record was lost. */
  error(issue: ParseIssue, raw: string, isRecordReject = true): void {
    this.summary.errorCount++;
    if (isRecordReject) this.summary.rejected++;
    if (this.summary.errors.length < this.max) this.summary.errors.push(issue);
    this.sink?.push({ ...issue, raw });
    if (this.onError === 'fail') throw new ParseError(issue);
  }
  /** Records a warning: something odd that does not lose data. */
  warn(issue: ParseIssue): void {
    this.summary.warningCount++;
    if (this.summary.warnings.length < this.max) this.summary.warnings.push(issue);
  }
}

/** Wraps a generator factory as a {@link ParseStream}. */
export function makeStream<T, S extends ParseSummary>(summary: S, gen: () => AsyncGenerator<T>): ParseStream<T, S> {
  return {
    summary,
    [Symbol.asyncIterator]: gen,
    async collect() {
      const records: T[] = [];
      for await (const r of gen()) records.push(r);
      return { records, summary };
    },
    async *batches() {
      for await (const r of gen()) yield [r];
    },
  };
}

/** Wraps a generator of record batches as a {@link ParseStream}; per-record iteration flattens the batches. */
export function makeBatchStream<T, S extends ParseSummary>(summary: S, gen: () => AsyncGenerator<T[]>): ParseStream<T, S> {
  return {
    summary,
    async *[Symbol.asyncIterator]() {
      for await (const b of gen()) yield* b;
    },
    async collect() {
      const records: T[] = [];
      for await (const b of gen()) for (const r of b) records.push(r);
      return { records, summary };
    },
    batches: gen,
  };
}

function toChunks(input: ParserInput): AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string> {
  // A large highWaterMark keeps the number of async hops per million lines small.
  return typeof input === 'string' ? createReadStream(input, { highWaterMark: 1 << 20 }) : input;
}

/**
 * Lines located in a piece of text rather than cut out: line k is `text.slice(starts[k], ends[k])`.
 * A line that began in an earlier piece comes first, as `head`. The arrays are reused: the value is
 * valid until the iteration moves on.
 */
export interface LineRanges {
  /** The line that began in an earlier piece and ends in this one, or `undefined`. */
  head: string | undefined;
  /** The piece's text. */
  text: string;
  /** Number of lines located in {@link text}. */
  count: number;
  starts: Int32Array;
  ends: Int32Array;
  /**
   * True on the last piece of an input chunk that completed at least one line: where
   * {@link textLineBatches} ends a batch.
   */
  endOfChunk: boolean;
}

// Input chunks are decoded in pieces of this many bytes: strings this small are made on V8's young
// heap and die young, where a megabyte string is made outside the heap ("external"), and a stream
// of those drives V8 into a full collection (marking the whole repertoire) every few dozen chunks.
const PIECE = 1 << 16;

/**
 * Splits UTF-8 text input into lines located in the decoded text, piece by piece (see
 * {@link LineRanges}). Same lines and same chunk boundaries as {@link textLineBatches}, without a
 * substring per line: a parser that reads a few cells of a line can find them in place.
 */
export async function* textLineRanges(input: ParserInput): AsyncGenerator<LineRanges> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let first = true;
  // Whether the decoder may hold the first bytes of a character split across pieces.
  let partial = false;
  const out: LineRanges = { head: undefined, text: '', count: 0, starts: new Int32Array(1 << 12), ends: new Int32Array(1 << 12), endOfChunk: false };
  // Splits `text` (the next piece) into lines; true when it completed at least one.
  const split = (text: string): boolean => {
    let start = 0;
    if (first && text.length > 0) {
      // Only the very first text can carry a BOM (nothing is carried over before it).
      if (text.charCodeAt(0) === 0xfeff) start = 1;
      first = false;
    }
    out.head = undefined;
    out.count = 0;
    out.text = text;
    if (carry) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) {
        carry += text.slice(start);
        return false;
      }
      const head = carry + text.slice(start, nl);
      out.head = head.charCodeAt(head.length - 1) === 13 ? head.slice(0, -1) : head;
      carry = '';
      start = nl + 1;
    }
    let n = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      if (n === out.starts.length) {
        const s = new Int32Array(n * 2), e = new Int32Array(n * 2);
        s.set(out.starts);
        e.set(out.ends);
        out.starts = s;
        out.ends = e;
      }
      out.starts[n] = start;
      out.ends[n++] = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      start = nl + 1;
    }
    out.count = n;
    carry = start < text.length ? text.slice(start) : '';
    return n > 0 || out.head !== undefined;
  };
  for await (const chunk of toChunks(input)) {
    let lines = false;
    if (typeof chunk === 'string') {
      for (let at = 0; at < chunk.length || at === 0; at += PIECE) {
        const last = at + PIECE >= chunk.length;
        const got = split(chunk.length <= PIECE ? chunk : chunk.slice(at, at + PIECE));
        lines ||= got;
        if (got || (last && lines)) {
          out.endOfChunk = last && lines;
          yield out;
        }
      }
      continue;
    }
    const buf = chunk instanceof Buffer ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let at = 0; at < buf.length || at === 0; at += PIECE) {
      const last = at + PIECE >= buf.length;
      const piece = buf.length <= PIECE ? buf : buf.subarray(at, at + PIECE);
      let text: string;
      // Pure ASCII decodes the same as Latin-1, which is a plain copy.
      if (!partial && isAscii(piece)) text = piece.toString('latin1');
      else {
        text = decoder.write(piece);
        // The decoder keeps bytes back only when the piece ends inside a multi-byte sequence.
        partial = piece.length > 0 && piece[piece.length - 1]! >= 0x80;
      }
      const got = split(text);
      lines ||= got;
      if (got || (last && lines)) {
        if (!got) out.count = 0;
        out.endOfChunk = last && lines;
        yield out;
      }
    }
  }
  const rest = carry + decoder.end();
  if (rest.length > 0) {
    let line = rest.charCodeAt(rest.length - 1) === 13 ? rest.slice(0, -1) : rest;
    if (first && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    out.head = line;
    out.text = '';
    out.count = 0;
    out.endOfChunk = true;
    yield out;
  }
}

/**
 * Splits UTF-8 text input into lines, delivered in batches (one array per chunk) so the
 * per-line cost is a substring, not a promise. Strips a leading BOM and a trailing CR.
 * Bytes that are not valid UTF-8 become U+FFFD (the WHATWG decoder's replacement), which
 * is the documented behaviour for the usage formats (DSR, CSV), whose producers must send UTF-8.
 */
export async function* textLineBatches(input: ParserInput): AsyncGenerator<string[]> {
  let lines: string[] = [];
  for await (const r of textLineRanges(input)) {
    if (r.head !== undefined) lines.push(r.head);
    for (let k = 0; k < r.count; k++) lines.push(r.text.slice(r.starts[k], r.ends[k]));
    if (r.endOfChunk) {
      yield lines;
      lines = [];
    }
  }
}

/** A line decoded from bytes, with a flag for lines that were not valid UTF-8. */
export interface DecodedLine {
  text: string;
  /** True when the bytes were not valid UTF-8 and the fallback code page was used. */
  fallback: boolean;
}

/** Fallback code page for lines that are not valid UTF-8. */
export type FallbackEncoding = 'cp437' | 'latin1';

// Upper half of IBM code page 437 (DOS), where CWR files from older systems come from.
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/** Decodes bytes as CP437 (one character per byte, so fixed-width positions survive). */
export function decodeCp437(buf: Uint8Array, start = 0, end = buf.length): string {
  let s = '';
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    s += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
  }
  return s;
}

/**
 * Splits byte input into lines and decodes each line on its own: UTF-8 when the line is valid
 * UTF-8, otherwise the fallback code page (default CP437). Per-line decoding means one stray
 * DOS byte spoils neither its neighbours nor the fixed-width positions of its own line.
 */
export async function* byteLineBatches(input: ParserInput, fallback: FallbackEncoding = 'cp437'): AsyncGenerator<DecodedLine[]> {
  let carry: Buffer | undefined;
  let first = true;
  const decode = (buf: Buffer, s: number, e: number): DecodedLine => {
    if (e > s && buf[e - 1] === 13) e--;
    const view = buf.subarray(s, e);
    if (isUtf8(view)) return { text: view.toString('utf8'), fallback: false };
    return { text: fallback === 'latin1' ? view.toString('latin1') : decodeCp437(view), fallback: true };
  };
  for await (const chunk of toChunks(input)) {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (carry) buf = Buffer.concat([carry, buf]);
    let start = 0;
    if (first && buf.length >= 3) {
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
      first = false;
    }
    const out: DecodedLine[] = [];
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      out.push(decode(buf, start, nl));
      start = nl + 1;
    }
    carry = start < buf.length ? buf.subarray(start) : undefined;
    if (out.length) yield out;
  }
  if (carry && carry.length) {
    const s = first && carry.length >= 3 && carry[0] === 0xef && carry[1] === 0xbb && carry[2] === 0xbf ? 3 : 0;
    yield [decode(carry, s, carry.length)];
  }
}

/** True if `s` is a non-negative decimal such as `12`, `0.5`, `1234.5600` (no sign, exponent or spaces). */
export function isDecimal(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  let dot = -1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (dot >= 0 || i === 0 || i === n - 1) return false;
      dot = i;
    } else if (c < 48 || c > 57) return false;
  }
  return true;
}

/** True if `s` is a decimal as in {@link isDecimal}, optionally with a leading `-`. */
export function isSignedDecimal(s: string): boolean {
  return s.charCodeAt(0) === 45 ? isDecimal(s.slice(1)) : isDecimal(s);
}

/** Parses a non-negative integer made of ASCII digits only; returns -1 if it is not one (or not a safe integer). */
export function parseNonNegativeInt(s: string): number {
  const n = s.length;
  if (n === 0 || n > 15) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Writes rejects as JSON lines to a file; call `close()` when the parse is over. */
export class JsonLinesRejectSink implements RejectSink {
  private readonly out: WriteStream;
  /** Opens (truncates) `path`. */
  constructor(path: string) {
    this.out = createWriteStream(path);
  }
  /** Appends one rejected line. */
  push(r: RejectedLine): void {
    this.out.write(JSON.stringify(r) + '\n');
  }
  /** Flushes and closes the file. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}
