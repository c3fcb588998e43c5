/**
 * Canonical JSON for hashing: object keys sorted by UTF-16 code units (as RFC 8785 does), no
 * whitespace, strings escaped as `JSON.stringify` does. Numbers are allowed only as safe integers
 * (counts): money must already be a decimal string, so a float reaching this function is a bug.
 */

/** A value {@link canonicalJson} accepts. */
export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | { [key: string]: CanonicalValue | undefined };

/**
 * Serialises `value` canonically. Object properties whose value is `undefined` are omitted (as in
 * JSON); `undefined` inside arrays, non-integer or unsafe numbers, bigints and non-plain objects throw.
 */
export function canonicalJson(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) throw new TypeError(`canonicalJson: number ${value} is not a safe integer; use a decimal string for money and rates`);
      return Object.is(value, -0) ? '0' : String(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        return '[' + value.map((v) => {
          if (v === undefined) throw new TypeError('canonicalJson: undefined inside an array');
          return canonicalJson(v);
        }).join(',') + ']';
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new TypeError(`canonicalJson: ${proto?.constructor?.name ?? 'object'} is not a plain object`);
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
      return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(obj[k])).join(',') + '}';
    }
    default:
      throw new TypeError(`canonicalJson: cannot serialise a ${typeof value}`);
  }
}

/** UTF-8 bytes of {@link canonicalJson}: what a statement line contributes as a Merkle leaf. */
export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}
