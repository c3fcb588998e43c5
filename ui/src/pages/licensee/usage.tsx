/** Uploading a usage report (DSR or usage.csv) and reading its validation feedback; the reports sent so far. */
import { useState } from 'preact/hooks';
import { DateText, Empty, ErrorBox, Loading, More, Num, PageTitle } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { api, newIdempotencyKey, qs } from '../../lib/api';
import { usePagedApi } from '../../lib/use-api';
import type { UsageReportSummary, ValidationReport } from './types';

/** A validation report: counts, matching, and the rejected lines with their field and code. */
export function ReportView({ report }: { report: ValidationReport }) {
  const { t } = useI18n();
  return (
    <div class="card" data-testid="usage-report">
      <dl class="dl dl-row">
        <dt>{t('usage.lines')}</dt>
        <dd>
          <Num value={report.lines} />
        </dd>
        <dt>{t('usage.accepted')}</dt>
        <dd>
          <Num value={report.accepted} />
        </dd>
        <dt>{t('usage.rejected')}</dt>
        <dd>
          <Num value={report.rejected} />
        </dd>
        <dt>{t('usage.totalPlays')}</dt>
        <dd>
          <Num value={report.totalPlays} />
        </dd>
        <dt>{t('usage.matched')}</dt>
        <dd>
          <Num value={report.matched.lines} /> ({Object.entries(report.matched.byMethod).map(([k, v]) => `${enumLabel(t, 'matchMethod', k)} ${v}`).join(', ') || '—'})
        </dd>
        <dt>{t('usage.unmatched')}</dt>
        <dd>
          <Num value={report.unmatched.lines} /> ({Object.entries(report.unmatched.byReason).map(([k, v]) => `${enumLabel(t, 'suspenseReason', k)} ${v}`).join(', ') || '—'})
        </dd>
      </dl>
      {report.rejects.length > 0 && (
        <div class="table-wrap">
          <table class="table compact">
            <caption>{t('usage.rejects')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('usage.line')}</th>
                <th scope="col">{t('usage.field')}</th>
                <th scope="col">{t('usage.code')}</th>
                <th scope="col">{t('usage.message')}</th>
              </tr>
            </thead>
            <tbody>
              {report.rejects.map((r, i) => (
                <tr key={i}>
                  <td>{r.line}</td>
                  <td>{r.field ?? '—'}</td>
                  <td class="mono">{r.code}</td>
                  <td>{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {report.rejectsTruncated && <p class="muted small">{t('usage.truncated')}</p>}
        </div>
      )}
    </div>
  );
}

/** `/licensee/usage`. */
export function UsagePage() {
  const { t } = useI18n();
  const [period, setPeriod] = useState('2026Q3');
  const [format, setFormat] = useState<'csv' | 'dsr'>('csv');
  const [file, setFile] = useState<File>();
  const [result, setResult] = useState<{ report: ValidationReport; id: string }>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const list = usePagedApi<UsageReportSummary>('/api/licensee/usage-reports?limit=20');
  return (
    <section>
      <PageTitle title={t('usage.title')} lead={t('usage.lead')} />
      <form
        class="form card"
        onSubmit={(e) => {
          e.preventDefault();
          if (!file) return;
          setBusy(true);
          setError(undefined);
          setResult(undefined);
          api<{ id: string; report: ValidationReport }>(`/api/licensee/usage-reports${qs({ period, format })}`, {
            method: 'POST',
            body: file,
            contentType: format === 'csv' ? 'text/csv' : 'text/tab-separated-values',
            idempotencyKey: newIdempotencyKey(),
          }).then(
            (r) => {
              setResult(r);
              setBusy(false);
              list.reload();
            },
            (err: Error) => {
              setError(err);
              setBusy(false);
            },
          );
        }}
      >
        <label>
          {t('common.period')}
          <input name="period" value={period} onInput={(e) => setPeriod(e.currentTarget.value)} pattern="\d{4}(Q[1-4]|H[12]|M(0[1-9]|1[0-2]))?" required />
        </label>
        <label>
          {t('usage.format')}
          <select value={format} onChange={(e) => setFormat(e.currentTarget.value as 'csv' | 'dsr')}>
            <option value="csv">usage.csv</option>
            <option value="dsr">DDEX DSR</option>
          </select>
        </label>
        <label>
          {t('usage.file')}
          <input type="file" name="file" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values" required onChange={(e) => setFile(e.currentTarget.files?.[0])} />
        </label>
        <button type="submit" class="btn" disabled={busy || !file}>
          {t('usage.upload')}
        </button>
        <Loading when={busy} />
        <ErrorBox error={error} />
      </form>
      {result && (
        <>
          <h2>{t('usage.result', { id: result.id })}</h2>
          <ReportView report={result.report} />
        </>
      )}
      <h2>{t('usage.sent')}</h2>
      <ErrorBox error={list.error} />
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('common.id')}</th>
              <th scope="col">{t('common.period')}</th>
              <th scope="col">{t('usage.format')}</th>
              <th scope="col" class="r">
                {t('usage.accepted')}
              </th>
              <th scope="col" class="r">
                {t('usage.rejected')}
              </th>
              <th scope="col" class="r">
                {t('usage.totalPlays')}
              </th>
              <th scope="col">{t('usage.sentAt')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((r) => (
              <tr key={r.id}>
                <td class="mono">{r.id}</td>
                <td>{r.period}</td>
                <td>{r.format}</td>
                <td class="r">
                  <Num value={r.accepted} />
                </td>
                <td class="r">
                  <Num value={r.rejected} />
                </td>
                <td class="r">
                  <Num value={r.totalPlays} />
                </td>
                <td>
                  <DateText value={r.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Empty when={!list.loading && list.data?.length === 0}>{t('common.none')}</Empty>
      <More more={list.more} loading={list.loading} />
    </section>
  );
}
