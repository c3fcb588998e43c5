/**
 * Writes a run's outputs to a folder: payouts.csv, statements.csv, suspense.csv, proofs/ (one JSON
 * per rights holder with its lines and Merkle proofs) and summary.json; with a run id, also
 * anchor-plan.json. Every file is a function of the result only, so reruns are byte-identical.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson } from '../canonical-json';
import { anchorPlan } from '../engine/anchor-plan';
import type { DistributionResult } from '../engine/compute';
import { toHex } from '../merkle/verify';
import { currencyScale } from '../money';
import { CsvWriter } from './csv-writer';
import { LeafHashPipeline } from '../merkle/hash-pool';
import { MerkleTree } from '../merkle/tree';
import { StatementLeafWriter } from './leaf-writer';
import { formatMinor, statementLine, suspenseOutputLine } from './line';
import { holderStatement, suspenseRoot } from './proofs';

/** Columns of statements.csv. */
export const STATEMENT_COLUMNS = ['party_id', 'work_id', 'iswc', 'title', 'source', 'service', 'territory', 'period', 'use_type', 'plays', 'matched', 'share', 'gross', 'management_fee', 'deductions', 'net', 'leaf_index'] as const;
/** Columns of suspense.csv. */
export const SUSPENSE_COLUMNS = ['code', 'work_id', 'iswc', 'title', 'source', 'service', 'territory', 'period', 'use_type', 'lines', 'plays', 'share', 'gross', 'management_fee', 'deductions', 'net'] as const;

/** What {@link writeOutputs} wrote. */
export interface WrittenOutputs {
  merkleRoot: string;
  summary: Record<string, unknown>;
}

/** Options of {@link writeOutputs}. */
export interface WriteOptions {
  /** When given, anchor-plan.json is written for this run id. */
  runId?: string;
  /** Skip proofs/ (one file per holder): for very large runs where only the root is wanted. */
  proofs?: boolean;
  /** Extra members for summary.json (e.g. input issue counts). */
  extra?: Record<string, unknown>;
}

/** Writes every output file of `r` into `dir` (created; an existing proofs/ is replaced). */
export async function writeOutputs(r: DistributionResult, dir: string, opts: WriteOptions = {}): Promise<WrittenOutputs> {
  await mkdir(dir, { recursive: true });
  const scale = currencyScale(r.params.currency);
  const f = (v: bigint) => formatMinor(v, scale);

  const payouts = new CsvWriter(join(dir, 'payouts.csv'), ['party_id', 'amount']);
  for (const h of r.holders) if (h.payable > 0n) await payouts.row([h.partyId, f(h.payable)]);
  await payouts.close();

  const statements = new CsvWriter(join(dir, 'statements.csv'), STATEMENT_COLUMNS);
  // One pass: each line's leaf goes to the hashing pipeline and its row to statements.csv (awaiting back-pressure).
  const n = r.lines.count;
  const leafWriter = new StatementLeafWriter(r);
  const pipeline = new LeafHashPipeline(n);
  let levels: Buffer[];
  try {
    for (let i = 0; i < n; i++) {
      const l = statementLine(r, i);
      leafWriter.writeLeaf(i, pipeline);
      const matched = Object.entries(l.matched).map(([k, v]) => `${k}:${v}`).join('|');
      await statements.row([l.partyId, l.workId, l.iswc, l.title, l.source, l.service, l.territory, l.period, l.useType, l.plays, matched, l.share, l.gross, l.fee, l.deductions, l.net, i]);
    }
    pipeline.finish();
    levels = pipeline.levels();
  } finally {
    pipeline.close();
  }
  await statements.close();
  const tree = MerkleTree.fromLevels(levels, n);
  const merkleRoot = toHex(tree.root());

  const suspense = new CsvWriter(join(dir, 'suspense.csv'), SUSPENSE_COLUMNS);
  for (const s of r.suspenseLines) {
    const o = suspenseOutputLine(r, s);
    await suspense.row([o.code, o.workId, o.iswc, o.title, o.source, o.service, o.territory, o.period, o.useType, o.lines, o.plays, o.share, o.gross, o.fee, o.deductions, o.net]);
  }
  await suspense.close();

  if (opts.proofs !== false) {
    const pdir = join(dir, 'proofs');
    await rm(pdir, { recursive: true, force: true });
    await mkdir(pdir, { recursive: true });
    for (let h = 0; h < r.holders.length; h++) {
      await writeFile(join(pdir, `${r.holders[h]!.partyId}.json`), canonicalJson(holderStatement(r, tree, h)) + '\n');
    }
  }

  const t = r.totals;
  const summary: Record<string, unknown> = {
    currency: r.params.currency,
    method: r.params.params.method,
    right: r.params.params.right,
    gross: f(t.gross),
    management_fee: f(t.managementFee),
    deductions: f(t.deductions),
    distributable: f(t.distributable),
    allocated: f(t.allocated),
    suspense: f(t.suspense),
    carried_forward: f(t.carriedForward),
    rounding: f(t.rounding),
    merkle_root: merkleRoot,
    statement_line_count: r.lines.count,
    holder_count: r.holders.length,
    payee_count: r.holders.filter((h) => h.payable > 0n).length,
    suspense_line_count: r.suspenseLines.length,
    suspense_root: suspenseRoot(r),
    usage_lines: r.usageLines,
    unmatched_lines: r.unmatchedLines,
    usage_digest: r.inputs.usageDigest,
    repertoire_digest: r.inputs.repertoireDigest,
    parameters_digest: r.inputs.parametersDigest,
    parameters: r.params.params,
    ...opts.extra,
  };
  await writeFile(join(dir, 'summary.json'), JSON.stringify(JSON.parse(canonicalJson(summary)), null, 2) + '\n');
  if (opts.runId !== undefined) {
    await writeFile(join(dir, 'anchor-plan.json'), JSON.stringify(JSON.parse(canonicalJson(anchorPlan(r, merkleRoot, opts.runId))), null, 2) + '\n');
  }
  return { merkleRoot, summary };
}
