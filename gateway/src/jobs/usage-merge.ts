/**
 * Usage of several usage reports in one run. The engine aggregates one usage file at a time; each
 * report is aggregated on its own (labelled with its report id, which becomes the statement line's
 * `source`, so a member can trace a line to the report and its licensee) and the aggregates are
 * merged by renumbering their usage sources. Sources of different reports never coincide, so no
 * two buckets merge and the allocation is the same as over one concatenated file.
 */
import { createHash } from 'node:crypto';
import { aggregateUsage, BucketStore, type UsageAggregates, type UsageSource, type UnmatchedBucket } from '@rtl/distribution/engine/aggregate';
import type { ResolvedParameters } from '@rtl/distribution/engine/parameters';
import type { EngineRepertoire } from '@rtl/distribution/engine/repertoire';
import { canonicalJson } from '@rtl/distribution/canonical-json';
import { emptySummary, type RejectedLine } from '@rtl/distribution/parsers/common';

/** A usage report the run reads. */
export interface UsageInput {
  id: string;
  format: 'dsr' | 'csv';
  path: string;
}

/** Keeps the first rejected lines of the usage files for the run's summary; counts stay exact in the parse summary. */
class BoundedRejects {
  readonly lines: Array<RejectedLine & { report: string }> = [];
  report = '';
  push(r: RejectedLine): void {
    if (this.lines.length < 100) this.lines.push({ ...r, report: this.report });
  }
}

/**
 * Aggregates every report over `rep` and merges the results. `usageDigest` of a single report is
 * its file's SHA-256 (what the engine's CLI would record); of several, the SHA-256 of the canonical
 * JSON `[{id, sha256}…]` in report-id order.
 */
export async function aggregateReports(
  reports: readonly UsageInput[],
  rep: EngineRepertoire,
  rp: ResolvedParameters,
  onProgress?: (reportsDone: number, lines: number) => void,
): Promise<{ usage: UsageAggregates; digests: Array<{ id: string; sha256: string }>; rejects: BoundedRejects['lines'] }> {
  const sorted = [...reports].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rejects = new BoundedRejects();
  const parts: UsageAggregates[] = [];
  let lines = 0;
  for (const [i, r] of sorted.entries()) {
    rejects.report = r.id;
    const agg = await aggregateUsage(r.path, rep, rp, {
      format: r.format === 'dsr' ? 'dsr' : 'usage-csv',
      label: r.id,
      onError: 'quarantine',
      rejects,
      onProgress: (n) => onProgress?.(i, lines + n),
    });
    lines += agg.lines;
    parts.push(agg);
    onProgress?.(i + 1, lines);
  }
  const digests = sorted.map((r, i) => ({ id: r.id, sha256: parts[i]!.digest }));
  return { usage: mergeAggregates(parts, digests), digests, rejects: rejects.lines };
}

/** Merges aggregates of different usage files (their sources are renumbered one after the other). */
export function mergeAggregates(parts: readonly UsageAggregates[], digests: ReadonlyArray<{ id: string; sha256: string }>): UsageAggregates {
  const sources: UsageSource[] = [];
  const buckets = new BucketStore(parts.reduce((n, p) => n + p.buckets.count, 0));
  const unmatched = new Map<string, UnmatchedBucket>();
  const summary = emptySummary();
  let amountUnits = 0n;
  let lines = 0;
  for (const p of parts) {
    const off = sources.length;
    sources.push(...p.sources);
    for (let i = 0; i < p.buckets.count; i++) buckets.copyFrom(p.buckets, i, p.buckets.source[i]! + off);
    for (const u of p.unmatched.values()) unmatched.set(`${u.reason}\u0001${u.source + off}`, { ...u, source: u.source + off });
    amountUnits += p.amountUnits;
    lines += p.lines;
    summary.lines += p.summary.lines;
    summary.accepted += p.summary.accepted;
    summary.rejected += p.summary.rejected;
    summary.errorCount += p.summary.errorCount;
    summary.warningCount += p.summary.warningCount;
    summary.errors.push(...p.summary.errors.slice(0, 100));
    summary.warnings.push(...p.summary.warnings.slice(0, 100));
  }
  const digest = digests.length === 1 ? digests[0]!.sha256 : createHash('sha256').update(canonicalJson(digests)).digest('hex');
  return { format: parts[0]?.format ?? 'usage-csv', digest, sources, buckets, unmatched, amountUnits, lines, summary };
}
