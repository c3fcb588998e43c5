/**
 * The RFC 6962 Merkle tree over each distribution run's statement lines (leaf = the line's
 * canonical JSON, as stored in `offchain.statement_lines.leaf`, in `line_index` order), cached per
 * run so that a member paging through a statement or fetching proofs one by one does not rehash
 * the run each time. 64 bytes per line; the least recently used runs are dropped first.
 */
import type postgres from 'postgres';
import { hashLeafTextInto, MerkleTree } from '@rtl/distribution/merkle/tree';

/** Runs kept in memory at once. */
export const MAX_CACHED_RUNS = 16;

interface Entry {
  /** Lines the tree was built over; a different count (lines still being written) rebuilds it. */
  count: number;
  tree: Promise<MerkleTree>;
}

/** Per-run cache of statement trees. */
export class StatementTrees {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly sql: postgres.Sql) {}

  /**
   * The tree of `runId`'s statement lines. `final` says the caller checked the run's lines no longer
   * change (anchoring or done): a tree already built for it is then served without counting the
   * lines again.
   */
  async get(runId: string, final = false): Promise<MerkleTree> {
    if (final) {
      const hit = this.entries.get(runId);
      if (hit) {
        this.entries.delete(runId);
        this.entries.set(runId, hit);
        return hit.tree;
      }
    }
    const [row] = await this.sql<{ n: number }[]>`select count(*)::int as n from offchain.statement_lines where run_id = ${runId}`;
    const count = row?.n ?? 0;
    const hit = this.entries.get(runId);
    if (hit && hit.count === count) {
      // Re-insert to mark it most recently used.
      this.entries.delete(runId);
      this.entries.set(runId, hit);
      return hit.tree;
    }
    const tree = this.build(runId, count);
    this.entries.delete(runId);
    this.entries.set(runId, { count, tree });
    while (this.entries.size > MAX_CACHED_RUNS) this.entries.delete(this.entries.keys().next().value as string);
    tree.catch(() => {
      if (this.entries.get(runId)?.tree === tree) this.entries.delete(runId);
    });
    return tree;
  }

  private async build(runId: string, count: number): Promise<MerkleTree> {
    const buf = Buffer.allocUnsafe(count * 32);
    let i = 0;
    for await (const rows of this.sql<{ line_index: number; leaf: string }[]>`
      select line_index, leaf from offchain.statement_lines where run_id = ${runId} order by line_index`.cursor(5000)) {
      for (const r of rows) {
        // A proof's index is the leaf's position: a gap would silently prove the wrong line.
        if (r.line_index !== i || i >= count) throw new Error(`statement lines of run ${runId} are not numbered 0..${count - 1} (found ${r.line_index} at ${i})`);
        hashLeafTextInto(r.leaf, buf, i * 32);
        i++;
      }
    }
    if (i !== count) throw new Error(`run ${runId}: expected ${count} statement lines, read ${i}`);
    return MerkleTree.fromLeafHashBuffer(buf, count);
  }
}
