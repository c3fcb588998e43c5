/** The complaints workflow: complaints with their 60-day clock, one complaint's text (checked against its hash on the ledger), and recording a finding. */
import { useState } from 'preact/hooks';
import { Badge, DateText, Empty, ErrorBox, Loading, More, PageTitle, TxLink } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { api, newIdempotencyKey, qs } from '../../lib/api';
import { Link } from '../../lib/router';
import { useApi, usePagedApi } from '../../lib/use-api';
import type { Complaint } from './types';

const TONE = { open: 'warn', investigating: 'info', closed: 'neutral' } as const;

/** `/regulator/complaints`. */
export function ComplaintsPage() {
  const { t } = useI18n();
  const [status, setStatus] = useState('');
  const list = usePagedApi<Complaint>(`/api/regulator/complaints${qs({ status, limit: 50 })}`);
  return (
    <section>
      <PageTitle title={t('complaints.title')} lead={t('complaints.lead')} />
      <label class="filter">
        {t('common.status')}
        <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">{t('common.all')}</option>
          {['open', 'investigating', 'closed'].map((s) => (
            <option key={s} value={s}>
              {enumLabel(t, 'complaintStatus', s)}
            </option>
          ))}
        </select>
      </label>
      <ErrorBox error={list.error} />
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('complaints.subject')}</th>
              <th scope="col">{t('common.collective')}</th>
              <th scope="col">{t('complaints.from')}</th>
              <th scope="col">{t('complaints.filed')}</th>
              <th scope="col" class="r">
                {t('deadlines.daysLeft')}
              </th>
              <th scope="col">{t('common.status')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link href={`/regulator/complaints/${encodeURIComponent(c.id)}`}>{c.subject}</Link>
                  <div class="muted small">{enumLabel(t, 'complaintCategory', c.category)}</div>
                </td>
                <td>{c.collectiveId}</td>
                <td>
                  {enumLabel(t, 'role', c.complainantKind)} {c.complainantId}
                </td>
                <td>
                  <DateText value={c.filedAt} />
                </td>
                <td class="r">{c.daysLeft ?? '—'}</td>
                <td>
                  <Badge tone={TONE[c.status]}>{enumLabel(t, 'complaintStatus', c.status)}</Badge> {c.overdue && <Badge tone="bad">{t('complaints.overdue')}</Badge>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Loading when={list.loading} />
      <Empty when={!list.loading && list.data?.length === 0}>{t('complaints.none')}</Empty>
      <More more={list.more} loading={list.loading} />
    </section>
  );
}

/** `/regulator/complaints/:id`. */
export function ComplaintPage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const c = useApi<Complaint>(`/api/regulator/complaints/${encodeURIComponent(params.id ?? '')}`);
  const [status, setStatus] = useState<'investigating' | 'closed'>('investigating');
  const [outcome, setOutcome] = useState('upheld');
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<Error>();
  const [key, setKey] = useState(newIdempotencyKey);
  const d = c.data;
  return (
    <section>
      <p>
        <Link href="/regulator/complaints">← {t('complaints.title')}</Link>
      </p>
      <ErrorBox error={c.error} />
      <Loading when={c.loading} />
      {d && (
        <>
          <PageTitle title={d.subject} lead={`${d.collectiveId} · ${enumLabel(t, 'complaintCategory', d.category)}`} />
          <p>
            <Badge tone={TONE[d.status]}>{enumLabel(t, 'complaintStatus', d.status)}</Badge> {t('complaints.dueBy')} <DateText value={d.dueBy} /> {d.overdue && <Badge tone="bad">{t('complaints.overdue')}</Badge>}
          </p>
          <blockquote class="card prewrap">{d.text ?? t('complaints.noText')}</blockquote>
          <p class="small">
            {d.textMatchesLedger === true ? <Badge tone="ok">{t('complaints.textMatches')}</Badge> : d.textMatchesLedger === false ? <Badge tone="bad">{t('complaints.textDiffers')}</Badge> : null}{' '}
            <span class="mono">{d.textHash}</span>
          </p>
          {d.finding && (
            <div class="card">
              <h2>{t('complaints.finding')}</h2>
              <p>
                {enumLabel(t, 'outcome', d.finding.outcome)} · <DateText value={d.finding.at} /> · <TxLink txId={d.finding.txId} />
              </p>
              <p class="prewrap">{d.finding.summary}</p>
            </div>
          )}
          {d.status !== 'closed' && (
            <form
              class="form card"
              onSubmit={(e) => {
                e.preventDefault();
                setError(undefined);
                const body = status === 'closed' ? { status, outcome, summary } : { status, ...(summary && { summary }) };
                api(`/api/regulator/complaints/${encodeURIComponent(d.id)}/findings`, { method: 'POST', idempotencyKey: key, body }).then(
                  () => {
                    setKey(newIdempotencyKey());
                    c.reload();
                  },
                  (err: Error) => setError(err),
                );
              }}
            >
              <h2>{t('complaints.record')}</h2>
              <label>
                {t('common.status')}
                <select value={status} onChange={(e) => setStatus(e.currentTarget.value as 'investigating' | 'closed')}>
                  <option value="investigating">{enumLabel(t, 'complaintStatus', 'investigating')}</option>
                  <option value="closed">{enumLabel(t, 'complaintStatus', 'closed')}</option>
                </select>
              </label>
              {status === 'closed' && (
                <label>
                  {t('complaints.outcome')}
                  <select value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
                    {['upheld', 'partly_upheld', 'rejected'].map((o) => (
                      <option key={o} value={o}>
                        {enumLabel(t, 'outcome', o)}
                      </option>
                    ))}
                  </select>
                </label>
              )}
              <label>
                {t('complaints.summary')}
                <textarea rows={3} value={summary} onInput={(e) => setSummary(e.currentTarget.value)} required={status === 'closed'} />
              </label>
              <button type="submit" class="btn">
                {t('common.save')}
              </button>
              <ErrorBox error={error} />
            </form>
          )}
        </>
      )}
    </section>
  );
}
