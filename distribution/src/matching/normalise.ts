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
 * Comparison key for a title (see module doc). A title that is nothing but punctuation falls back to
 * its folded form without whitespace, so it still has a non-empty key. Empty input gives `''`.
 */
export function normaliseTitle(title: string): string {
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
  return fold(name).replace(STRIP, ' ').trim().split(/\s+/u).filter((x) => x !== '').sort();
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
