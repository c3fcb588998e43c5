/** The nine-month deadline tracker: every pool with money still undistributed, its deadline, days left and status, late ones first, with alerts. */
import { useState } from 'preact/hooks';
import { Badge, DateText, ErrorBox, Loading, Money, PageTitle } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { qs } from '../../lib/api';
import { Link } from '../../lib/router';
import { useApi } from '../../lib/use-api';
import type { Dashboard, Deadline } from './types';

const TONE = { ok: 'ok', due_soon: 'warn', late: 'bad' } as const;
const ORDER = { late: 0, due_soon: 1, ok: 2 } as const;

/** `/regulator/deadlines`. */
export function DeadlinesPage() {
  const { t } = useI18n();
  const [asOf, setAsOf] = useState('');
  const dash = useApi<Dashboard>(`/api/regulator/dashboard${qs({ asOf })}`);
  const d = dash.data;
  const rows: (Deadline & { collectiveId: string })[] = (d?.collectives ?? []).flatMap((c) => c.deadlines.map((x) => ({ ...x, collectiveId: c.collectiveId })));
  rows.sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.daysLeft - b.daysLeft);
  return (
    <section>
      <PageTitle title={t('deadlines.title')} lead={d?.deadlineRule ? t('deadlines.lead') : undefined} />
      <form class="form inline-form" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('regulator.asOf')}
          <input type="date" name="asOf" value={asOf} onInput={(e) => setAsOf(e.currentTarget.value)} />
        </label>
      </form>
      <ErrorBox error={dash.error} />
      <Loading when={dash.loading} />
      {d && (
        <>
          <p class="muted small">{d.deadlineRule}</p>
          <div
            class={`alert ${d.deadlineSummary.late > 0 ? 'alert-error' : d.deadlineSummary.due_soon > 0 ? 'alert-warn' : 'alert-ok'}`}
            role={d.deadlineSummary.late + d.deadlineSummary.due_soon > 0 ? 'alert' : 'status'}
            data-testid="deadline-summary"
          >
            {t('deadlines.summary', { asOf: d.asOf, ok: d.deadlineSummary.ok, soon: d.deadlineSummary.due_soon, late: d.deadlineSummary.late })}
          </div>
          <div class="table-wrap">
            <table class="table" data-testid="deadlines">
              <thead>
                <tr>
                  <th scope="col">{t('common.collective')}</th>
                  <th scope="col">{t('common.pool')}</th>
                  <th scope="col">{t('deadlines.collectionYear')}</th>
                  <th scope="col" class="r">
                    {t('transparency.undistributed')}
                  </th>
                  <th scope="col">{t('deadlines.deadline')}</th>
                  <th scope="col" class="r">
                    {t('deadlines.daysLeft')}
                  </th>
                  <th scope="col">{t('common.status')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={`${r.collectiveId}${r.account}${r.currency}${r.collectionYear}`} class={`row-${r.status}`}>
                    <td>{r.collectiveId}</td>
                    <td>
                      {enumLabel(t, 'right', r.rightType)} · {enumLabel(t, 'use', r.useType)} · {r.period}
                    </td>
                    <td>{r.collectionYear}</td>
                    <td class="r">
                      <Link href={`/regulator/figures/undistributed${qs({ collective: r.collectiveId, pool: `${r.rightType}:${r.useType}:${r.period}` })}`}>
                        <Money value={r.undistributed} currency={r.currency} />
                      </Link>
                    </td>
                    <td>
                      <DateText value={r.deadline} />
                    </td>
                    <td class="r">{r.daysLeft}</td>
                    <td>
                      <Badge tone={TONE[r.status]}>{enumLabel(t, 'deadlineStatus', r.status)}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
