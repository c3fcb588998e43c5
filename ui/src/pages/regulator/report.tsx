/** The annual transparency report per collective: a printable page, and CSV and JSON downloads from the API. */
import { useState } from 'preact/hooks';
import { ErrorBox, Loading, Money, PageTitle, Percent } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { apiText, downloadText, qs } from '../../lib/api';
import { useApi } from '../../lib/use-api';

type Amount = { currency: string; amount: string };

interface AnnualCollective {
  collectiveId: string;
  name: string;
  revenue: { byRightAndUse: (Amount & { rightType: string; useType: string })[]; total: Amount[] };
  managementCosts: { currency: string; fees: string; revenue: string; ratioToRevenue: string | null }[];
  deductions: Amount[];
  distributions: { rightType: string; useType: string; currency: string; gross?: string; managementFee?: string; feeRatio?: string | null; runs?: number }[];
  attributed: Amount[];
  paid: Amount[];
  undistributedByCollectionYear: { collectionYear: number; currency: string; amount: string; deadline: string }[];
  nonDistributableByCollectionYear: { collectionYear: number; currency: string; amount: string }[];
}

interface AnnualReport {
  year: number;
  from: string;
  to: string;
  generatedAt: string;
  definitions: Record<string, string>;
  collectives: AnnualCollective[];
}

function Amounts({ list }: { list: Amount[] }) {
  if (list.length === 0) return <span>—</span>;
  return (
    <>
      {list.map((a) => (
        <div key={a.currency}>
          <Money value={a.amount} currency={a.currency} />
        </div>
      ))}
    </>
  );
}

/** `/regulator/report`. */
export function AnnualReportPage() {
  const { t } = useI18n();
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [error, setError] = useState<Error>();
  const valid = /^\d{4}$/.test(year);
  const report = useApi<AnnualReport>(valid ? `/api/regulator/reports/annual/${year}` : null);
  const download = (format: 'csv' | 'json') => {
    setError(undefined);
    apiText(`/api/regulator/reports/annual/${year}${qs({ format })}`).then(
      (text) => downloadText(`annual-report-${year}.${format}`, text, format === 'csv' ? 'text/csv' : 'application/json'),
      (err: Error) => setError(err),
    );
  };
  const r = report.data;
  return (
    <section class="report">
      <PageTitle title={t('report.title', { year })} lead={t('report.lead')} />
      <form class="form inline-form no-print" onSubmit={(e) => e.preventDefault()}>
        <label>
          {t('report.year')}
          <input name="year" inputMode="numeric" value={year} onInput={(e) => setYear(e.currentTarget.value)} pattern="\d{4}" required />
        </label>
        <button type="button" class="btn btn-secondary" onClick={() => download('csv')} data-testid="download-csv">
          {t('common.downloadCsv')}
        </button>
        <button type="button" class="btn btn-secondary" onClick={() => download('json')} data-testid="download-json">
          {t('common.downloadJson')}
        </button>
        <button type="button" class="btn btn-secondary" onClick={() => window.print()}>
          {t('common.print')}
        </button>
      </form>
      <ErrorBox error={error ?? report.error} />
      <Loading when={report.loading} />
      {r &&
        r.collectives.map((c) => (
          <article class="card report-collective" key={c.collectiveId}>
            <h2>{c.name}</h2>
            <h3>{t('report.revenue')}</h3>
            <table class="table compact">
              <tbody>
                {c.revenue.byRightAndUse.map((x) => (
                  <tr key={`${x.rightType}${x.useType}${x.currency}`}>
                    <th scope="row">
                      {enumLabel(t, 'right', x.rightType)} · {enumLabel(t, 'use', x.useType)}
                    </th>
                    <td class="r">
                      <Money value={x.amount} currency={x.currency} />
                    </td>
                  </tr>
                ))}
                <tr class="total">
                  <th scope="row">{t('common.total')}</th>
                  <td class="r">
                    <Amounts list={c.revenue.total} />
                  </td>
                </tr>
              </tbody>
            </table>
            <dl class="dl">
              <dt>{t('report.managementCosts')}</dt>
              <dd>
                {c.managementCosts.map((m) => (
                  <div key={m.currency}>
                    <Money value={m.fees} currency={m.currency} /> ({t('report.ratioToRevenue')} <Percent ratio={m.ratioToRevenue} />)
                  </div>
                ))}
              </dd>
              <dt>{t('common.deductions')}</dt>
              <dd>
                <Amounts list={c.deductions} />
              </dd>
              <dt>{t('report.attributed')}</dt>
              <dd>
                <Amounts list={c.attributed} />
              </dd>
              <dt>{t('report.paid')}</dt>
              <dd>
                <Amounts list={c.paid} />
              </dd>
            </dl>
            <h3>{t('report.undistributed')}</h3>
            <table class="table compact">
              <thead>
                <tr>
                  <th scope="col">{t('deadlines.collectionYear')}</th>
                  <th scope="col" class="r">
                    {t('common.amount')}
                  </th>
                  <th scope="col">{t('deadlines.deadline')}</th>
                </tr>
              </thead>
              <tbody>
                {c.undistributedByCollectionYear.map((u) => (
                  <tr key={`${u.collectionYear}${u.currency}`}>
                    <td>{u.collectionYear}</td>
                    <td class="r">
                      <Money value={u.amount} currency={u.currency} />
                    </td>
                    <td>{u.deadline}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>{t('report.nonDistributable')}</h3>
            {c.nonDistributableByCollectionYear.length === 0 ? (
              <p class="muted">—</p>
            ) : (
              <ul>
                {c.nonDistributableByCollectionYear.map((u) => (
                  <li key={`${u.collectionYear}${u.currency}`}>
                    {u.collectionYear}: <Money value={u.amount} currency={u.currency} />
                  </li>
                ))}
              </ul>
            )}
          </article>
        ))}
      {r && (
        <details class="card">
          <summary>{t('report.definitions')}</summary>
          <dl class="dl">
            {Object.entries(r.definitions).map(([k, v]) => (
              <>
                <dt key={`k${k}`}>{k}</dt>
                <dd key={`v${k}`}>{v}</dd>
              </>
            ))}
          </dl>
        </details>
      )}
    </section>
  );
}
