/**
 * What a distribution run hands to the ledger: per-rights-holder lines in batches, each committed
 * by a digest when the run is opened. The chaincode recomputes the same digest, so both sides use
 * this one definition.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** A per-rights-holder line of a distribution batch: amounts as decimal strings. */
export interface BatchLine {
  partyId: string;
  /** Amount credited to the member's payable account. */
  payable: string;
  /** Amount below the payment threshold, carried forward on the member's carried account. */
  carried: string;
}

/** Most lines one batch transaction may carry (keeps every transaction well under Fabric's limits). */
export const MAX_BATCH_LINES = 500;

/** The digest that commits a batch: hex SHA-256 over the canonical JSON of run id, batch number and lines. */
export function batchDigest(runId: string, batchNo: number, lines: readonly BatchLine[]): string {
  return createHash('sha256').update(canonicalJson({ runId, batchNo, lines })).digest('hex');
}
