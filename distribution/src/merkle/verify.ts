/**
 * RFC 6962 Merkle inclusion-proof verification on WebCrypto only, so the same module runs in a
 * browser (a rights holder checking a statement line) and in Node 20. No Node imports here.
 */

/** Bytes or lower/upper-case hex. */
export type HashLike = Uint8Array | string;

/** An inclusion proof as published next to a statement line. */
export interface InclusionProof {
  /** 0-based leaf index. */
  index: number;
  treeSize: number;
  /** Audit path, leaf side first. */
  path: HashLike[];
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('WebCrypto (crypto.subtle) is not available');
  return s;
}

/** Hex to bytes; throws on odd length or a non-hex character. */
export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new Error('invalid hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Bytes to lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function bytes(h: HashLike): Uint8Array {
  return typeof h === 'string' ? fromHex(h) : h;
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  let len = 0;
  for (const p of parts) len += p.length;
  const buf = new Uint8Array(len);
  let o = 0;
  for (const p of parts) {
    buf.set(p, o);
    o += p.length;
  }
  return new Uint8Array(await subtle().digest('SHA-256', buf));
}

const LEAF = new Uint8Array([0]);
const NODE = new Uint8Array([1]);

/** RFC 6962 leaf hash: SHA-256(0x00 || data). Strings are hashed as their UTF-8 bytes. */
export async function leafHash(data: Uint8Array | string): Promise<Uint8Array> {
  return sha256(LEAF, typeof data === 'string' ? new TextEncoder().encode(data) : data);
}

/** RFC 6962 interior node hash: SHA-256(0x01 || left || right). */
export async function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(NODE, left, right);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/**
 * Recomputes the root from a leaf hash and its audit path (RFC 9162 §2.1.3.2, which is the
 * RFC 6962 path read bottom-up). Returns `undefined` when the path has the wrong length for the
 * index and tree size.
 */
export async function rootFromProof(leaf: HashLike, proof: InclusionProof): Promise<Uint8Array | undefined> {
  const { index, treeSize } = proof;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize) return undefined;
  let fn = index;
  let sn = treeSize - 1;
  let r = bytes(leaf);
  for (const p of proof.path) {
    const ph = bytes(p);
    if (ph.length !== 32) return undefined;
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(ph, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await nodeHash(r, ph);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}

/** Verifies that `leaf` (a leaf hash) is at `proof.index` in the tree with `root`. */
export async function verifyInclusion(leaf: HashLike, proof: InclusionProof, root: HashLike): Promise<boolean> {
  const r = await rootFromProof(leaf, proof);
  return r !== undefined && equal(r, bytes(root));
}

/** Verifies that `data` (the leaf's bytes, e.g. a statement line's canonical JSON) is at `proof.index` under `root`. */
export async function verifyLeafData(data: Uint8Array | string, proof: InclusionProof, root: HashLike): Promise<boolean> {
  return verifyInclusion(await leafHash(data), proof, root);
}
