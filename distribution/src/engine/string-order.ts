/**
 * Sorting by string keys in UTF-16 code-unit order (the order of `<` on strings, which canonical
 * JSON and the ledger's keys use), for the hundreds of thousands of work and party ids a run
 * orders: the keys' code units are copied once into one flat array, then a most-significant-digit
 * radix sort reads them from there, instead of a comparator called some twenty times per key on
 * strings scattered over the heap.
 */

/** Groups this small are finished by insertion sort. */
const SMALL = 24;
/** Code-unit ranges wider than this in one group (mixed scripts) are sorted by comparison instead. */
const MAX_RANGE = 256;

/**
 * Sorts `order` (indexes into `keys`) so that `keys[order[i]]` ascend in code-unit order. Equal
 * keys keep no particular order: callers sort unique keys.
 */
export function sortByStringKey(keys: readonly string[], order: Int32Array): void {
  const n = order.length;
  // Keys read in index order: strings made in that order lie in that order in memory, and reading
  // them at random costs several times more.
  order.sort();
  // Element j (0 ≤ j < n) is key order[j]; its code units are units[start[j], start[j + 1]).
  const start = new Int32Array(n + 1);
  let units = new Uint16Array(n * 12 + 16);
  for (let j = 0; j < n; j++) {
    const s = keys[order[j]!]!;
    const at = start[j]!;
    if (at + s.length > units.length) {
      const grown = new Uint16Array(Math.max(units.length * 2, at + s.length));
      grown.set(units.subarray(0, at));
      units = grown;
    }
    for (let k = 0; k < s.length; k++) units[at + k] = s.charCodeAt(k);
    start[j + 1] = at + s.length;
  }
  const original = order.slice();
  const local = new Int32Array(n);
  for (let j = 0; j < n; j++) local[j] = j;
  sortLocal(local, start, units);
  for (let j = 0; j < n; j++) order[j] = original[local[j]!]!;
}

/** Radix sorts element ids `a` by their code units. */
function sortLocal(a: Int32Array, start: Int32Array, units: Uint16Array): void {
  const n = a.length;
  const tmp = new Int32Array(n);
  const codes = new Int32Array(n);
  const count = new Int32Array(MAX_RANGE + 2);
  // Pending groups: [lo, hi) of `a` whose keys share their first `depth` code units.
  const stack: number[] = [0, n, 0];
  while (stack.length > 0) {
    const depth = stack.pop()!, hi = stack.pop()!, lo = stack.pop()!;
    if (hi - lo <= SMALL) {
      insertionSort(a, lo, hi, depth, start, units);
      continue;
    }
    // Code unit at `depth` plus one; 0 where the key ends (a key sorts before its extensions).
    let min = Infinity, max = -1;
    for (let i = lo; i < hi; i++) {
      const e = a[i]!;
      const at = start[e]! + depth;
      const c = at < start[e + 1]! ? units[at]! + 1 : 0;
      codes[i] = c;
      if (c < min) min = c;
      if (c > max) max = c;
    }
    if (min === max) {
      // One code unit for the whole group: look one further (unless every key ended here).
      if (min !== 0) stack.push(lo, hi, depth + 1);
      continue;
    }
    if (max - min >= MAX_RANGE) {
      const sub = Array.from(a.subarray(lo, hi)).sort((x, y) => compareFrom(x, y, depth, start, units));
      a.set(sub, lo);
      continue;
    }
    const range = max - min + 1;
    count.fill(0, 0, range + 1);
    for (let i = lo; i < hi; i++) count[codes[i]! - min + 1]!++;
    for (let k = 1; k <= range; k++) count[k]! += count[k - 1]!;
    for (let i = lo; i < hi; i++) tmp[lo + count[codes[i]! - min]!++] = a[i]!;
    a.set(tmp.subarray(lo, hi), lo);
    // count[k] is now where group k ends (and group k + 1 starts).
    for (let k = 0, from = lo; k < range; k++) {
      const to = lo + count[k]!;
      // Keys that ended at `depth` are equal: nothing left to order among them.
      if (to - from > 1 && !(k === 0 && min === 0)) stack.push(from, to, depth + 1);
      from = to;
    }
  }
}

/** Compares elements x and y from code unit `depth` on (the units before are equal). */
function compareFrom(x: number, y: number, depth: number, start: Int32Array, units: Uint16Array): number {
  const xs = start[x]!, xe = start[x + 1]!, ys = start[y]!, ye = start[y + 1]!;
  for (let i = xs + depth, j = ys + depth; ; i++, j++) {
    if (i === xe) return j === ye ? 0 : -1;
    if (j === ye) return 1;
    const d = units[i]! - units[j]!;
    if (d !== 0) return d;
  }
}

function insertionSort(a: Int32Array, lo: number, hi: number, depth: number, start: Int32Array, units: Uint16Array): void {
  for (let i = lo + 1; i < hi; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= lo && compareFrom(a[j]!, x, depth, start, units) > 0) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}
