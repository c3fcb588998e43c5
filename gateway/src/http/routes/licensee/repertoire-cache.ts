/**
 * The matcher's repertoire index of one collective, built from the read model (`rm.works`,
 * `rm.work_creators`, `rm.recordings`) and cached per collective. The cache entry remembers the
 * read model checkpoint it was built at and is rebuilt once the checkpoint moves, so a work
 * registered a moment ago is matched by the next upload; concurrent requests share one build.
 */
import type postgres from 'postgres';
import { RepertoireIndex, type RepertoireWork } from '@rtl/distribution/matching/index';

// Creator roles that name publishers, not writers: usage reports credit writers, and a publisher's
// name matching a title would be a false positive.
const PUBLISHER_ROLES = new Set(['publisher', 'sub-publisher', 'administrator', 'original publisher', 'e', 'se', 'am', 'pa', 'aq', 'es']);

interface Entry {
  checkpoint: string;
  index: Promise<RepertoireIndex>;
}

/** Per-collective cache of repertoire indexes, invalidated when the read model checkpoint moves. */
export class RepertoireCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly sql: postgres.Sql) {}

  /** The index of `collectiveId` as of the read model's current checkpoint. */
  async get(collectiveId: string): Promise<RepertoireIndex> {
    const [cp] = await this.sql<{ k: string }[]>`select block_number::text || ':' || tx_index::text as k from rm.checkpoint`;
    const checkpoint = cp?.k ?? 'empty';
    const cached = this.entries.get(collectiveId);
    if (cached && cached.checkpoint === checkpoint) return cached.index;
    const index = this.build(collectiveId);
    this.entries.set(collectiveId, { checkpoint, index });
    // A failed build must not stay cached.
    index.catch(() => {
      if (this.entries.get(collectiveId)?.index === index) this.entries.delete(collectiveId);
    });
    return index;
  }

  private async build(collectiveId: string): Promise<RepertoireIndex> {
    const sql = this.sql;
    const works = new Map<string, RepertoireWork & { creators: string[] }>();
    // Cursors keep memory to one batch of rows at a time while the index itself grows.
    for await (const rows of sql<{ id: string; iswc: string | null; title: string; alt: string[] | null }[]>`
      select id, iswc, title, data->'alternateTitles' as alt from rm.works where collective_id = ${collectiveId} order by id`.cursor(2000)) {
      for (const r of rows) works.set(r.id, { workId: r.id, ...(r.iswc && { iswc: r.iswc }), titles: [r.title, ...(r.alt ?? [])], creators: [] });
    }
    for await (const rows of sql<{ work_id: string; name: string; role: string }[]>`
      select c.work_id, c.name, c.role from rm.work_creators c join rm.works w on w.id = c.work_id
      where w.collective_id = ${collectiveId} order by c.work_id, c.position`.cursor(5000)) {
      for (const r of rows) if (!PUBLISHER_ROLES.has(r.role.toLowerCase())) works.get(r.work_id)?.creators.push(r.name);
    }
    const index = await RepertoireIndex.build(works.values());
    for await (const rows of sql<{ isrc: string; work_id: string }[]>`
      select isrc, work_id from rm.recordings where collective_id = ${collectiveId} order by isrc`.cursor(5000)) {
      for (const r of rows) index.addRecording(r.isrc, r.work_id);
    }
    return index;
  }
}
