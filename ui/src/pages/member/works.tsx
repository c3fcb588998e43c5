/** A member's works and shares. */
import { Empty, ErrorBox, Loading, More, Num, PageTitle } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { Link } from '../../lib/router';
import { usePagedApi } from '../../lib/use-api';
import type { MemberWork } from './types';

/** `/member/works`. */
export function MyWorksPage() {
  const { t } = useI18n();
  const works = usePagedApi<MemberWork>('/api/member/works?limit=100');
  return (
    <section>
      <PageTitle title={t('myWorks.title')} lead={t('myWorks.lead')} />
      <ErrorBox error={works.error} />
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('work.title')}</th>
              <th scope="col">ISWC</th>
              <th scope="col">{t('work.creators')}</th>
              <th scope="col">{t('myWorks.myShares')}</th>
            </tr>
          </thead>
          <tbody>
            {works.data?.map((w) => (
              <tr key={w.id}>
                <td>
                  <Link href={`/works/${encodeURIComponent(w.id)}`}>{w.title}</Link>
                </td>
                <td class="mono">{w.iswc ?? '—'}</td>
                <td>{w.creators.map((c) => c.name).join(', ')}</td>
                <td>
                  {w.shares.map((s) => (
                    <div key={s.rightType}>
                      {enumLabel(t, 'right', s.rightType)}: <Num value={s.share} />%
                      {s.unclaimed !== '0' && !/^0(\.0+)?$/.test(s.unclaimed) ? (
                        <span class="muted small">
                          {' '}
                          ({t('work.unclaimed')} <Num value={s.unclaimed} />
                          %)
                        </span>
                      ) : null}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Loading when={works.loading} />
      <Empty when={!works.loading && works.data?.length === 0}>{t('common.none')}</Empty>
      <More more={works.more} loading={works.loading} />
    </section>
  );
}
