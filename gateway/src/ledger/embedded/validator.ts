/**
 * Commit-time validation, in block order, as a Fabric peer's MVCC validator does it: duplicate
 * transaction ids, then every read's version against committed state (including the writes of
 * earlier valid transactions of the same block), then every range scan re-executed to detect
 * phantoms. Valid transactions' writes are applied to the working state as they pass.
 */
import type { RwSet, RangeQueryInfo } from './rwset';
import { sameVersion, scanRange, type StateTree } from './world-state';

/** Fabric's transaction validation codes that this ledger can assign. */
export type ValidationCode = 'VALID' | 'MVCC_READ_CONFLICT' | 'PHANTOM_READ_CONFLICT' | 'DUPLICATE_TXID';

/** The part of a transaction the validator needs. */
export interface ValidatableTx {
  txId: string;
  rwset: RwSet;
}

/** A key's final change in a block: the value (or `null` for delete) and the writing tx index. */
export interface StateChange {
  key: string;
  value: Buffer | null;
  tx: number;
}

/** Result of validating a block. */
export interface BlockValidation {
  codes: ValidationCode[];
  /** Last change per key among valid transactions, for the state table. */
  changes: Map<string, StateChange>;
}

function rangeUnchanged(state: StateTree, q: RangeQueryInfo): boolean {
  const it = scanRange(state, q.start, q.end);
  for (const recorded of q.results) {
    const r = it.next();
    if (r.done) return false; // a key that was read has since been deleted
    const [key, entry] = r.value;
    if (key !== recorded.key || !sameVersion(entry, recorded.version)) return false;
  }
  // A scan read to its end also saw that nothing followed; a newly inserted key is a phantom.
  // A scan stopped early only vouches for the keys it returned (Fabric does the same).
  return !q.exhausted || it.next().done === true;
}

/**
 * Validates a block's transactions in order and applies the valid ones to `working` (a private
 * copy of committed state) with version (blockNumber, txIndex).
 *
 * @param committedTxIds ids of this block's transactions that already exist in the ledger
 */
export function validateBlock(
  blockNumber: number,
  txs: readonly ValidatableTx[],
  working: StateTree,
  committedTxIds: ReadonlySet<string>,
): BlockValidation {
  const codes: ValidationCode[] = [];
  const changes = new Map<string, StateChange>();
  const seen = new Set<string>();
  txs.forEach((tx, index) => {
    let code: ValidationCode = 'VALID';
    if (seen.has(tx.txId) || committedTxIds.has(tx.txId)) code = 'DUPLICATE_TXID';
    else {
      for (const [key, version] of tx.rwset.reads) {
        if (!sameVersion(working.get(key), version)) {
          code = 'MVCC_READ_CONFLICT';
          break;
        }
      }
      if (code === 'VALID' && !tx.rwset.ranges.every((q) => rangeUnchanged(working, q))) code = 'PHANTOM_READ_CONFLICT';
    }
    seen.add(tx.txId);
    codes.push(code);
    if (code !== 'VALID') return;
    for (const [key, value] of tx.rwset.writes) {
      if (value === null) working.delete(key);
      else working.set(key, { value, block: blockNumber, tx: index });
      changes.set(key, { key, value, tx: index });
    }
  });
  return { codes, changes };
}
