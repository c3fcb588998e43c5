/**
 * Statement-line Merkle leaves written as bytes: the UTF-8 of exactly the canonical JSON that
 * `statementLineJsonAt` returns, assembled in one reused buffer (fragments per usage source encoded
 * once, digits written directly, strings copied byte by byte when they need no escaping), then
 * hashed as the RFC 6962 leaf. No string per line; a test holds the bytes equal to the JSON.
 */
import { MATCH_METHODS } from '../engine/aggregate';
import { METHOD_COUNT } from '../engine/buckets';
import type { DistributionResult } from '../engine/compute';
import { hashLeafBytesInto } from '../merkle/tree';
import { currencyScale } from '../money';
import { formatMinor } from './line';

const q = JSON.stringify;
const SAFE = 9e15; // below 2^53: a bigint of smaller magnitude converts to a number exactly

function bytes(s: string): Uint8Array {
  return Buffer.from(s, 'utf8');
}

/** Writes the leaves of a run's statement lines; one instance per pass. */
export class StatementLeafWriter {
  private buf = Buffer.allocUnsafe(1 << 12);
  private pos = 0;
  private readonly scale: number;
  private readonly head: Uint8Array;
  private readonly srcA: Uint8Array[] = [];
  private readonly srcB: Uint8Array[] = [];
  private readonly srcC: Uint8Array[] = [];
  private readonly srcD: Uint8Array[] = [];
  private readonly digits = new Uint8Array(32);

  constructor(private readonly r: DistributionResult) {
    this.scale = currencyScale(r.params.currency);
    this.head = bytes(`{"currency":${q(r.params.currency)},"deductions":"`);
    for (const s of r.sources) {
      this.srcA.push(bytes(`${s.period !== undefined ? `,"period":${q(s.period)}` : ''},"plays":`));
      this.srcB.push(bytes(`${s.service !== undefined ? `,"service":${q(s.service)}` : ''},"share":"`));
      this.srcC.push(bytes(`","source":${q(s.file)}${s.territory !== undefined ? `,"territory":${q(s.territory)}` : ''},"title":`));
      this.srcD.push(bytes(`${s.useType !== undefined ? `,"useType":${q(s.useType)}` : ''},"workId":`));
    }
  }

  /** Writes SHA-256(0x00 ‖ leaf bytes of line `index`) into `out` at `offset`. */
  hashLineInto(index: number, out: Uint8Array, offset: number): void {
    this.pos = 1;
    this.buf[0] = 0;
    this.line(index);
    hashLeafBytesInto(this.buf, this.pos, out, offset);
  }

  /** The leaf bytes of line `index` as text (for tests: equals `statementLineJsonAt`). */
  lineText(index: number): string {
    this.pos = 0;
    this.line(index);
    return this.buf.toString('utf8', 0, this.pos);
  }

  private line(index: number): void {
    const r = this.r;
    const L = r.lines;
    const B = r.buckets;
    const b = L.bucket[index]!;
    const rep = r.works;
    const w = B.work[b]!;
    const src = B.source[b]!;
    const net = L.net[index]!, fee = L.fee[index]!, ded = L.deductions[index]!;
    this.put(this.head);
    const n = Number(net), f = Number(fee), d = Number(ded);
    const small = n > -SAFE && n < SAFE && f > -SAFE && f < SAFE && d > -SAFE && d < SAFE && n + f + d > -SAFE && n + f + d < SAFE;
    if (small) this.minor(d);
    else this.ascii(formatMinor(ded, this.scale));
    this.ascii('","fee":"');
    if (small) this.minor(f);
    else this.ascii(formatMinor(fee, this.scale));
    this.ascii('","gross":"');
    if (small) this.minor(n + f + d);
    else this.ascii(formatMinor(net + fee + ded, this.scale));
    this.byte(34);
    const iswc = rep.iswc(w);
    if (iswc) {
      this.ascii(',"iswc":');
      this.str(iswc);
    }
    this.ascii(',"matched":{');
    const m = B.methodPlays;
    let sep = false;
    for (let i = 0; i < 4; i++) {
      const plays = m[b * METHOD_COUNT + i]!;
      if (plays > 0) {
        if (sep) this.byte(44);
        this.byte(34);
        this.ascii(MATCH_METHODS[i]!);
        this.ascii('":');
        this.int(plays);
        sep = true;
      }
    }
    this.ascii('},"net":"');
    if (small) this.minor(n);
    else this.ascii(formatMinor(net, this.scale));
    this.ascii('","partyId":');
    this.str(r.holders[L.holder[index]!]!.partyId);
    this.put(this.srcA[src]!);
    this.int(B.plays[b]!);
    this.put(this.srcB[src]!);
    this.share(L.units[index]!);
    this.put(this.srcC[src]!);
    this.str(rep.title(w));
    this.put(this.srcD[src]!);
    this.str(rep.workId(w));
    this.byte(125);
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  private byte(c: number): void {
    this.room(1);
    this.buf[this.pos++] = c;
  }

  private put(a: Uint8Array): void {
    this.room(a.length);
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < a.length; i++) buf[p++] = a[i]!;
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

  /** `JSON.stringify(s)` as UTF-8: copied directly when it is printable ASCII without `"` or `\`. */
  private str(s: string): void {
    const n = s.length;
    this.room(n + 2);
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    buf[p++] = 34;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 34 || c === 92) {
        this.pos = start;
        const j = q(s);
        this.room(j.length * 3);
        this.pos += this.buf.write(j, this.pos, 'utf8');
        return;
      }
      buf[p++] = c;
    }
    buf[p++] = 34;
    this.pos = p;
  }

  /** A non-negative safe integer in decimal. */
  private int(v: number): void {
    const d = this.digits;
    let k = d.length;
    do {
      const x = v % 10;
      d[--k] = 48 + x;
      v = (v - x) / 10;
    } while (v > 0);
    this.room(d.length - k);
    const buf = this.buf;
    let p = this.pos;
    while (k < d.length) buf[p++] = d[k++]!;
    this.pos = p;
  }

  /** Minor units (a safe integer) as `formatMinor` writes them. */
  private minor(v: number): void {
    const scale = this.scale;
    if (scale === 0 || v < 0) {
      this.ascii(formatMinor(BigInt(v), scale));
      return;
    }
    const d = this.digits;
    let k = d.length;
    let i = 0;
    do {
      const x = v % 10;
      d[--k] = 48 + x;
      v = (v - x) / 10;
      i++;
      if (i === scale) d[--k] = 46;
    } while (v > 0 || i <= scale);
    this.room(d.length - k);
    const buf = this.buf;
    let p = this.pos;
    while (k < d.length) buf[p++] = d[k++]!;
    this.pos = p;
  }

  /** Share units as `formatShare` writes them (at least one integer digit, six decimals). */
  private share(units: number): void {
    this.scaleSix(units);
  }

  private scaleSix(v: number): void {
    const d = this.digits;
    let k = d.length;
    let i = 0;
    do {
      const x = v % 10;
      d[--k] = 48 + x;
      v = (v - x) / 10;
      i++;
      if (i === 6) d[--k] = 46;
    } while (v > 0 || i <= 6);
    this.room(d.length - k);
    const buf = this.buf;
    let p = this.pos;
    while (k < d.length) buf[p++] = d[k++]!;
    this.pos = p;
  }
}
