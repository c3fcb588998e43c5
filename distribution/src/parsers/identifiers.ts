/**
 * Industry identifier checks (ISWC, ISRC, IPI name number). Hand-written character loops rather
 * than regular expressions because they run once per usage line.
 */

/**
 * Normalises an ISWC to its compact form `T1234567890` and checks the check digit.
 * Accepts `T-034.524.680-1`, `T0345246801` and lower-case `t`. Returns `undefined` when invalid.
 * Check digit: `(10 - (1 + Σ i·dᵢ) mod 10) mod 10` over the nine digits, i = 1..9.
 */
export function normaliseIswc(raw: string): string | undefined {
  let s = raw;
  if (s.length !== 11) {
    if (s.length !== 15) return undefined;
    // T-DDD.DDD.DDD-C
    if (s[1] !== '-' || s[5] !== '.' || s[9] !== '.' || s[13] !== '-') return undefined;
    s = s[0]! + s.slice(2, 5) + s.slice(6, 9) + s.slice(10, 13) + s[14]!;
  }
  const t = s.charCodeAt(0);
  if (t !== 84 && t !== 116) return undefined;
  let sum = 1;
  for (let i = 1; i <= 10; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    if (i <= 9) sum += i * d;
    else if ((10 - (sum % 10)) % 10 !== d) return undefined;
  }
  return t === 84 ? s : 'T' + s.slice(1);
}

/**
 * The nine-digit body of a valid ISWC as an integer (check digit verified), or -1: a compact key
 * that identifies the ISWC, since the check digit follows from the body. Accepts what
 * {@link normaliseIswc} accepts, without building a string for the compact form.
 */
export function iswcKey(raw: string): number {
  if (raw.length !== 11) {
    const n = normaliseIswc(raw);
    return n === undefined ? -1 : iswcKey(n);
  }
  const t = raw.charCodeAt(0);
  if (t !== 84 && t !== 116) return -1;
  let sum = 1;
  let body = 0;
  for (let i = 1; i <= 9; i++) {
    const d = raw.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    sum += i * d;
    body = body * 10 + d;
  }
  const c = raw.charCodeAt(10) - 48;
  return c === (10 - (sum % 10)) % 10 ? body : -1;
}

/** True if `raw` is a valid ISWC (see {@link normaliseIswc}). */
export function isValidIswc(raw: string): boolean {
  return normaliseIswc(raw) !== undefined;
}

/** Formats a compact ISWC as `T-DDD.DDD.DDD-C`. */
export function formatIswc(compact: string): string {
  return `${compact[0]}-${compact.slice(1, 4)}.${compact.slice(4, 7)}.${compact.slice(7, 10)}-${compact[10]}`;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Normalises an ISRC (`CC-XXX-YY-NNNNN`, hyphens optional) to 12 upper-case characters, or
 * `undefined` when the shape is wrong: 2 letters, 3 letters/digits, 2 digits, 5 digits.
 */
export function normaliseIsrc(raw: string): string | undefined {
  let s = raw;
  if (s.length === 15 && s[2] === '-' && s[6] === '-' && s[9] === '-') s = s.slice(0, 2) + s.slice(3, 6) + s.slice(7, 9) + s.slice(10);
  if (s.length !== 12) return undefined;
  for (let i = 0; i < 12; i++) {
    const c = s.charCodeAt(i);
    if (i < 2 ? !isAlpha(c) : i < 5 ? !(isAlpha(c) || isDigit(c)) : !isDigit(c)) return undefined;
  }
  return s.toUpperCase();
}

/** True if `raw` has the ISRC shape (see {@link normaliseIsrc}). */
export function isValidIsrc(raw: string): boolean {
  return normaliseIsrc(raw) !== undefined;
}

/**
 * Normalises an IPI name number: digits only, at most 11, left-padded with zeros to 11
 * (CWR files zero-pad; some exports drop the leading zeros). `undefined` when not numeric or too long.
 */
export function normaliseIpiNameNumber(raw: string): string | undefined {
  const s = raw.trim();
  if (s.length === 0 || s.length > 11) return undefined;
  for (let i = 0; i < s.length; i++) if (!isDigit(s.charCodeAt(i))) return undefined;
  return s.padStart(11, '0');
}
