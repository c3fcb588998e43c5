/**
 * Distribution runs: start one (a background job on the gateway), watch its progress live (the run
 * is polled until it is done or failed), and read its summary, the carried-forward amounts it
 * released and its anchoring transactions.
 */
import { useEffect, useState } from 'preact/hooks';
import { Badge, DateText, Empty, ErrorBox, Loading, More, PageTitle, TxLink } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { api, newIdempotencyKey } from '../../lib/api';
import { Link, navigate } from '../../lib/router';
import { usePagedApi } from '../../lib/use-api';
import { CarriedReleases } from './carried-releases';

/** A distribution run as the operator API shows it. */
export interface Run {
  id: string;
  pool: { rightType: string; useType: string; period: string };
  status: 'queued' | 'running' | 'anchoring' | 'done' | 'failed';
  stage: string;
  progress: number;
  parameters: Record<string, unknown>;
  summary: Record<string, unknown> | null;
  error: Record<string, unknown> | null;
  usageReportIds: string[];
  anchorTxIds: string[];
  ledger: { status: string; merkleRoot: string; txId: string } | null;
  createdBy: string;
  createdAt: string;
}

const TONE = { queued: 'info', running: 'info', anchoring: 'info', done: 'ok', failed: 'bad' } as const;
const FINISHED = new Set(['done', 'failed']);

/** The progress bar of a run: a native `<progress>` (announced by screen readers) with the stage in words. */
export function RunProgress({ run }: { run: Run }) {
  const { t } = useI18n();
  const pct = Math.round(run.progress * 100);
  return (
    <div class="run-progress" data-testid="run-progress" data-status={run.status}>
      <progress max={100} value={pct} aria-label={t('runs.progress')} />
      <span class="small">
        {pct}% · {enumLabel(t, 'stage', run.stage)} · <Badge tone={TONE[run.status]}>{enumLabel(t, 'runStatus', run.status)}</Badge>
      </span>
    </div>
  );
}

function StartForm() {
  const { t } = useI18n();
  const [rightType, setRightType] = useState('performing');
  const [useType, setUseType] = useState('ktv');
  const [period, setPeriod] = useState('2026Q3');
  const [method, setMethod] = useState('points');
  const [feeRate, setFeeRate] = useState('0.15');
  const [deductionRate, setDeductionRate] = useState('0.05');
  const [threshold, setThreshold] = useState('0');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [key] = useState(newIdempotencyKey);
  return (
    <form
      class="form card grid-form"
      aria-label={t('runs.start')}
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        api<{ run: Run }>('/api/operator/distributions', {
          method: 'POST',
          idempotencyKey: key,
          body: { pool: { rightType, useType, period }, currency: 'CNY', method, feeRate, deductionRate, threshold },
        }).then(
          (r) => navigate(`/operator/distributions/${encodeURIComponent(r.run.id)}`),
          (err: Error) => {
            setError(err);
            setBusy(false);
          },
        );
      }}
    >
      <h2>{t('runs.start')}</h2>
      <label>
        {t('common.rightType')}
        <select name="rightType" value={rightType} onChange={(e) => setRightType(e.currentTarget.value)}>
          {['performing', 'mechanical'].map((r) => (
            <option key={r} value={r}>
              {enumLabel(t, 'right', r)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('common.useType')}
        <select name="useType" value={useType} onChange={(e) => setUseType(e.currentTarget.value)}>
          {['ktv', 'background_music', 'broadcast', 'streaming', 'live', 'cinema'].map((u) => (
            <option key={u} value={u}>
              {enumLabel(t, 'use', u)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('common.period')}
        <input name="period" value={period} onInput={(e) => setPeriod(e.currentTarget.value)} required />
      </label>
      <label>
        {t('runs.method')}
        <select name="method" value={method} onChange={(e) => setMethod(e.currentTarget.value)}>
          <option value="points">{t('runs.method.points')}</option>
          <option value="per_line">{t('runs.method.per_line')}</option>
        </select>
      </label>
      <label>
        {t('runs.feeRate')}
        <input name="feeRate" inputMode="decimal" value={feeRate} onInput={(e) => setFeeRate(e.currentTarget.value)} required />
      </label>
      <label>
        {t('runs.deductionRate')}
        <input name="deductionRate" inputMode="decimal" value={deductionRate} onInput={(e) => setDeductionRate(e.currentTarget.value)} required />
      </label>
      <label>
        {t('runs.threshold')}
        <input name="threshold" inputMode="decimal" value={threshold} onInput={(e) => setThreshold(e.currentTarget.value)} required />
      </label>
      <div>
        <button type="submit" class="btn" disabled={busy}>
          {t('runs.startButton')}
        </button>
      </div>
      <ErrorBox error={error} />
    </form>
  );
}

/** `/operator/distributions`. */
export function DistributionsPage() {
  const { t } = useI18n();
  const runs = usePagedApi<Run>('/api/operator/distributions?limit=50');
  return (
    <section>
      <PageTitle title={t('runs.title')} lead={t('runs.lead')} />
      <StartForm />
      <h2>{t('runs.list')}</h2>
      <ErrorBox error={runs.error} />
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('statements.run')}</th>
              <th scope="col">{t('common.pool')}</th>
              <th scope="col">{t('runs.progress')}</th>
              <th scope="col">{t('runs.started')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.data?.map((r) => (
              <tr key={r.id}>
                <td>
                  <Link href={`/operator/distributions/${encodeURIComponent(r.id)}`}>{r.id}</Link>
                </td>
                <td>
                  {enumLabel(t, 'right', r.pool.rightType)} · {enumLabel(t, 'use', r.pool.useType)} · {r.pool.period}
                </td>
                <td>
                  <RunProgress run={r} />
                </td>
                <td>
                  <DateText value={r.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Loading when={runs.loading} />
      <Empty when={!runs.loading && runs.data?.length === 0}>{t('runs.none')}</Empty>
      <More more={runs.more} loading={runs.loading} />
    </section>
  );
}

/** `/operator/distributions/:id`: the run, polled until it finishes. */
export function DistributionPage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const id = params.id ?? '';
  const [run, setRun] = useState<Run>();
  const [error, setError] = useState<Error>();
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      api<{ run: Run }>(`/api/operator/distributions/${encodeURIComponent(id)}`).then(
        ({ run: r }) => {
          if (stopped) return;
          setRun(r);
          setError(undefined);
          if (!FINISHED.has(r.status)) timer = setTimeout(poll, 500);
        },
        (err: Error) => {
          if (stopped) return;
          setError(err);
          timer = setTimeout(poll, 2000);
        },
      );
    };
    poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [id]);
  return (
    <section>
      <p>
        <Link href="/operator/distributions">← {t('runs.title')}</Link>
      </p>
      <PageTitle title={t('runs.run', { id })} lead={run ? `${enumLabel(t, 'right', run.pool.rightType)} · ${enumLabel(t, 'use', run.pool.useType)} · ${run.pool.period}` : undefined} />
      <ErrorBox error={error} />
      {run && (
        <>
          <div aria-live="polite">
            <RunProgress run={run} />
          </div>
          {run.status === 'done' && (
            <p class="verdict verdict-ok" role="status" data-testid="run-done">
              {t('runs.finished')}
            </p>
          )}
          {run.error && (
            <div class="alert alert-error" role="alert">
              {String(run.error.code ?? '')} {String(run.error.message ?? '')}
            </div>
          )}
          {run.ledger && (
            <p class="small">
              {t('runs.onLedger')}: {enumLabel(t, 'runStatus', run.ledger.status)} · <span class="mono break">{run.ledger.merkleRoot}</span> · <TxLink txId={run.ledger.txId} />
            </p>
          )}
          {run.summary && (
            <dl class="dl">
              {Object.entries(run.summary)
                .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
                .map(([k, v]) => (
                  <>
                    <dt key={`k${k}`}>{k}</dt>
                    <dd key={`v${k}`} class="num">
                      {String(v)}
                    </dd>
                  </>
                ))}
            </dl>
          )}
          <CarriedReleases runId={run.id} ready={run.status === 'done'} />
          {run.anchorTxIds.length > 0 && (
            <>
              <h2>{t('runs.anchoring')}</h2>
              <ul>
                {run.anchorTxIds.map((x) => (
                  <li key={x}>
                    <TxLink txId={x} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
