/**
 * Usage-to-work matching against an in-memory repertoire index. All look-ups are Map hits; memory
 * is proportional to the repertoire (works, titles, recordings), never to the usage file.
 *
 * Order: work id → ISWC → ISRC (through recording–work links) → normalised title + creator.
 * The first method that yields exactly one work wins; each match records its method. The rules
 * live in {@link WorkMatcher}; this is its front-end for works held as objects.
 */
import { WorkMatcher, type MatchableUsage, type MatchableWorks, type MatchResult } from './matcher';

export { WorkMatcher, type MatchableUsage, type MatchableWorks, type MatchMethod, type MatchResult, type UnmatchedReason } from './matcher';

/** A work as the matcher needs it. */
export interface RepertoireWork {
  workId: string;
  /** Any accepted ISWC form; normalised on insert. */
  iswc?: string;
  /** Main title first, then alternate titles. */
  titles: readonly string[];
  /** Creator (writer) names. */
  creators: readonly string[];
}

/** Works held as {@link RepertoireWork} objects, by position. */
class WorkObjects implements MatchableWorks {
  readonly list: RepertoireWork[] = [];
  workId(i: number): string {
    return this.list[i]!.workId;
  }
  iswc(i: number): string | undefined {
    return this.list[i]!.iswc;
  }
  titleCount(i: number): number {
    return this.list[i]!.titles.length;
  }
  titleAt(i: number, k: number): string {
    return this.list[i]!.titles[k]!;
  }
  creatorCount(i: number): number {
    return this.list[i]!.creators.length;
  }
  creatorAt(i: number, k: number): string {
    return this.list[i]!.creators[k]!;
  }
}

/** An index over a repertoire; build once per distribution run, then call {@link RepertoireIndex.match} per usage line. */
export class RepertoireIndex {
  private readonly works = new WorkObjects();
  private readonly matcher = new WorkMatcher(this.works);

  /** Builds an index from works and recording→work links. */
  static async build(
    works: Iterable<RepertoireWork> | AsyncIterable<RepertoireWork>,
    recordings: Iterable<{ isrc: string; workId: string }> | AsyncIterable<{ isrc: string; workId: string }> = [],
  ): Promise<RepertoireIndex> {
    const idx = new RepertoireIndex();
    for await (const w of works) idx.addWork(w);
    for await (const r of recordings) idx.addRecording(r.isrc, r.workId);
    return idx;
  }

  /** Number of works. */
  get size(): number {
    return this.matcher.size;
  }

  /** Identifier conflicts seen while building (duplicate work ids, ISWCs on two works). */
  get buildConflicts(): readonly string[] {
    return this.matcher.buildConflicts;
  }

  /** The work with this id. */
  getWork(workId: string): RepertoireWork | undefined {
    const i = this.matcher.indexOf(workId);
    return i === undefined ? undefined : this.works.list[i];
  }

  /** Adds a work; a second work with the same id is refused (returns false). */
  addWork(work: RepertoireWork): boolean {
    const list = this.works.list;
    list.push(work);
    if (this.matcher.addWork(list.length - 1)) return true;
    list.pop();
    return false;
  }

  /** Links a recording (ISRC) to a work. A medley may link one ISRC to several works. */
  addRecording(isrc: string, workId: string): void {
    this.matcher.addRecording(isrc, workId);
  }

  /** Matches one usage line. */
  match(u: MatchableUsage): MatchResult {
    return this.matcher.result(this.matcher.matchIndex(u));
  }
}
