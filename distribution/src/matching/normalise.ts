/**
 * Normalisation for title and creator comparison. See README.md in this folder.
 *
 * Title key: NFKC (folds full-width to half-width and compatibility forms) → lower case (with ß→ss
 * and final sigma folded) → traditional → simplified Chinese (built-in table) → leading article
 * dropped when the title starts with a Latin letter → all punctuation, symbols, whitespace and
 * control characters removed. Diacritics are kept: "Lët" and "Let" stay different.
 */
import { toSimplified } from './t2s';

// Leading articles for Latin-script titles (English, French, Spanish, Italian, German, Portuguese).
const ARTICLE = /^(?:the|an|a|les|le|la|l'|l’|los|las|el|gli|il|lo|die|der|das|os|as|o)(?:\s+|(?<=['’]))/u;
const STRIP = /[\p{P}\p{S}\p{Z}\p{C}]+/gu;
const LATIN_START = /^\p{Script=Latin}/u;

function fold(s: string): string {
  let t = s.normalize('NFKC').toLowerCase();
  if (t.indexOf('ß') >= 0) t = t.replace(/ß/g, 'ss');
  if (t.indexOf('ς') >= 0) t = t.replace(/ς/g, 'σ');
  return toSimplified(t);
}

/**
 * {@link normaliseTitle} of a printable-ASCII title without the Unicode machinery: NFKC and the
 * Chinese table leave ASCII unchanged, and the characters that survive the strip are exactly the
 * letters and digits. `undefined` when the title is not ASCII or its key would be empty (the slow
 * path decides those).
 */
export function asciiTitleKey(title: string): string | undefined {
  for (let i = 0; i < title.length; i++) if (title.charCodeAt(i) > 0x7e) return undefined;
  let t = title.toLowerCase().trim();
  const c0 = t.charCodeAt(0);
  if (c0 >= 97 && c0 <= 122) {
    const m = ARTICLE.exec(t);
    if (m && m[0].length < t.length) t = t.slice(m[0].length);
  }
  let key = '';
  let start = -1;
  for (let i = 0; i <= t.length; i++) {
    const c = i < t.length ? t.charCodeAt(i) : 0;
    const keep = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (keep) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      key = start === 0 && i === t.length ? t : key + t.slice(start, i);
      start = -1;
    }
  }
  return key !== '' ? key : undefined;
}

// The leading articles of ARTICLE that are plain words (all but l'), of at most three letters.
const ARTICLE_WORDS = new Set(['the', 'an', 'a', 'les', 'le', 'la', 'los', 'las', 'el', 'gli', 'il', 'lo', 'die', 'der', 'das', 'os', 'as', 'o']);

function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * `hashRange(k, 0, k.length)` of `k = asciiTitleKey(title)`, computed in one pass without building
 * `k`; `undefined` exactly when `asciiTitleKey` gives `undefined`. For indexing a million titles:
 * only the hash is needed to file a work, and its key is built when a look-up reaches it.
 */
export function asciiTitleKeyHash(title: string): number | undefined {
  const n = title.length;
  for (let i = 0; i < n; i++) if (title.charCodeAt(i) > 0x7e) return undefined;
  const lower = (i: number) => {
    const c = title.charCodeAt(i);
    return c >= 65 && c <= 90 ? c + 32 : c;
  };
  // trim()
  let s = 0, e = n;
  while (s < e && isAsciiSpace(title.charCodeAt(s))) s++;
  while (e > s && isAsciiSpace(title.charCodeAt(e - 1))) e--;
  let from = s;
  const c0 = s < e ? lower(s) : 0;
  if (c0 >= 97 && c0 <= 122) {
    // ARTICLE on ASCII text: a word of the list followed by whitespace, or l' (with any whitespace
    // after it); dropped when something follows. After trim(), a word followed by whitespace is
    // always followed by more.
    let w = s;
    while (w < e && lower(w) >= 97 && lower(w) <= 122) w++;
    if (w - s <= 3 && w < e && isAsciiSpace(title.charCodeAt(w)) && ARTICLE_WORDS.has(title.slice(s, w).toLowerCase())) from = w;
    else if (w === s + 1 && c0 === 108 && w < e && title.charCodeAt(w) === 39 && w + 1 < e) from = w + 1;
  }
  let h = 0x811c9dc5;
  let kept = 0;
  for (let i = from; i < e; i++) {
    const c = lower(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      h = Math.imul(h ^ c, 0x01000193);
      kept++;
    }
  }
  return kept > 0 ? h | 0 : undefined;
}

/**
 * Comparison key for a title (see module doc). A title that is nothing but punctuation falls back to
 * its folded form without whitespace, so it still has a non-empty key. Empty input gives `''`.
 */
export function normaliseTitle(title: string): string {
  const fast = asciiTitleKey(title);
  if (fast !== undefined) return fast;
  let t = fold(title).trim();
  if (LATIN_START.test(t)) {
    const m = ARTICLE.exec(t);
    if (m && m[0].length < t.length) t = t.slice(m[0].length);
  }
  const key = t.replace(STRIP, '');
  return key !== '' ? key : t.replace(/\s+/gu, '');
}

/**
 * Tokens of a creator name: folded as titles are, punctuation turned into spaces, split on spaces,
 * sorted (so "GAYE MARVIN" and "Marvin Gaye" agree). A Chinese name without spaces is one token.
 */
export function creatorTokens(name: string): string[] {
  return asciiCreatorTokens(name) ?? fold(name).replace(STRIP, ' ').trim().split(/\s+/u).filter((x) => x !== '').sort();
}

/**
 * {@link creatorTokens} of an ASCII name without the Unicode machinery: folding leaves ASCII
 * lower-cased, and every ASCII character but letters and digits is punctuation, a symbol, a space
 * or a control character, so the tokens are the runs of letters and digits. `undefined` when the
 * name is not ASCII.
 */
export function asciiCreatorTokens(name: string): string[] | undefined {
  const n = name.length;
  for (let i = 0; i < n; i++) if (name.charCodeAt(i) > 0x7f) return undefined;
  const t = name.toLowerCase();
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? t.charCodeAt(i) : 0;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(t.slice(start, i));
      start = -1;
    }
  }
  return out.sort();
}

/**
 * True when two creator names plausibly denote the same person: every token of the shorter name
 * matches a token of the longer one (equal, or a one-letter initial of it), and at least one matched
 * token is a full word. So "M. Gaye" ~ "Marvin Gaye" and "Gaye" ~ "Marvin Pentz Gaye", but
 * "Carl Wilson" ≁ "Brian Wilson".
 */
export function creatorsCompatible(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let full = false;
  for (const t of short) {
    let ok = false;
    for (const u of long) {
      if (t === u) {
        ok = true;
        if (t.length > 1) full = true;
        break;
      }
      if ((t.length === 1 && u.startsWith(t)) || (u.length === 1 && t.startsWith(u))) ok = true;
    }
    if (!ok) return false;
  }
  return full;
}
