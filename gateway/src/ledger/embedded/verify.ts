/**
 * Recomputes the chain from what PostgreSQL holds: each block's data hash from its stored
 * transactions, each header hash, each link to the previous block, and finally the state
 * obtained by replaying every valid write set against the stored state table.
 */
import type { ChainVerification } from '../port';
import { dataHashOf } from './block';
import type { BlockStore } from './block-store';
import { blockHash, sha256Hex, StateHasher, ZERO_HASH } from './hashing';
import { compareKeys } from './keys';
import { parseRwSet } from './rwset';
import { hashState, newStateTree, type StateEntry } from './world-state';

/** Verification result with the replayed state hash when the chain is intact. */
export interface EmbeddedChainVerification extends ChainVerification {
  /** Hash of the state replayed from valid write sets (equals `stateHash()` when healthy). */
  stateHash?: string;
}

const PAGE = 200;

function sameEntry(a: StateEntry, b: StateEntry): boolean {
  return a.block === b.block && a.tx === b.tx && a.value.equals(b.value);
}

/**
 * Walks every stored block in order.
 * @param expectedHead the head the running ledger believes in (catches truncated tables)
 */
export async function verifyChain(store: BlockStore, expectedHead?: { height: bigint; lastHash: string }): Promise<EmbeddedChainVerification> {
  const replay = newStateTree();
  let expected = 0n;
  let previousHash = ZERO_HASH;
  const bad = (block: bigint, reason: string): EmbeddedChainVerification => ({ ok: false, height: expected, firstBadBlock: block, reason });

  for (;;) {
    const blocks = await store.blocks(expected, PAGE);
    for (const b of blocks) {
      if (b.number !== expected) return bad(expected, `block ${expected} is missing`);
      let dataHash: string;
      if (b.number === 0n) {
        if (b.config === null || b.txs.length > 0) return bad(0n, 'genesis block holds no config');
        dataHash = sha256Hex(b.config);
      } else {
        dataHash = dataHashOf(b.txs);
      }
      if (dataHash !== b.dataHash) return bad(b.number, `block ${b.number}: transactions do not match the data hash`);
      if (blockHash(b.number, b.previousHash, dataHash) !== b.hash) return bad(b.number, `block ${b.number}: header does not match its hash`);
      // A successor that no longer links here means this block's stored hash was rewritten.
      if (b.previousHash !== previousHash) {
        return b.number === 0n ? bad(0n, 'genesis block has a previous hash') : bad(b.number - 1n, `block ${b.number} does not link to block ${b.number - 1n}`);
      }
      for (const tx of b.txs) {
        if (tx.validationCode !== 'VALID') continue;
        for (const [key, value] of parseRwSet(tx.rwset).writes) {
          if (value === null) replay.delete(key);
          else replay.set(key, { value, block: Number(b.number), tx: tx.index });
        }
      }
      previousHash = b.hash;
      expected++;
    }
    if (blocks.length < PAGE) break;
  }

  if (expectedHead && (expectedHead.height !== expected || expectedHead.lastHash !== previousHash)) {
    const block = expected < expectedHead.height ? expected : expectedHead.height - 1n;
    return { ok: false, height: expected, firstBadBlock: block, reason: `stored chain ends at height ${expected}, the ledger's head is at ${expectedHead.height}` };
  }

  // Compare the stored state table with the replay, key by key, to name the first difference.
  const replayed = replay.entries();
  const storedHasher = new StateHasher();
  for await (const [key, entry] of store.storedState()) {
    storedHasher.add(key, entry.value, entry.block, entry.tx);
    const r = replayed.next();
    if (r.done || r.value[0] !== key || !sameEntry(r.value[1], entry)) {
      const missing = !r.done && compareKeys(r.value[0], key) < 0 ? r.value[0] : key;
      return { ok: false, height: expected, reason: `stored state differs from the replayed write sets at key ${JSON.stringify(missing)}` };
    }
  }
  const rest = replayed.next();
  if (!rest.done) {
    return { ok: false, height: expected, reason: `stored state lacks key ${JSON.stringify(rest.value[0])} written by the chain` };
  }
  const stateHash = hashState(replay);
  if (storedHasher.digest() !== stateHash) return { ok: false, height: expected, reason: 'stored state hash differs from the replayed state' };
  return { ok: true, height: expected, stateHash };
}
