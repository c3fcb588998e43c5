/**
 * The anchor plan: exactly what the gateway sends to the ledger for a run. `open` is the argument
 * object of `openDistribution` without `commandId`, `collectiveId` and `pool` (the caller adds
 * them); `batches` are the `postDistributionBatch` line sets, each committed in `open.batches` by
 * the same `batchDigest` the chaincode recomputes.
 */
import { batchDigest, MAX_BATCH_LINES, type BatchLine } from '../anchor';
import { currencyScale } from '../money';
import { formatMinor } from '../statements/line';
import type { DistributionResult } from './compute';
import { PARTY_ID_RE } from './repertoire';

/** A batch commitment as `openDistribution` takes it. */
export interface BatchCommitment {
  batchNo: number;
  lineCount: number;
  total: string;
  digest: string;
}

/** `openDistribution` arguments minus `commandId`, `collectiveId` and `pool`. */
export interface OpenDistributionPlan {
  runId: string;
  currency: string;
  method: 'pro_rata_points' | 'per_line_amounts';
  gross: string;
  managementFee: string;
  deductions: string;
  allocated: string;
  suspense: string;
  carriedForward: string;
  rounding: string;
  holderCount: number;
  statementLineCount: number;
  merkleRoot: string;
  inputs: { usageDigest: string; repertoireDigest: string; parametersDigest: string };
  batches: BatchCommitment[];
}

/** One `postDistributionBatch` payload minus `commandId`. */
export interface BatchPlan {
  runId: string;
  batchNo: number;
  lines: BatchLine[];
}

/** The whole plan. */
export interface AnchorPlan {
  open: OpenDistributionPlan;
  batches: BatchPlan[];
}

/**
 * Builds the anchor plan of a run. Lines: every rights holder with a non-zero amount, by party id,
 * at most {@link MAX_BATCH_LINES} per batch.
 * @throws RangeError when `runId` is not a ledger id or the Merkle root is not a hex SHA-256.
 */
export function anchorPlan(r: DistributionResult, merkleRoot: string, runId: string): AnchorPlan {
  if (!PARTY_ID_RE.test(runId)) throw new RangeError(`run id ${JSON.stringify(runId)} is not a ledger id (letters, digits, ".", "_", "-"; at most 64)`);
  if (!/^[0-9a-f]{64}$/.test(merkleRoot)) throw new RangeError('merkleRoot must be a lower-case hex SHA-256');
  const scale = currencyScale(r.params.currency);
  const f = (v: bigint) => formatMinor(v, scale);
  const lines: BatchLine[] = [];
  for (const h of r.holders) if (h.net > 0n) lines.push({ partyId: h.partyId, payable: f(h.payable), carried: f(h.carried) });
  const batches: BatchPlan[] = [];
  const commitments: BatchCommitment[] = [];
  for (let i = 0, batchNo = 0; i < lines.length; i += MAX_BATCH_LINES, batchNo++) {
    const chunk = lines.slice(i, i + MAX_BATCH_LINES);
    const total = chunk.reduce((a, l) => a + parseMinorAt(l.payable, scale) + parseMinorAt(l.carried, scale), 0n);
    batches.push({ runId, batchNo, lines: chunk });
    commitments.push({ batchNo, lineCount: chunk.length, total: f(total), digest: batchDigest(runId, batchNo, chunk) });
  }
  const t = r.totals;
  return {
    open: {
      runId,
      currency: r.params.currency,
      method: r.params.params.method,
      gross: f(t.gross),
      managementFee: f(t.managementFee),
      deductions: f(t.deductions),
      allocated: f(t.allocated),
      suspense: f(t.suspense),
      carriedForward: f(t.carriedForward),
      rounding: f(t.rounding),
      holderCount: lines.length,
      statementLineCount: r.lines.count,
      merkleRoot,
      inputs: { ...r.inputs },
      batches: commitments,
    },
    batches,
  };
}

function parseMinorAt(s: string, scale: number): bigint {
  return BigInt(scale === 0 ? s : s.replace('.', ''));
}
