/** Unidentified works whose royalties are held in suspense: searchable, so a rights holder can recognise a work and claim it. */
import { useState } from 'preact/hooks';
import { Empty, ErrorBox, Loading, Money, More, Num, PageTitle } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { qs } from '../../lib/api';
import { Link } from '../../lib/router';
import { usePagedApi } from '../../lib/use-api';
import type { SuspenseWork } from './types';

/** The list. */
export function UnidentifiedPage() {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const list = usePagedApi<SuspenseWork>(`/api/public/suspense/works${qs({ q, limit: 50 })}`);
  return (
    <section>
      <PageTitle title={t('unidentified.title')} lead={t('unidentified.lead')} />
      <form
        class="form search-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQ(text.trim());
        }}
      >
        <label class="grow">
          {t('unidentified.search')}
          <input type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <button class="btn" type="submit">
          {t('common.search')}
        </button>
      </form>
      <ErrorBox error={list.error} />
      {list.data && list.data.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('work.title')}</th>
                <th scope="col">ISWC / ISRC</th>
                <th scope="col">{t('work.creators')}</th>
                <th scope="col" class="r">
                  {t('common.plays')}
                </th>
                <th scope="col" class="r">
                  {t('unidentified.held')}
                </th>
                <th scope="col">{t('unidentified.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((w, i) => (
                <tr key={i}>
                  <td>{w.title ?? '—'}</td>
                  <td class="mono">{[w.iswc, w.isrc].filter(Boolean).join(' / ') || '—'}</td>
                  <td>{w.creators.join(', ') || '—'}</td>
                  <td class="r">
                    <Num value={w.plays} />
                  </td>
                  <td class="r">
                    <Money value={w.amount} currency={w.currency} />
                  </td>
                  <td>{w.reasons.map((r) => enumLabel(t, 'suspenseReason', r)).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Loading when={list.loading} />
      <Empty when={!list.loading && list.data?.length === 0}>{t('unidentified.none')}</Empty>
      <More more={list.more} loading={list.loading} />
      <p>
        <Link href="/member/claims">{t('unidentified.claimHint')}</Link>
      </p>
    </section>
  );
}
