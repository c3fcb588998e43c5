/**
 * A handful of recently used keys of three parts, compared by identity, each with a number: the
 * usage lines of a report alternate between a few sources (summary records, use types), so a key
 * is nearly always among the last few, found without building a string or hashing one.
 */
export class RecentKeys<A, B, C> {
  private readonly a: (A | typeof NONE)[];
  private readonly b: (B | typeof NONE)[];
  private readonly c: (C | typeof NONE)[];
  private readonly v: number[];
  private next = 0;

  /** Remembers the last `size` keys. */
  constructor(private readonly size = 8) {
    this.a = new Array<A | typeof NONE>(size).fill(NONE);
    this.b = new Array<B | typeof NONE>(size).fill(NONE);
    this.c = new Array<C | typeof NONE>(size).fill(NONE);
    this.v = new Array<number>(size).fill(-1);
  }

  /** The number of key (a, b, c) if it is among the recent ones, else -1. */
  get(a: A, b: B, c: C): number {
    for (let k = 0; k < this.size; k++) if (this.a[k] === a && this.b[k] === b && this.c[k] === c) return this.v[k]!;
    return -1;
  }

  /** Remembers key (a, b, c) with `value`, forgetting the oldest. */
  set(a: A, b: B, c: C, value: number): void {
    const k = this.next;
    this.a[k] = a;
    this.b[k] = b;
    this.c[k] = c;
    this.v[k] = value;
    this.next = (k + 1) % this.size;
  }
}

const NONE: unique symbol = Symbol('none');
