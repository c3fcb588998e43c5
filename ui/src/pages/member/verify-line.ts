/**
 * In-browser verification of a statement line: the browser recomputes the Merkle root from the
 * line's leaf and audit path with WebCrypto (`@rtl/distribution/merkle/verify`) and compares it
 * with the root the ledger recorded when the run was opened. The server's own `rootMatches` flag
 * is deliberately not used: the point is that the member need not trust the server.
 */
import { verifyLeafData } from '@rtl/distribution/merkle/verify';
import type { LineProof, StatementLine } from './types';

/** The outcome of verifying one line. */
export type LineVerdict =
  | { ok: true; blockNumber: string | null; root: string }
  | { ok: false; reason: 'no_anchor' | 'proof_mismatch' | 'leaf_differs' | 'error'; detail?: string };

/**
 * Verifies `proof` against its anchor, and that the verified leaf says what the statement shows
 * for the line (party, work and every amount) — a leaf that verifies but differs from the figures
 * on screen proves nothing about those figures.
 */
export async function verifyLine(line: StatementLine, proof: LineProof, partyId: string | undefined): Promise<LineVerdict> {
  try {
    const anchor = proof.anchor;
    if (!anchor) return { ok: false, reason: 'no_anchor' };
    const included = await verifyLeafData(proof.leaf, { index: proof.index, treeSize: anchor.treeSize, path: proof.proof }, anchor.merkleRoot);
    if (!included || proof.index !== line.index) return { ok: false, reason: 'proof_mismatch' };
    const leaf = JSON.parse(proof.leaf) as Record<string, unknown>;
    const same = (k: string, v: string | undefined) => v === undefined || leaf[k] === v;
    if (!same('partyId', partyId) || !same('workId', line.workId) || !same('gross', line.gross) || !same('fee', line.fee) || !same('deductions', line.deductions) || !same('net', line.net) || !same('currency', line.currency)) {
      return { ok: false, reason: 'leaf_differs' };
    }
    return { ok: true, blockNumber: anchor.blockNumber, root: anchor.merkleRoot };
  } catch (e) {
    return { ok: false, reason: 'error', detail: e instanceof Error ? e.message : String(e) };
  }
}
