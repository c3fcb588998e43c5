/**
 * State keys as Fabric treats them: simple keys, composite keys in the `\u0000` namespace, and
 * the byte-wise (UTF-8) order that LevelDB and the peer's range queries use.
 */

/** First character of every composite key; simple keys may not start with it. */
export const COMPOSITE_KEY_NAMESPACE = '\u0000';
/** Separator after the object type and after each attribute of a composite key. */
export const MIN_UNICODE_RUNE = '\u0000';
/** Largest code point; appended to a partial composite key to form the end of its range. */
export const MAX_UNICODE_RUNE = '\u{10ffff}';
/** Fabric substitutes this for an empty start key so plain range scans skip composite keys. */
export const EMPTY_KEY_SUBSTITUTE = '\u0001';

/**
 * Compares keys in Unicode code point order, which is the order of their UTF-8 bytes (how
 * LevelDB, the peer and PostgreSQL `bytea` sort). Plain JS string comparison orders UTF-16 code
 * units, which puts U+E000..U+FFFF after supplementary characters and would, for instance, cut
 * off partial-composite-key scans that end at U+10FFFF.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      // Only a surrogate against U+E000..U+FFFF orders differently; lift surrogates above that block.
      if (x >= 0xd800 && y >= 0xd800) {
        x = x < 0xe000 ? x + 0x2000 : x - 0x800;
        y = y < 0xe000 ? y + 0x2000 : y - 0x800;
      }
      return x - y;
    }
  }
  return a.length - b.length;
}

const loneSurrogate = /\p{Surrogate}/u;

/**
 * Checks a key the way the peer does before it touches state: non-empty and valid UTF-8 (a lone
 * surrogate could not survive the trip to bytes and back, so two keys would collide).
 */
export function assertValidKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw new Error('key must be a non-empty string');
  if (loneSurrogate.test(key)) throw new Error(`key [${key}] is not valid UTF-8`);
}

/** Simple keys used in range queries may not reach into the composite key namespace. */
export function assertSimpleKey(key: string): void {
  if (key.startsWith(COMPOSITE_KEY_NAMESPACE)) {
    throw new Error(`first character of the key [${key}] contains a null character which is not allowed`);
  }
}

function assertAttribute(attr: unknown): asserts attr is string {
  if (typeof attr !== 'string' || attr.length === 0) {
    throw new Error('object type or attribute not a non-zero length string');
  }
}

/** Fabric's `createCompositeKey`: `\u0000` + type + `\u0000` + each attribute + `\u0000`. */
export function createCompositeKey(objectType: string, attributes: string[]): string {
  assertAttribute(objectType);
  if (!Array.isArray(attributes)) throw new Error('attributes must be an array');
  let key = COMPOSITE_KEY_NAMESPACE + objectType + MIN_UNICODE_RUNE;
  for (const attr of attributes) {
    assertAttribute(attr);
    key += attr + MIN_UNICODE_RUNE;
  }
  return key;
}

/** Fabric's `splitCompositeKey`; a simple key gives `{ objectType: null, attributes: [] }`. */
export function splitCompositeKey(compositeKey: string): { objectType: string | null; attributes: string[] } {
  const result: { objectType: string | null; attributes: string[] } = { objectType: null, attributes: [] };
  if (compositeKey && compositeKey.length > 1 && compositeKey.startsWith(COMPOSITE_KEY_NAMESPACE)) {
    const parts = compositeKey.substring(1).split(MIN_UNICODE_RUNE);
    result.objectType = parts[0] ?? null;
    parts.pop();
    if (parts.length > 1) {
      parts.shift();
      result.attributes = parts;
    }
  }
  return result;
}

/** UTF-8 bytes of a key, as stored in PostgreSQL (`bytea`, since text cannot hold `\u0000`). */
export function keyToBytes(key: string): Buffer {
  return Buffer.from(key, 'utf8');
}

/** Inverse of {@link keyToBytes}. */
export function keyFromBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
