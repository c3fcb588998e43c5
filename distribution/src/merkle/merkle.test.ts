import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalJson } from './canonical';
import { hashChildren, hashLeaf, merkleRoot, MerkleRootBuilder, MerkleTree } from './tree';
import { fromHex, leafHash, rootFromProof, toHex, verifyInclusion, verifyLeafData } from './verify';

// Certificate Transparency's reference test leaves and roots (RFC 6962 Merkle Tree Hash).
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(fromHex);
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

/** Straight transcription of RFC 6962 §2.1 MTH, as an independent reference. */
function mth(leaves: Uint8Array[]): Buffer {
  const n = leaves.length;
  if (n === 0) return Buffer.from(fromHex('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'));
  if (n === 1) return hashLeaf(leaves[0]!);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return hashChildren(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

describe('Merkle tree (RFC 6962)', () => {
  it('empty tree root is SHA-256 of the empty string', () => {
    expect(toHex(MerkleTree.fromLeaves([]).root())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(toHex(merkleRoot([]))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('matches the Certificate Transparency known-answer roots for 1..8 leaves', () => {
    for (let n = 1; n <= 8; n++) {
      const leaves = CT_LEAVES.slice(0, n);
      expect(toHex(MerkleTree.fromLeaves(leaves).root()), `n=${n}`).toBe(CT_ROOTS[n - 1]);
      expect(toHex(merkleRoot(leaves)), `streaming n=${n}`).toBe(CT_ROOTS[n - 1]);
    }
  });

  it('matches CT known-answer audit paths', () => {
    const t = MerkleTree.fromLeaves(CT_LEAVES);
    expect(t.proof(0).map(toHex)).toEqual([
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ]);
    expect(t.proof(5).map(toHex)).toEqual([
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ]);
  });

  it('agrees with a literal transcription of the RFC recursion for 0..70 leaves', () => {
    for (let n = 0; n <= 70; n++) {
      const leaves = Array.from({ length: n }, (_, i) => new TextEncoder().encode(`leaf-${i}`));
      const expected = toHex(mth(leaves));
      expect(toHex(MerkleTree.fromLeaves(leaves).root()), `n=${n}`).toBe(expected);
      const b = new MerkleRootBuilder();
      leaves.forEach((l) => b.add(l));
      expect(toHex(b.root())).toBe(expected);
    }
  });

  it('proofs for every index of trees of size 1..20 verify (WebCrypto verifier), tampered ones fail', async () => {
    for (let n = 1; n <= 20; n++) {
      const leaves = Array.from({ length: n }, (_, i) => `line ${i}`);
      const t = MerkleTree.fromLeaves(leaves);
      const root = toHex(t.root());
      for (let i = 0; i < n; i++) {
        const path = t.proof(i);
        expect(await verifyLeafData(leaves[i]!, { index: i, treeSize: n, path }, root), `n=${n} i=${i}`).toBe(true);
        // wrong data, wrong index, wrong size, flipped path byte, truncated / extended path
        expect(await verifyLeafData(leaves[i]! + 'x', { index: i, treeSize: n, path }, root)).toBe(false);
        if (n > 1) expect(await verifyLeafData(leaves[i]!, { index: (i + 1) % n, treeSize: n, path }, root)).toBe(false);
        // (The tree size is not bound by the path alone — RFC 9162 anchors it next to the root — so it is not tampered here.)
        if (path.length > 0) {
          const bad = path.map((p) => Buffer.from(p));
          const b0 = bad[0]!;
          b0[0] = b0[0]! ^ 1;
          expect(await verifyLeafData(leaves[i]!, { index: i, treeSize: n, path: bad }, root)).toBe(false);
          expect(await verifyLeafData(leaves[i]!, { index: i, treeSize: n, path: path.slice(1) }, root)).toBe(false);
        }
        expect(await verifyLeafData(leaves[i]!, { index: i, treeSize: n, path: [...path, t.root()] }, root)).toBe(false);
      }
    }
  });

  it('WebCrypto leaf hash equals the node:crypto one; hex proofs are accepted', async () => {
    expect(toHex(await leafHash('abc'))).toBe(toHex(hashLeaf('abc')));
    const t = MerkleTree.fromLeaves(CT_LEAVES);
    const proof = { index: 3, treeSize: 8, path: t.proof(3).map(toHex) };
    expect(await verifyInclusion(toHex(t.leafHash(3)), proof, CT_ROOTS[7]!)).toBe(true);
    expect(await rootFromProof(t.leafHash(3), { ...proof, index: 8 })).toBeUndefined();
  });

  it('rejects out-of-range indices', () => {
    const t = MerkleTree.fromLeaves(['a']);
    expect(() => t.proof(1)).toThrow(RangeError);
    expect(t.proof(0)).toEqual([]);
  });
});

describe('canonicalJson', () => {
  it('sorts keys, drops whitespace and undefined properties', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x', null, true], c: '0.10' }, u: undefined })).toBe('{"a":{"c":"0.10","d":[1,"x",null,true]},"b":1}');
  });
  it('sorts by UTF-16 code units and escapes like JSON', () => {
    expect(canonicalJson({ é: 1, z: 2, A: 3, '\n': 'a"b' })).toBe('{"\\n":"a\\"b","A":3,"z":2,"é":1}');
    expect(new TextDecoder().decode(canonicalBytes({ t: '爱' }))).toBe('{"t":"爱"}');
  });
  it('is the one definition shared with the ledger (refuses bigints: money must be a string)', async () => {
    const shared = await import('../canonical-json');
    expect(canonicalJson).toBe(shared.canonicalJson);
    expect(() => canonicalJson({ amount: 10n })).toThrow(TypeError);
    expect(canonicalJson(-0)).toBe('0');
  });
  it('is stable under key insertion order', () => {
    expect(canonicalJson({ x: 1, y: { b: 2, a: 1 } })).toBe(canonicalJson({ y: { a: 1, b: 2 }, x: 1 }));
  });
});
