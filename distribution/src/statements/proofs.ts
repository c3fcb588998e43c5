/**
 * The Merkle tree over a run's statement lines (leaf = canonical JSON of the line, RFC 6962), inclusion
 * proofs, and the per-rights-holder statement that carries its lines with their proofs.
 */
import { canonicalJson } from '../canonical-json';
import type { DistributionResult } from '../engine/compute';
import { hashLeafTextInto, MerkleRootBuilder, MerkleTree } from '../merkle/tree';
import { toHex } from '../merkle/verify';
import { currencyScale } from '../money';
import { StatementLeafWriter } from './leaf-writer';
import { formatMinor, statementLine, statementLineJsonAt, suspenseOutputLine, type StatementLine } from './line';

/**
 * Builds the Merkle tree over every statement line of `r`, in run order (leaves hashed and the tree
 * built on two threads for large runs). Memory: 64 bytes per line.
 * `onLine` sees each line and its canonical JSON as it is hashed (to write statements.csv in the same pass).
 */
export function buildStatementTree(r: DistributionResult, onLine?: (line: StatementLine, json: string, index: number) => void): MerkleTree {
  const n = r.lines.count;
  if (onLine) {
    const buf = Buffer.allocUnsafe(n * 32);
    const scale = currencyScale(r.params.currency);
    for (let i = 0; i < n; i++) {
      const json = statementLineJsonAt(r, i, scale);
      hashLeafTextInto(json, buf, i * 32);
      onLine(statementLine(r, i), json, i);
    }
    return MerkleTree.fromLeafHashBuffer(buf, n);
  }
  return MerkleTree.fromLevels(StatementLeafWriter.treeLevels(r), n);
}

/** Merkle root (hex) over the suspense lines' canonical JSON, for a regulator to check the suspense output. */
export function suspenseRoot(r: DistributionResult): string {
  const b = new MerkleRootBuilder();
  for (const s of r.suspenseLines) b.add(canonicalJson(suspenseOutputLine(r, s)));
  return toHex(b.root());
}

/** A statement line with its leaf index and audit path (hex, leaf side first). */
export interface ProvenLine {
  line: StatementLine;
  leafIndex: number;
  proof: string[];
}

/** One rights holder's statement: totals, lines and a proof per line against `merkleRoot`. */
export interface HolderStatement {
  partyId: string;
  currency: string;
  gross: string;
  fee: string;
  deductions: string;
  net: string;
  payable: string;
  carried: string;
  merkleRoot: string;
  treeSize: number;
  lines: ProvenLine[];
}

/** The statement of holder `h` (index into `r.holders`) with proofs from `tree`. */
export function holderStatement(r: DistributionResult, tree: MerkleTree, h: number): HolderStatement {
  const holder = r.holders[h]!;
  const scale = currencyScale(r.params.currency);
  const f = (v: bigint) => formatMinor(v, scale);
  const lines: ProvenLine[] = [];
  for (let i = holder.lineStart; i < holder.lineEnd; i++) {
    lines.push({ line: statementLine(r, i), leafIndex: i, proof: tree.proof(i).map((p) => toHex(p)) });
  }
  return {
    partyId: holder.partyId,
    currency: r.params.currency,
    gross: f(holder.gross),
    fee: f(holder.fee),
    deductions: f(holder.deductions),
    net: f(holder.net),
    payable: f(holder.payable),
    carried: f(holder.carried),
    merkleRoot: toHex(tree.root()),
    treeSize: tree.size,
    lines,
  };
}
