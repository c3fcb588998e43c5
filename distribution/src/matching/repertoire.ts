/** Adapters from parsed registrations to the matcher's {@link RepertoireWork}. */
import type { CwrWork } from '../parsers/cwr';
import type { CsvWork } from '../parsers/csv';
import type { RepertoireWork } from './index';

/** A CWR work as a repertoire entry: title + alternate titles, writers as "first last". */
export function repertoireFromCwr(w: CwrWork, workId: string = w.submitterWorkId): RepertoireWork {
  const r: RepertoireWork = {
    workId,
    titles: [w.title, ...w.alternateTitles.map((a) => a.title)],
    creators: w.writers.filter((x) => !x.unknown && x.lastName !== '').map((x) => (x.firstName ? `${x.firstName} ${x.lastName}` : x.lastName)),
  };
  if (w.iswc) r.iswc = w.iswc;
  return r;
}

/** Recording links (ISRC → work) of a CWR work. */
export function recordingsFromCwr(w: CwrWork, workId: string = w.submitterWorkId): { isrc: string; workId: string }[] {
  return w.recordings.flatMap((r) => (r.isrc ? [{ isrc: r.isrc, workId }] : []));
}

// Roles in works.csv that name publishers rather than creators (CWR codes and plain words).
const PUBLISHER_ROLES = new Set(['e', 'am', 'se', 'pa', 'aq', 'es', 'publisher', 'sub-publisher', 'administrator', 'original publisher']);

/** A `works.csv` work as a repertoire entry: creators are the parties whose role is not a publisher role. */
export function repertoireFromCsv(w: CsvWork): RepertoireWork {
  const names = new Set<string>();
  for (const s of [...w.shares.performing, ...w.shares.mechanical]) {
    if (!PUBLISHER_ROLES.has(s.role.toLowerCase()) && s.partyName) names.add(s.partyName);
  }
  const r: RepertoireWork = { workId: w.workId, titles: [w.title], creators: [...names] };
  if (w.iswc) r.iswc = w.iswc;
  return r;
}
