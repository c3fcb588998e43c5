/**
 * The validation report of an uploaded usage file: parsed with the distribution parsers in
 * quarantine mode (a bad line is reported, never fatal), each accepted line matched against the
 * collective's repertoire. One streaming pass; memory is bounded by the repertoire and the first
 * {@link MAX_REPORTED_REJECTS} rejects, never by the file.
 */
import { basename } from 'node:path';
import type { RepertoireIndex } from '@rtl/distribution/matching/index';
import { ParseError, type ParseStream, type RejectedLine, type RejectSink } from '@rtl/distribution/parsers/common';
import { parseUsageCsv } from '@rtl/distribution/parsers/csv';
import { parseDsr } from '@rtl/distribution/parsers/dsr';
import type { UsageLine } from '@rtl/distribution/parsers/usage';

/** How many rejected lines a report lists (the counts stay exact). */
export const MAX_REPORTED_REJECTS = 100;

/** Usage file formats. */
export type UsageFormat = 'dsr' | 'csv';

/** One rejected line as reported back. */
export interface ReportedReject {
  line: number;
  field: string | null;
  code: string;
  message: string;
}

/** The validation report stored with the upload and returned to the licensee. */
export interface UsageReport {
  format: UsageFormat;
  /** Physical lines read (header and trailer records included). */
  lines: number;
  /** Usage lines accepted by the parser. */
  accepted: number;
  /** Usage lines rejected by the parser. */
  rejected: number;
  /** Rejected lines plus structural errors (e.g. a trailer whose counts do not match). */
  errorCount: number;
  warningCount: number;
  /** The first {@link MAX_REPORTED_REJECTS} errors, by line. */
  rejects: ReportedReject[];
  rejectsTruncated: boolean;
  matched: { lines: number; plays: string; byMethod: Record<string, number> };
  unmatched: { lines: number; plays: string; byReason: Record<string, number> };
  /** Σ plays over accepted lines, as a decimal string (it can exceed 2^53 in a large report). */
  totalPlays: string;
}

/** A usage file the parser could not read at all (e.g. a wrong CSV header): nothing is stored. */
export class UnreadableUsageFile extends Error {
  constructor(readonly code: string, readonly line: number, readonly field: string | undefined, message: string) {
    super(message);
    this.name = 'UnreadableUsageFile';
  }
}

class FirstRejects implements RejectSink {
  readonly kept: ReportedReject[] = [];
  total = 0;
  push(r: RejectedLine): void {
    this.total++;
    if (this.kept.length < MAX_REPORTED_REJECTS) this.kept.push({ line: r.line, field: r.field ?? null, code: r.code, message: r.message });
  }
}

/** Parses and matches the usage file at `path`. */
export async function validateUsageFile(path: string, format: UsageFormat, index: RepertoireIndex, originalName = basename(path)): Promise<UsageReport> {
  const rejects = new FirstRejects();
  const stream: ParseStream<UsageLine> =
    format === 'dsr'
      ? parseDsr(path, { onError: 'quarantine', rejects, fileName: originalName, maxIssues: MAX_REPORTED_REJECTS })
      : parseUsageCsv(path, { onError: 'quarantine', rejects, maxIssues: MAX_REPORTED_REJECTS });
  const byMethod: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  let matchedLines = 0, unmatchedLines = 0;
  let matchedPlays = 0n, unmatchedPlays = 0n;
  try {
    for await (const batch of stream.batches()) {
      for (const u of batch) {
        const m = index.match(u);
        const plays = BigInt(u.plays);
        if (m.matched) {
          matchedLines++;
          matchedPlays += plays;
          byMethod[m.method] = (byMethod[m.method] ?? 0) + 1;
        } else {
          unmatchedLines++;
          unmatchedPlays += plays;
          byReason[m.reason] = (byReason[m.reason] ?? 0) + 1;
        }
      }
    }
  } catch (e) {
    if (e instanceof ParseError) throw new UnreadableUsageFile(e.code, e.line, e.field, e.message);
    throw e;
  }
  const s = stream.summary;
  return {
    format,
    lines: s.lines,
    accepted: s.accepted,
    rejected: s.rejected,
    errorCount: s.errorCount,
    warningCount: s.warningCount,
    rejects: rejects.kept.sort((a, b) => a.line - b.line),
    rejectsTruncated: rejects.total > rejects.kept.length,
    matched: { lines: matchedLines, plays: matchedPlays.toString(), byMethod },
    unmatched: { lines: unmatchedLines, plays: unmatchedPlays.toString(), byReason },
    totalPlays: (matchedPlays + unmatchedPlays).toString(),
  };
}
