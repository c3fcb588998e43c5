/** The usage-line shape every usage parser (DSR, CSV) produces and the matcher consumes. */

/** One line of reported usage, after parsing and identifier validation. */
export interface UsageLine {
  /** 1-based line of the record in its file. */
  line: number;
  /** Unique within the file: the report's own id, or one derived from the line. */
  usageId: string;
  /** The collective's own work id, when the licensee reports it. */
  workId?: string;
  /** Compact ISWC (`T0345246801`), check digit verified. */
  iswc?: string;
  /** Upper-case 12-character ISRC. */
  isrc?: string;
  /** Other identifiers the service sent (DSP resource ids, proprietary work ids). */
  proprietaryIds: string[];
  title?: string;
  /** Creator names as reported (composers, authors). */
  creators: string[];
  /** Number of uses (plays, streams). */
  plays: number;
  /** Revenue attributed to this line, as a decimal string; absent when the report carries none. */
  amount?: string;
}
