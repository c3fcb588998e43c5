/**
 * Canonical JSON for hashing. There is one definition, in `../canonical-json`: the ledger's record
 * digests, the batch digests and the Merkle leaves of statement lines must agree byte for byte, so
 * this module re-exports it and adds only the byte form and the value type.
 */
import { canonicalJson } from '../canonical-json';

export { canonicalJson };

/** A value {@link canonicalJson} is meant for: JSON data whose numbers are safe integers (money is a decimal string). */
export type CanonicalValue = string | number | boolean | null | CanonicalValue[] | { [key: string]: CanonicalValue | undefined };

/** UTF-8 bytes of {@link canonicalJson}: what a statement line contributes as a Merkle leaf. */
export function canonicalBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(canonicalJson(value));
}
