/**
 * Statement-line Merkle leaves written as bytes: the UTF-8 of exactly the canonical JSON that
 * `statementLineJsonAt` returns, assembled straight into the buffers of the leaf-hash pipeline
 * (which hashes them on a second thread). What lines share is encoded once: fragments per usage
 * source, per work (ISWC, title and id as JSON) and per holder (party id); digits are written
 * directly and amounts read from the columns without a bigint. No string per line; a test holds
 * the bytes equal to the JSON.
 */
import { MATCH_METHODS } from '../engine/aggregate';
import { METHOD_COUNT } from '../engine/buckets';
import type { DistributionResult } from '../engine/compute';
import { getSafe, halvesOf, type Halves } from '../engine/minor-column';
import { LeafHashPipeline, type HashingOptions, type LeafTarget } from '../merkle/hash-pool';
import { hashLeafBytesInto } from '../merkle/tree';
import { currencyScale } from '../money';
import { formatMinor } from './line';

const q = JSON.stringify;
const EXACT = 2 ** 53;
const INT32 = 2 ** 31;
/** Lines whose scattered data (bucket, work fragments) is fetched together before they are written. */
const BATCH = 256;

const FEE = bytes('","fee":"');
const GROSS = bytes('","gross":"');
const MATCHED = bytes(',"matched":{');
const NET = bytes('},"net":"');
const PARTY = bytes('","partyId":');
const METHOD_KEYS = MATCH_METHODS.map((m) => bytes(`"${m}":`));

/** Bytes with a DataView over them: copies move four bytes at a time. */
interface Frag {
  readonly a: Uint8Array;
  readonly v: DataView;
}

function frag(a: Uint8Array): Frag {
  return { a, v: new DataView(a.buffer, a.byteOffset, a.byteLength) };
}

/** UTF-8 of `s`. */
function bytes(s: string): Frag {
  return frag(new Uint8Array(Buffer.from(s, 'utf8')));
}

/** A growing byte array. */
class ByteList {
  a = new Uint8Array(1 << 16);
  n = 0;

  room(k: number): void {
    if (this.n + k <= this.a.length) return;
    const grown = new Uint8Array(Math.max(this.a.length * 2, this.n + k));
    grown.set(this.a.subarray(0, this.n));
    this.a = grown;
  }

  /** The bytes so far with a DataView (valid until the list grows). */
  frag(): Frag {
    return frag(this.a);
  }

  /** `JSON.stringify(s)` as UTF-8: copied directly when it is printable ASCII without `"` or `\`. */
  json(s: string): void {
    const len = s.length;
    this.room(len + 2);
    const a = this.a;
    let p = this.n;
    a[p++] = 34;
    for (let i = 0; i < len; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 34 || c === 92) {
        const b = Buffer.from(q(s), 'utf8');
        this.room(b.length);
        this.a.set(b, this.n);
        this.n += b.length;
        return;
      }
      a[p++] = c;
    }
    a[p++] = 34;
    this.n = p;
  }

  ascii(s: string): void {
    this.room(s.length);
    for (let i = 0; i < s.length; i++) this.a[this.n++] = s.charCodeAt(i);
  }
}

/** A target that keeps one leaf in a private buffer (for text and single hashes). */
class OwnTarget implements LeafTarget {
  buf = Buffer.allocUnsafe(1 << 12);
  start = 0;
  end = this.buf.length;
  length = 0;

  grow(pos: number, more: number): number {
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, pos + more));
    this.buf.copy(grown, 0, 0, pos);
    this.buf = grown;
    this.end = grown.length;
    return pos;
  }

  endLeaf(pos: number): void {
    this.length = pos;
  }
}

/** Writes the leaves of a run's statement lines; one instance per pass. */
export class StatementLeafWriter {
  private target: LeafTarget;
  private buf: Buffer;
  private dv: DataView;
  private pos = 0;
  private end = 0;
  private readonly scale: number;
  private readonly head: Frag;
  private readonly srcA: Frag[] = [];
  private readonly srcB: Frag[] = [];
  private readonly srcC: Frag[] = [];
  private readonly srcD: Frag[] = [];
  private readonly digits = new Uint8Array(32);
  private readonly net: Halves;
  private readonly fee: Halves;
  private readonly ded: Halves;
  /** Per work position w: its `,"iswc":…` fragment, title JSON and id JSON at workBytes[frag[4w] … frag[4w + 3]). */
  private readonly frag: Int32Array;
  private readonly workBytes: Frag;
  // Data of a batch of lines gathered from the bucket store and the work fragments: line k of the
  // batch is line `batchFrom + k`. Loops that only load let the processor overlap cache misses.
  private batchFrom = -1;
  private batchTo = -1;
  private readonly gBucket = new Int32Array(BATCH);
  private readonly gWork = new Int32Array(BATCH);
  private readonly gSource = new Int32Array(BATCH);
  private readonly gPlays = new Float64Array(BATCH);
  private readonly gMethods = new Float64Array(BATCH * METHOD_COUNT);
  private readonly gFrag = new Int32Array(BATCH * 4);
  private touched = 0;
  /** The party id JSON of the holder of the last line written. */
  private holder = -1;
  private readonly party = new ByteList();
  private partyBytes: Frag = frag(new Uint8Array(0));
  private readonly own = new OwnTarget();

  constructor(private readonly r: DistributionResult) {
    this.scale = currencyScale(r.params.currency);
    this.head = bytes(`{"currency":${q(r.params.currency)},"deductions":"`);
    for (const s of r.sources) {
      this.srcA.push(bytes(`${s.period !== undefined ? `,"period":${q(s.period)}` : ''},"plays":`));
      this.srcB.push(bytes(`${s.service !== undefined ? `,"service":${q(s.service)}` : ''},"share":"`));
      this.srcC.push(bytes(`","source":${q(s.file)}${s.territory !== undefined ? `,"territory":${q(s.territory)}` : ''},"title":`));
      this.srcD.push(bytes(`${s.useType !== undefined ? `,"useType":${q(s.useType)}` : ''},"workId":`));
    }
    this.net = halvesOf(r.lines.net);
    this.fee = halvesOf(r.lines.fee);
    this.ded = halvesOf(r.lines.deductions);
    // Works with buckets, encoded in repertoire order (the order their strings lie in memory).
    const rep = r.works;
    const B = r.buckets;
    const used = new Uint8Array(rep.size);
    for (let b = 0; b < B.count; b++) used[B.work[b]!] = 1;
    this.frag = new Int32Array(rep.size * 4);
    const out = new ByteList();
    for (let w = 0; w < rep.size; w++) {
      if (used[w] === 0) continue;
      this.frag[4 * w] = out.n;
      const iswc = rep.iswc(w);
      if (iswc) {
        out.ascii(',"iswc":');
        out.json(iswc);
      }
      this.frag[4 * w + 1] = out.n;
      out.json(rep.title(w));
      this.frag[4 * w + 2] = out.n;
      out.json(rep.workId(w));
      this.frag[4 * w + 3] = out.n;
    }
    this.workBytes = out.frag();
    this.target = this.own;
    this.buf = this.own.buf;
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.length);
  }

  /**
   * Hashes every statement line of the run into its leaf hash (32 bytes each, in line order),
   * on two threads for large runs.
   */
  static hashAll(r: DistributionResult, options?: HashingOptions): Buffer {
    return StatementLeafWriter.treeLevels(r, options)[0]!;
  }

  /**
   * Every level of the Merkle tree over the run's statement lines (leaf hashes first, root last):
   * leaves written here while a second thread, for large runs, hashes them and builds the bottom
   * levels block by block.
   */
  static treeLevels(r: DistributionResult, options?: HashingOptions): Buffer[] {
    const pipeline = new LeafHashPipeline(r.lines.count, options);
    try {
      const w = new StatementLeafWriter(r);
      for (let i = 0; i < r.lines.count; i++) w.writeLeaf(i, pipeline);
      pipeline.finish();
      return pipeline.levels();
    } finally {
      pipeline.close();
    }
  }

  /** Writes the leaf of line `index` (0x00 prefix, then the line's bytes) into `target` and ends it there. */
  writeLeaf(index: number, target: LeafTarget): void {
    this.begin(target);
    this.byte(0);
    this.line(index);
    target.endLeaf(this.pos);
  }

  /** Loads what lines `[from, from + BATCH)` need from scattered arrays, a few loads per loop. */
  private gather(from: number): void {
    const r = this.r;
    const L = r.lines;
    const B = r.buckets;
    const to = Math.min(from + BATCH, L.count);
    const n = to - from;
    const gb = this.gBucket, gw = this.gWork;
    for (let k = 0; k < n; k++) gb[k] = L.bucket[from + k]!;
    for (let k = 0; k < n; k++) gw[k] = B.work[gb[k]!]!;
    for (let k = 0; k < n; k++) this.gSource[k] = B.source[gb[k]!]!;
    for (let k = 0; k < n; k++) this.gPlays[k] = B.plays[gb[k]!]!;
    const m = B.methodPlays, gm = this.gMethods;
    for (let k = 0; k < n; k++) {
      const at = gb[k]! * METHOD_COUNT;
      for (let j = 0; j < METHOD_COUNT; j++) gm[k * METHOD_COUNT + j] = m[at + j]!;
    }
    const frag = this.frag, gf = this.gFrag;
    for (let k = 0; k < n; k++) {
      const at = gw[k]! * 4;
      gf[4 * k] = frag[at]!;
      gf[4 * k + 1] = frag[at + 1]!;
      gf[4 * k + 2] = frag[at + 2]!;
      gf[4 * k + 3] = frag[at + 3]!;
    }
    // Touch each line's work bytes so that writing finds them in cache.
    const wb = this.workBytes.a;
    let t = 0;
    for (let k = 0; k < n; k++) t += wb[gf[4 * k]!]! + wb[gf[4 * k + 2]!]!;
    this.touched = t;
    this.batchFrom = from;
    this.batchTo = to;
  }

  /** Writes SHA-256(0x00 ‖ leaf bytes of line `index`) into `out` at `offset`. */
  hashLineInto(index: number, out: Uint8Array, offset: number): void {
    this.writeLeaf(index, this.own);
    hashLeafBytesInto(this.own.buf, this.own.length, out, offset);
  }

  /** The leaf bytes of line `index` as text (for tests: equals `statementLineJsonAt`). */
  lineText(index: number): string {
    this.begin(this.own);
    this.line(index);
    return this.own.buf.toString('utf8', 0, this.pos);
  }

  private begin(target: LeafTarget): void {
    this.target = target;
    this.setBuf(target.buf);
    this.pos = target.start;
    this.end = target.end;
  }

  private setBuf(buf: Buffer): void {
    if (buf === this.buf) return;
    this.buf = buf;
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.length);
  }

  private line(index: number): void {
    if (index < this.batchFrom || index >= this.batchTo) this.gather(index);
    const k = index - this.batchFrom;
    const r = this.r;
    const L = r.lines;
    const src = this.gSource[k]!;
    const n = getSafe(this.net, index), f = getSafe(this.fee, index), d = getSafe(this.ded, index);
    // Amounts in [0, 2^53) as numbers (−1 otherwise); the rare rest is formatted from the bigints.
    const small = n >= 0 && f >= 0 && d >= 0 && n + f + d < EXACT;
    this.put(this.head);
    if (small) this.minor(d);
    else this.ascii(formatMinor(L.deductions[index]!, this.scale));
    this.put(FEE);
    if (small) this.minor(f);
    else this.ascii(formatMinor(L.fee[index]!, this.scale));
    this.put(GROSS);
    if (small) this.minor(n + f + d);
    else this.ascii(formatMinor(L.net[index]! + L.fee[index]! + L.deductions[index]!, this.scale));
    this.byte(34);
    const gf = this.gFrag;
    this.workPart(gf[4 * k]!, gf[4 * k + 1]!);
    this.put(MATCHED);
    const gm = this.gMethods;
    let sep = false;
    for (let i = 0; i < METHOD_COUNT; i++) {
      const plays = gm[k * METHOD_COUNT + i]!;
      if (plays > 0) {
        if (sep) this.byte(44);
        this.put(METHOD_KEYS[i]!);
        this.int(plays);
        sep = true;
      }
    }
    this.put(NET);
    if (small) this.minor(n);
    else this.ascii(formatMinor(L.net[index]!, this.scale));
    this.put(PARTY);
    const h = L.holder[index]!;
    if (h !== this.holder) {
      this.holder = h;
      this.party.n = 0;
      this.party.json(r.holders[h]!.partyId);
      if (this.partyBytes.a !== this.party.a) this.partyBytes = this.party.frag();
    }
    this.copy(this.partyBytes, 0, this.party.n);
    this.put(this.srcA[src]!);
    this.int(this.gPlays[k]!);
    this.put(this.srcB[src]!);
    this.share(L.units[index]!);
    this.put(this.srcC[src]!);
    this.workPart(gf[4 * k + 1]!, gf[4 * k + 2]!);
    this.put(this.srcD[src]!);
    this.workPart(gf[4 * k + 2]!, gf[4 * k + 3]!);
    this.byte(125);
  }

  private room(n: number): void {
    if (this.pos + n <= this.end) return;
    this.pos = this.target.grow(this.pos, n);
    this.setBuf(this.target.buf);
    this.end = this.target.end;
  }

  private byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  private put(f: Frag): void {
    this.copy(f, 0, f.a.length);
  }

  private workPart(from: number, to: number): void {
    this.copy(this.workBytes, from, to);
  }

  /** Copies `f.a[from, to)`, four bytes at a time while it can. */
  private copy(f: Frag, from: number, to: number): void {
    this.room(to - from);
    const dv = this.dv, sv = f.v;
    let p = this.pos, i = from;
    for (; i + 4 <= to; i += 4, p += 4) dv.setUint32(p, sv.getUint32(i, true), true);
    const buf = this.buf, a = f.a;
    for (; i < to; i++) buf[p++] = a[i]!;
    this.pos = p;
  }

  /** A string known to be ASCII with nothing to escape. */
  private ascii(s: string): void {
    this.room(s.length);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** A non-negative safe integer in decimal. */
  private int(v: number): void {
    this.scaled(v, 0);
  }

  /** Minor units (a safe integer) as `formatMinor` writes them. */
  private minor(v: number): void {
    const scale = this.scale;
    if (scale === 0 || v < 0) {
      this.ascii(formatMinor(BigInt(v), scale));
      return;
    }
    this.scaled(v, scale);
  }

  /** Share units as `formatShare` writes them (at least one integer digit, six decimals). */
  private share(units: number): void {
    this.scaled(units, 6);
  }

  /** A non-negative integer with a decimal point `scale` digits from the right (at least one integer digit). */
  private scaled(v: number, scale: number): void {
    const d = this.digits;
    let k = d.length;
    let i = 0;
    if (v < INT32) {
      let x = v | 0;
      do {
        const q = (x / 10) | 0;
        d[--k] = 48 + x - q * 10;
        x = q;
        i++;
        if (i === scale) d[--k] = 46;
      } while (x > 0 || i <= scale);
    } else {
      do {
        const q = Math.floor(v / 10);
        d[--k] = 48 + v - q * 10;
        v = q;
        i++;
        if (i === scale) d[--k] = 46;
      } while (v > 0 || i <= scale);
    }
    this.room(d.length - k);
    const buf = this.buf;
    let p = this.pos;
    while (k < d.length) buf[p++] = d[k++]!;
    this.pos = p;
  }
}
