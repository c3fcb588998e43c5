/**
 * A member's statements: the runs with their totals, and one run's line items with drill-down
 * (work, usage report, licensee, licence, tariff), the fee and deductions, CSV export, a print
 * layout, and in-browser verification of any line against the ledger's Merkle root.
 */
import { useEffect, useState } from 'preact/hooks';
import { Badge, Empty, ErrorBox, Loading, Money, More, Num, PageTitle, TxLink } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { api, apiText, downloadText } from '../../lib/api';
import { useAuth } from '../../lib/auth';
import { Link } from '../../lib/router';
import { usePagedApi } from '../../lib/use-api';
import type { LineProof, Statement, StatementLine, StatementRun } from './types';
import { verifyLine, type LineVerdict } from './verify-line';

/** `/member/statements`. */
export function StatementsPage() {
  const { t } = useI18n();
  const runs = usePagedApi<StatementRun>('/api/member/statements?limit=50');
  return (
    <section>
      <PageTitle title={t('statements.title')} lead={t('statements.lead')} />
      <ErrorBox error={runs.error} />
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('statements.run')}</th>
              <th scope="col">{t('common.pool')}</th>
              <th scope="col" class="r">
                {t('statements.lines')}
              </th>
              <th scope="col" class="r">
                {t('common.gross')}
              </th>
              <th scope="col" class="r">
                {t('common.fee')}
              </th>
              <th scope="col" class="r">
                {t('common.deductions')}
              </th>
              <th scope="col" class="r">
                {t('common.net')}
              </th>
              <th scope="col">{t('common.status')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.data?.map((r) => (
              <tr key={r.runId}>
                <td>
                  <Link href={`/member/statements/${encodeURIComponent(r.runId)}`}>{r.runId}</Link>
                </td>
                <td>
                  {enumLabel(t, 'right', r.pool.rightType)} · {enumLabel(t, 'use', r.pool.useType)} · {r.pool.period}
                </td>
                <td class="r">
                  <Num value={r.lines} />
                </td>
                <td class="r">
                  <Money value={r.gross} currency={r.currency} />
                </td>
                <td class="r">
                  <Money value={r.fee} currency={r.currency} />
                </td>
                <td class="r">
                  <Money value={r.deductions} currency={r.currency} />
                </td>
                <td class="r">
                  <Money value={r.net} currency={r.currency} />
                </td>
                <td>{r.anchor ? enumLabel(t, 'runStatus', r.anchor.status) : enumLabel(t, 'runStatus', r.status)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Loading when={runs.loading} />
      <Empty when={!runs.loading && runs.data?.length === 0}>{t('statements.none')}</Empty>
      <More more={runs.more} loading={runs.loading} />
    </section>
  );
}

function Verdict({ v }: { v: LineVerdict | 'running' | undefined }) {
  const { t } = useI18n();
  if (!v) return null;
  if (v === 'running')
    return (
      <span role="status" class="muted">
        {t('verify.line.running')}
      </span>
    );
  return v.ok ? (
    <span role="status" class="verified" data-testid="line-verdict" data-verified="true">
      ✔ {v.blockNumber !== null ? t('verify.line.ok', { block: v.blockNumber }) : t('verify.line.okNoBlock')}
    </span>
  ) : (
    <span role="status" class="not-verified" data-testid="line-verdict" data-verified="false">
      ✘ {t('verify.line.bad')} <span class="small">({t(`verify.line.reason.${v.reason}`)})</span>
    </span>
  );
}

/** The usage source of a line: the engine records it as JSON (`{"file","period"}`); people read the file name. */
function sourceName(source: string): string {
  if (!source.startsWith('{')) return source;
  try {
    const s = JSON.parse(source) as { file?: unknown };
    return typeof s.file === 'string' ? s.file : source;
  } catch {
    return source;
  }
}

function LineRow({ line, runId, partyId }: { line: StatementLine; runId: string; partyId: string | undefined }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [verdict, setVerdict] = useState<LineVerdict | 'running'>();
  const verify = async () => {
    setVerdict('running');
    try {
      // Fetch the proof afresh: what is verified is what the server answers now, not the page's copy.
      const proof = await api<LineProof>(`/api/member/statements/${encodeURIComponent(runId)}/lines/${line.index}/proof`);
      setVerdict(await verifyLine(line, proof, partyId));
    } catch (e) {
      setVerdict({ ok: false, reason: 'error', detail: e instanceof Error ? e.message : String(e) });
    }
  };
  return (
    <>
      <tr data-line={line.index}>
        <td>
          <button type="button" class="btn-link" aria-expanded={open} onClick={() => setOpen(!open)}>
            {line.title ?? line.workId}
          </button>
          <div class="muted small">{line.iswc ?? line.workId}</div>
        </td>
        <td>{line.licensee?.name ?? sourceName(line.usageSource)}</td>
        <td class="r">
          <Num value={line.plays} />
        </td>
        <td class="r">
          <Num value={line.share} />%
        </td>
        <td class="r">
          <Money value={line.gross} currency={line.currency} />
        </td>
        <td class="r">
          <Money value={line.fee} currency={line.currency} />
        </td>
        <td class="r">
          <Money value={line.deductions} currency={line.currency} />
        </td>
        <td class="r">
          <Money value={line.net} currency={line.currency} />
        </td>
        <td class="no-print">
          <button type="button" class="btn btn-small" onClick={() => void verify()} aria-label={t('verify.line.buttonFor', { n: line.index + 1 })} data-testid="verify-line">
            {t('verify.line.button')}
          </button>{' '}
          <Verdict v={verdict} />
        </td>
      </tr>
      {open && (
        <tr class="drill">
          <td colSpan={9}>
            <dl class="dl">
              <dt>{t('work.title')}</dt>
              <dd>
                <Link href={`/works/${encodeURIComponent(line.workId)}`}>{line.title ?? line.workId}</Link> <span class="muted">{line.workId}</span>
              </dd>
              <dt>{t('statements.usage')}</dt>
              <dd>
                {sourceName(line.usageSource)}
                {line.usageReportId ? <span class="muted"> · {t('statements.report')} {line.usageReportId}</span> : null} · {t('common.period')} {line.period}
              </dd>
              <dt>{t('licence.licensee')}</dt>
              <dd>{line.licensee ? `${line.licensee.name ?? ''} (${line.licensee.id})` : '—'}</dd>
              <dt>{t('licence.licence')}</dt>
              <dd>{line.licenceId ?? '—'}</dd>
              <dt>{t('licence.tariff')}</dt>
              <dd>{line.tariff ? <Link href={`/tariffs/${encodeURIComponent(line.tariff.id)}`}>{line.tariff.name ?? line.tariff.id}</Link> : '—'}</dd>
              <dt>{t('statements.leaf')}</dt>
              <dd class="mono small break">{line.leaf}</dd>
            </dl>
          </td>
        </tr>
      )}
    </>
  );
}

/** `/member/statements/:runId`. */
export function StatementPage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const { session } = useAuth();
  const runId = params.runId ?? '';
  const base = `/api/member/statements/${encodeURIComponent(runId)}`;
  const page = usePagedLines(base);
  const run = page.run;
  return (
    <section class="statement">
      <p class="no-print">
        <Link href="/member/statements">← {t('statements.title')}</Link>
      </p>
      <ErrorBox error={page.error} />
      <Loading when={page.loading && !run} />
      {run && (
        <>
          <PageTitle title={t('statements.statementTitle', { run: run.runId })} lead={`${run.collectiveId} · ${enumLabel(t, 'right', run.pool.rightType)} · ${enumLabel(t, 'use', run.pool.useType)} · ${run.pool.period}`} />
          <p class="no-print actions">
            <button
              type="button"
              class="btn btn-secondary"
              onClick={() => {
                void apiText(`${base}.csv`).then((csv) => downloadText(`statement-${run.runId}.csv`, csv, 'text/csv'));
              }}
            >
              {t('common.downloadCsv')}
            </button>{' '}
            <button type="button" class="btn btn-secondary" onClick={() => window.print()}>
              {t('common.print')}
            </button>
          </p>
          <div class="totals card">
            <dl class="dl dl-row">
              <dt>{t('common.gross')}</dt>
              <dd>
                <Money value={run.gross} currency={run.currency} />
              </dd>
              <dt>{t('common.fee')}</dt>
              <dd>
                <Money value={run.fee} currency={run.currency} />
              </dd>
              <dt>{t('common.deductions')}</dt>
              <dd>
                <Money value={run.deductions} currency={run.currency} />
              </dd>
              <dt>{t('common.net')}</dt>
              <dd>
                <strong>
                  <Money value={run.net} currency={run.currency} />
                </strong>
              </dd>
            </dl>
            {run.anchor && (
              <p class="small">
                {t('statements.anchor', { block: run.anchor.blockNumber ?? '—', size: run.anchor.treeSize })} · <span class="mono break">{run.anchor.merkleRoot}</span> · <TxLink txId={run.anchor.txId} />{' '}
                <Badge tone={run.anchor.status === 'sealed' ? 'ok' : 'info'}>{enumLabel(t, 'runStatus', run.anchor.status)}</Badge>
              </p>
            )}
          </div>
          <div class="table-wrap">
            <table class="table lines">
              <caption class="sr-only">{t('statements.lineItems')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('work.title')}</th>
                  <th scope="col">{t('statements.source')}</th>
                  <th scope="col" class="r">
                    {t('common.plays')}
                  </th>
                  <th scope="col" class="r">
                    {t('statements.share')}
                  </th>
                  <th scope="col" class="r">
                    {t('common.gross')}
                  </th>
                  <th scope="col" class="r">
                    {t('common.fee')}
                  </th>
                  <th scope="col" class="r">
                    {t('common.deductions')}
                  </th>
                  <th scope="col" class="r">
                    {t('common.net')}
                  </th>
                  <th scope="col" class="no-print">
                    {t('verify.line.column')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {page.data?.map((l) => (
                  <LineRow key={l.index} line={l} runId={run.runId} partyId={session?.user.partyId} />
                ))}
              </tbody>
            </table>
          </div>
          <Loading when={page.loading} />
          <More more={page.more} loading={page.loading} />
        </>
      )}
    </section>
  );
}

/** The statement's line items, page by page (the statement answer nests them under `lines`). */
function usePagedLines(base: string) {
  const [state, setState] = useState<{ run?: StatementRun; items: StatementLine[]; cursor: string | null; loading: boolean; error?: Error }>({ items: [], cursor: null, loading: true });
  const load = (cursor: string | null) => {
    setState((s) => ({ ...s, loading: true }));
    api<Statement>(`${base}?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).then(
      (st) => setState((s) => ({ run: st.run, items: [...(cursor ? s.items : []), ...st.lines.items], cursor: st.lines.nextCursor, loading: false })),
      (error: Error) => setState((s) => ({ ...s, loading: false, error })),
    );
  };
  useEffect(() => load(null), [base]);
  return { run: state.run, data: state.items, loading: state.loading, error: state.error, more: state.cursor ? () => load(state.cursor) : null };
}
