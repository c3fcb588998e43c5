/** The coverage check: paste or load a playlist and see which works the collective manages, and which it does not. */
import { useState } from 'preact/hooks';
import { ErrorBox, Num, PageTitle } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { api } from '../../lib/api';
import { Link } from '../../lib/router';
import type { Coverage } from './types';

/** `/licensee/coverage`. */
export function CoveragePage() {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [result, setResult] = useState<Coverage>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  return (
    <section>
      <PageTitle title={t('coverage.title')} lead={t('coverage.lead')} />
      <form
        class="form card"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          setError(undefined);
          api<Coverage>('/api/licensee/coverage', { method: 'POST', body: text, contentType: /^[^\n]*,/.test(text) ? 'text/csv' : 'text/plain' }).then(
            (r) => {
              setResult(r);
              setBusy(false);
            },
            (err: Error) => {
              setResult(undefined);
              setError(err);
              setBusy(false);
            },
          );
        }}
      >
        <label>
          {t('coverage.list')}
          <textarea name="playlist" rows={8} value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder={t('coverage.placeholder')} required />
        </label>
        <label>
          {t('coverage.file')}
          <input type="file" accept=".csv,.txt,text/csv,text/plain" onChange={(e) => void e.currentTarget.files?.[0]?.text().then(setText)} />
        </label>
        <button class="btn" type="submit" disabled={busy}>
          {t('coverage.check')}
        </button>
        <ErrorBox error={error} />
      </form>
      {result && (
        <div data-testid="coverage-result">
          <p class="verdict verdict-info" role="status">
            {t('coverage.summary', { matched: result.matched, total: result.total })} (<Num value={result.coveragePercent} />
            %)
          </p>
          <h2>{t('coverage.notManaged', { n: result.notManaged.length })}</h2>
          {result.notManaged.length === 0 ? (
            <p>{t('coverage.allManaged')}</p>
          ) : (
            <div class="table-wrap">
              <table class="table compact" data-testid="uncovered">
                <thead>
                  <tr>
                    <th scope="col">{t('usage.line')}</th>
                    <th scope="col">{t('work.title')}</th>
                    <th scope="col">{t('work.creators')}</th>
                    <th scope="col">{t('unidentified.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.notManaged.map((n) => (
                    <tr key={n.line}>
                      <td>{n.line}</td>
                      <td>{n.query.title ?? '—'}</td>
                      <td>{n.query.creators.join(', ')}</td>
                      <td>{enumLabel(t, 'suspenseReason', n.reason)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2>{t('coverage.managed', { n: result.managed.length })}</h2>
          <div class="table-wrap">
            <table class="table compact" data-testid="covered">
              <thead>
                <tr>
                  <th scope="col">{t('usage.line')}</th>
                  <th scope="col">{t('work.title')}</th>
                  <th scope="col">ISWC</th>
                  <th scope="col">{t('coverage.method')}</th>
                </tr>
              </thead>
              <tbody>
                {result.managed.map((m) => (
                  <tr key={m.line}>
                    <td>{m.line}</td>
                    <td>
                      <Link href={`/works/${encodeURIComponent(m.workId)}`}>{m.title}</Link>
                    </td>
                    <td class="mono">{m.iswc ?? '—'}</td>
                    <td>{enumLabel(t, 'matchMethod', m.method)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {result.rejected.length > 0 && (
            <p class="muted">
              {t('coverage.rejected', { n: result.rejected.length })}: {result.rejected.map((r) => `${r.line}: ${r.message}`).join('; ')}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
