/**
 * Exact integer units for the engine's weights. Shares, use-type weights and per-line amounts
 * arrive as decimal strings; the engine turns each into an integer count of a fixed small unit so
 * that every holder's weight is an exact integer and the allocation never rounds before the end.
 */

/** Share units per percent: shares are counted in 0.000001 % (the CSV interchange allows 6 decimals). */
export const SHARE_UNITS_PER_PERCENT = 1_000_000;
/** 100 % in share units. */
export const FULL_SHARE = 100 * SHARE_UNITS_PER_PERCENT;
/** Decimals of a use-type or line weight (weight 1 is 1,000,000 units). */
export const WEIGHT_DECIMALS = 6;
/** Weight 1 in weight units. */
export const UNIT_WEIGHT = 10 ** WEIGHT_DECIMALS;
/** Decimals kept from a per-line amount (`0.000000000001` is one unit). */
export const AMOUNT_DECIMALS = 12;

/**
 * `text` (a non-negative decimal with at most `decimals` decimals) times 10^decimals, as a bigint,
 * or `undefined` when it is not such a decimal. No floating point anywhere.
 */
export function decimalToUnits(text: string, decimals: number): bigint | undefined {
  const n = text.length;
  if (n === 0 || n > 60) return undefined;
  let dot = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (dot >= 0 || i === 0 || i === n - 1) return undefined;
      dot = i;
    } else if (c < 48 || c > 57) return undefined;
  }
  const int = dot < 0 ? text : text.slice(0, dot);
  const frac = dot < 0 ? '' : text.slice(dot + 1);
  if (frac.length > decimals) {
    // Trailing zeros beyond the unit are harmless ("50.0000000"); anything else is sub-unit precision.
    if (!/^0*$/.test(frac.slice(decimals))) return undefined;
    return BigInt(int + frac.slice(0, decimals));
  }
  return BigInt(int + frac.padEnd(decimals, '0'));
}

/** A share percentage string (`'33.3333'`) in share units, or `undefined` if malformed or above 100 %. */
export function shareUnits(percent: string): number | undefined {
  const u = decimalToUnits(percent, 6);
  if (u === undefined || u > BigInt(FULL_SHARE)) return undefined;
  return Number(u);
}

/** Share units back to a percentage string with 6 decimals (`'33.333300'`). */
export function formatShare(units: number): string {
  const s = String(units).padStart(7, '0');
  return `${s.slice(0, -6)}.${s.slice(-6)}`;
}

/** Integer units (10^-decimals) as a plain decimal string without trailing zeros (`'1.5'`). */
export function formatUnits(units: bigint, decimals: number): string {
  const neg = units < 0n;
  const s = (neg ? -units : units).toString().padStart(decimals + 1, '0');
  const int = s.slice(0, s.length - decimals);
  const frac = s.slice(s.length - decimals).replace(/0+$/, '');
  return `${neg ? '-' : ''}${int}${frac ? '.' + frac : ''}`;
}
