/**
 * Reading and writing a BigInt64Array of minor units through its 32-bit halves: a non-negative
 * amount below 2^53 goes in and out as a number without allocating a BigInt, which is what costs
 * most when millions of statement-line amounts are written and read again. The array keeps its
 * public meaning (exact bigint minor units); amounts outside that range use the bigint element.
 */

/** A BigInt64Array's elements as 32-bit halves, low half at `2i + LO`, high half at `2i + HI`. */
export type Halves = Uint32Array;

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;
const TWO_32 = 2 ** 32;
/** High halves below this hold a value below 2^53 (and not negative). */
const SAFE_HIGH = 2 ** 21;

/** The 32-bit halves view of `column` (same memory). */
export function halvesOf(column: BigInt64Array): Halves {
  return new Uint32Array(column.buffer, column.byteOffset, column.length * 2);
}

/** Stores `value` (an integer, 0 ≤ value < 2^53) at element `i`. */
export function putSafe(h: Halves, i: number, value: number): void {
  const hi = Math.floor(value / TWO_32);
  h[2 * i + LO] = value - hi * TWO_32;
  h[2 * i + HI] = hi;
}

/** Element `i` as a number when it is an integer in [0, 2^53); −1 otherwise (read the bigint). */
export function getSafe(h: Halves, i: number): number {
  const hi = h[2 * i + HI]!;
  return hi < SAFE_HIGH ? hi * TWO_32 + h[2 * i + LO]! : -1;
}
