/**
 * Open-addressing hash tables over typed arrays, for the million-entry indexes of a repertoire:
 * one probe usually touches one cache line, and a string can be looked up (or interned) straight
 * from a range of the line it sits in, without cutting a substring first.
 */

/** FNV-1a over `text[start, end)` (UTF-16 code units), as a 32-bit integer. */
export function hashRange(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** True when `s` equals `text[start, end)`. */
export function equalsRange(s: string, text: string, start: number, end: number): boolean {
  if (s.length !== end - start) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== text.charCodeAt(start + i)) return false;
  return true;
}

/**
 * Distinct strings numbered 0, 1, 2… in order of first insertion. Works as a `Map<string, number>`
 * from each string to its number (`get`, `size`, `values`), and interns ranges of a text directly.
 */
export class StringTable {
  /** The strings, by number. */
  readonly strings: string[] = [];
  // Slot k: [number + 1 (0 = empty), hash]. At most half full.
  private slots = new Int32Array(2048);
  private mask = 1023;

  /** Number of strings. */
  get size(): number {
    return this.strings.length;
  }

  /** Number of `text[start, end)`, or -1. */
  findRange(text: string, start: number, end: number): number {
    const h = hashRange(text, start, end);
    const slots = this.slots;
    for (let k = h & this.mask; ; k = (k + 1) & this.mask) {
      const n = slots[2 * k]!;
      if (n === 0) return -1;
      if (slots[2 * k + 1] === h && equalsRange(this.strings[n - 1]!, text, start, end)) return n - 1;
    }
  }

  /**
   * Number of `text[start, end)`, adding it if new (as `make()` when given, e.g. an owned copy,
   * else as the substring).
   */
  internRange(text: string, start: number, end: number, make?: () => string): number {
    const h = hashRange(text, start, end);
    const slots = this.slots;
    let k = h & this.mask;
    for (; ; k = (k + 1) & this.mask) {
      const n = slots[2 * k]!;
      if (n === 0) break;
      if (slots[2 * k + 1] === h && equalsRange(this.strings[n - 1]!, text, start, end)) return n - 1;
    }
    const id = this.strings.length;
    this.strings.push(make ? make() : text.slice(start, end));
    slots[2 * k] = id + 1;
    slots[2 * k + 1] = h;
    if (2 * this.strings.length > this.mask) this.grow();
    return id;
  }

  /** Number of `s`, or `undefined`. */
  get(s: string): number | undefined {
    const n = this.findRange(s, 0, s.length);
    return n < 0 ? undefined : n;
  }

  /** Number of `s`, adding it if new. */
  intern(s: string): number {
    return this.internRange(s, 0, s.length, () => s);
  }

  /**
   * Adds `s` as number `n`, which must be the next number (`size`): the `Map.set` of a table whose
   * values are insertion positions.
   */
  set(s: string, n: number): void {
    if (n !== this.strings.length || this.findRange(s, 0, s.length) >= 0) throw new RangeError(`StringTable.set: ${s} must be new and numbered ${this.strings.length}`);
    this.intern(s);
  }

  /** The numbers in insertion order (0, 1, 2…). */
  *values(): IterableIterator<number> {
    for (let i = 0; i < this.strings.length; i++) yield i;
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    const slots = new Int32Array(cap * 2);
    const mask = cap - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j] === 0) continue;
      let k = old[j + 1]! & mask;
      while (slots[2 * k] !== 0) k = (k + 1) & mask;
      slots[2 * k] = old[j]!;
      slots[2 * k + 1] = old[j + 1]!;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** A map from non-negative 31-bit integers to integers (open addressing, at most half full). */
export class IntTable {
  // Slot k: [key + 1 (0 = empty), value].
  private slots = new Int32Array(2048);
  private mask = 1023;
  /** Number of keys. */
  size = 0;

  private slot(key: number): number {
    const slots = this.slots;
    for (let k = Math.imul(key, 0x9e3779b1) & this.mask; ; k = (k + 1) & this.mask) {
      const s = slots[2 * k]!;
      if (s === 0 || s === key + 1) return k;
    }
  }

  /** Value of `key`, or `undefined`. */
  get(key: number): number | undefined {
    const k = this.slot(key);
    return this.slots[2 * k] === 0 ? undefined : this.slots[2 * k + 1]!;
  }

  /** Sets the value of `key` (0 ≤ key < 2^31 − 1). */
  set(key: number, value: number): void {
    const k = this.slot(key);
    if (this.slots[2 * k] === 0) {
      this.slots[2 * k] = key + 1;
      this.size++;
    }
    this.slots[2 * k + 1] = value;
    if (2 * this.size > this.mask) this.grow();
  }

  private grow(): void {
    const old = this.slots;
    this.mask = this.mask * 2 + 1;
    this.slots = new Int32Array((this.mask + 1) * 2);
    for (let j = 0; j < old.length; j += 2) {
      if (old[j] === 0) continue;
      const k = this.slot(old[j]! - 1);
      this.slots[2 * k] = old[j]!;
      this.slots[2 * k + 1] = old[j + 1]!;
    }
  }
}
