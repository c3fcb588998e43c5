/** Repertoire search (title, ISWC, ISRC, creator) and a work's page with its creators, shares and recordings. */
import { useState } from 'preact/hooks';
import { Empty, ErrorBox, Loading, More, Num, PageTitle, TxLink } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { qs } from '../../lib/api';
import { Link, navigate, useLocation } from '../../lib/router';
import { useApi, usePagedApi } from '../../lib/use-api';
import type { PublicWork, WorkSummary } from './types';

/** The search page; the query lives in the URL so results can be linked. */
export function RepertoirePage() {
  const { t } = useI18n();
  const { query } = useLocation();
  const q = query.get('q') ?? '';
  const by = query.get('by') ?? 'q';
  const [text, setText] = useState(q);
  const [field, setField] = useState(by);
  const path = q ? `/api/public/repertoire${qs({ [by]: q, limit: 25 })}` : null;
  const list = usePagedApi<WorkSummary>(path);
  return (
    <section>
      <PageTitle title={t('repertoire.title')} lead={t('repertoire.lead')} />
      <form
        class="form search-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`/repertoire${qs({ q: text.trim(), by: field })}`);
        }}
      >
        <label>
          {t('repertoire.searchBy')}
          <select value={field} onChange={(e) => setField(e.currentTarget.value)}>
            <option value="q">{t('repertoire.byTitle')}</option>
            <option value="creator">{t('repertoire.byCreator')}</option>
            <option value="iswc">ISWC</option>
            <option value="isrc">ISRC</option>
          </select>
        </label>
        <label class="grow">
          {t('repertoire.query')}
          <input type="search" name="q" value={text} onInput={(e) => setText(e.currentTarget.value)} required />
        </label>
        <button class="btn" type="submit">
          {t('common.search')}
        </button>
      </form>
      <ErrorBox error={list.error} />
      {list.data && list.data.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <caption class="sr-only">{t('repertoire.results')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('work.title')}</th>
                <th scope="col">ISWC</th>
                <th scope="col">{t('work.creators')}</th>
                <th scope="col">{t('common.collective')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((w) => (
                <tr key={w.id}>
                  <td>
                    <Link href={`/works/${encodeURIComponent(w.id)}`}>{w.title}</Link>
                  </td>
                  <td class="mono">{w.iswc ?? '—'}</td>
                  <td>{w.creators.map((c) => c.name).join(', ')}</td>
                  <td>{w.collectiveId}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Loading when={list.loading} />
      <Empty when={!!path && !list.loading && list.data?.length === 0}>{t('repertoire.noResults')}</Empty>
      <More more={list.more} loading={list.loading} />
    </section>
  );
}

/** A work's page. */
export function WorkPage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const work = useApi<PublicWork>(`/api/public/works/${encodeURIComponent(params.id ?? '')}`);
  const w = work.data;
  return (
    <section>
      <p>
        <Link href="/repertoire">← {t('repertoire.title')}</Link>
      </p>
      <ErrorBox error={work.error} />
      <Loading when={work.loading} />
      {w && (
        <>
          <PageTitle title={w.title} lead={`${w.id} · ${w.collectiveId}${w.iswc ? ` · ISWC ${w.iswc}` : ''}`} />
          {w.alternateTitles.length > 0 && (
            <p>
              {t('work.alternateTitles')}: {w.alternateTitles.join(' / ')}
            </p>
          )}
          <h2>{t('work.creators')}</h2>
          <ul>
            {w.creators.map((c, i) => (
              <li key={i}>
                {c.name} ({enumLabel(t, 'creatorRole', c.role)}){c.ipiNameNumber ? ` · IPI ${c.ipiNameNumber}` : ''}
              </li>
            ))}
          </ul>
          <h2>{t('work.shares')}</h2>
          {w.shares.map((s) => (
            <div class="table-wrap" key={s.rightType}>
              <table class="table compact">
                <caption>
                  {enumLabel(t, 'right', s.rightType)} · {t('work.effectiveFrom')} {s.effectiveFrom}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('work.holder')}</th>
                    <th scope="col" class="r">
                      {t('work.sharePercent')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {s.holders.map((h) => (
                    <tr key={h.partyId}>
                      <td>
                        {h.name ?? h.partyId} <span class="muted">{h.partyId}</span>
                      </td>
                      <td class="r">
                        <Num value={h.share} />
                      </td>
                    </tr>
                  ))}
                  <tr>
                    <td>{t('work.unclaimed')}</td>
                    <td class="r">
                      <Num value={s.unclaimed} />
                    </td>
                  </tr>
                </tbody>
              </table>
            </div>
          ))}
          <h2>{t('work.recordings')}</h2>
          <Empty when={w.recordings.length === 0}>{t('common.none')}</Empty>
          <ul>
            {w.recordings.map((r, i) => (
              <li key={i}>
                {r.title ?? r.id} {r.artist ? `· ${r.artist}` : ''} {r.isrc ? <span class="mono">ISRC {r.isrc}</span> : null}
              </li>
            ))}
          </ul>
          <p class="small muted">
            {t('common.receipt')}: <TxLink txId={w.txId} />
          </p>
        </>
      )}
    </section>
  );
}
