/**
 * The committed world state in memory: a sorted B+ tree of key -> (value, version), ordered like
 * LevelDB. Published trees are never mutated: a block is validated and applied on a copy-on-write
 * clone that replaces the published tree only once the block is durable, so every simulation
 * reads one consistent snapshot, as a peer's simulator does under its state lock.
 */
import BTreeImport from 'sorted-btree';

// sorted-btree is CommonJS with `exports.default`: bundlers unwrap it, Node's ESM loader hands over
// the whole module object. Take the class either way.
const BTree = ((BTreeImport as unknown as { default?: typeof BTreeImport }).default ?? BTreeImport) as typeof BTreeImport;
type BTree<K, V> = BTreeImport<K, V>;
import { compareKeys } from './keys';
import { StateHasher } from './hashing';

/** Height of the block and index of the transaction that last wrote a key. */
export interface Version {
  block: number;
  tx: number;
}

/** A committed value with its version. */
export interface StateEntry {
  readonly value: Buffer;
  readonly block: number;
  readonly tx: number;
}

/** A sorted key -> entry map (a clone of the tree is O(1), copy-on-write). */
export type StateTree = BTree<string, StateEntry>;

/** Creates an empty state tree with Fabric's key order. */
export function newStateTree(): StateTree {
  return new BTree<string, StateEntry>(undefined, compareKeys);
}

/** Whether two versions are the same; `null` stands for "absent". */
export function sameVersion(a: Version | null | undefined, b: Version | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.block === b.block && a.tx === b.tx;
}

/**
 * Entries with `start <= key < end` in key order; an empty `end` means no upper bound, like the
 * peer's range iterator.
 */
export function* scanRange(tree: StateTree, start: string, end: string): Generator<[string, StateEntry]> {
  for (const pair of tree.entries(start)) {
    if (end !== '' && compareKeys(pair[0], end) >= 0) return;
    yield pair;
  }
}

/** Hash over the whole sorted state (keys, values and versions). */
export function hashState(tree: StateTree): string {
  const hasher = new StateHasher();
  for (const [key, e] of tree.entries()) hasher.add(key, e.value, e.block, e.tx);
  return hasher.digest();
}

/** The published committed state; swapped whole, never edited in place. */
export class WorldState {
  private tree: StateTree;

  constructor(tree: StateTree = newStateTree()) {
    this.tree = tree;
  }

  /** The current committed tree; callers must treat it as read-only. */
  snapshot(): StateTree {
    return this.tree;
  }

  /** A private, writable copy to validate and apply a block on. */
  workingCopy(): StateTree {
    return this.tree.clone();
  }

  /** Publishes a working copy after its block became durable. */
  publish(tree: StateTree): void {
    this.tree = tree;
  }

  get size(): number {
    return this.tree.size;
  }

  hash(): string {
    return hashState(this.tree);
  }
}
