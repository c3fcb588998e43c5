/** Searching the collective's suspense (unidentified works, unclaimed shares), claiming an amount, and the claims' status. */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { Badge, DateText, Empty, ErrorBox, Loading, Money, More, Num, PageTitle, TxLink } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { api, newIdempotencyKey, qs } from '../../lib/api';
import { usePagedApi } from '../../lib/use-api';
import type { Claim, SuspenseLine } from './types';

const TONE = { submitted: 'info', accepted: 'ok', rejected: 'bad' } as const;

function ClaimForm({ line, onDone }: { line: SuspenseLine; onDone: () => void }) {
  const { t } = useI18n();
  const [amount, setAmount] = useState(line.amount);
  const [evidence, setEvidence] = useState('');
  const [error, setError] = useState<Error>();
  const [key] = useState(newIdempotencyKey);
  return (
    <form
      class="form inline-form"
      aria-label={t('claims.claimFor', { title: line.title ?? line.workId ?? '' })}
      onSubmit={(e) => {
        e.preventDefault();
        setError(undefined);
        api<Claim>('/api/member/claims', { method: 'POST', idempotencyKey: key, body: { runId: line.runId, suspenseIdx: line.idx, amount, evidence } }).then(onDone, (err: Error) => setError(err));
      }}
    >
      <label>
        {t('common.amount')} ({line.currency})
        <input inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} required />
      </label>
      <label class="grow">
        {t('claims.evidence')}
        <textarea value={evidence} onInput={(e) => setEvidence(e.currentTarget.value)} required rows={2} />
      </label>
      <button class="btn" type="submit">
        {t('claims.submit')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

/** `/member/claims`. */
export function ClaimsPage() {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [q, setQ] = useState('');
  const [open, setOpen] = useState<string>();
  const suspense = usePagedApi<SuspenseLine>(`/api/member/suspense${qs({ q, limit: 25 })}`);
  const claims = usePagedApi<Claim>('/api/member/claims?limit=50');
  return (
    <section>
      <PageTitle title={t('claims.title')} lead={t('claims.lead')} />
      <h2>{t('claims.mine')}</h2>
      <ErrorBox error={claims.error} />
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('common.id')}</th>
              <th scope="col">{t('statements.run')}</th>
              <th scope="col" class="r">
                {t('common.amount')}
              </th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col">{t('claims.decision')}</th>
            </tr>
          </thead>
          <tbody>
            {claims.data?.map((c) => (
              <tr key={c.id}>
                <td class="mono">{c.id}</td>
                <td>
                  {c.runId} #{c.suspenseIdx}
                </td>
                <td class="r">
                  <Money value={c.amount} currency={c.currency} />
                </td>
                <td>
                  <Badge tone={TONE[c.status]}>{enumLabel(t, 'claimStatus', c.status)}</Badge> <DateText value={c.decidedAt ?? c.createdAt} />
                </td>
                <td>
                  {c.decisionNote ?? ''} {c.releaseTxId && <TxLink txId={c.releaseTxId} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Empty when={!claims.loading && claims.data?.length === 0}>{t('claims.none')}</Empty>
      <More more={claims.more} loading={claims.loading} />

      <h2>{t('claims.search')}</h2>
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
      <ErrorBox error={suspense.error} />
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('work.title')}</th>
              <th scope="col">{t('common.pool')}</th>
              <th scope="col">{t('unidentified.reason')}</th>
              <th scope="col" class="r">
                {t('common.plays')}
              </th>
              <th scope="col" class="r">
                {t('unidentified.held')}
              </th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {suspense.data?.map((s) => {
              const id = `${s.runId}#${s.idx}`;
              return (
                <Fragment key={id}>
                  <tr>
                    <td>
                      {s.title ?? s.workId ?? '—'} <div class="muted small">{[s.iswc, s.isrc, s.creators].filter(Boolean).join(' · ')}</div>
                    </td>
                    <td>
                      {enumLabel(t, 'use', s.pool.useType)} · {s.pool.period}
                    </td>
                    <td>{enumLabel(t, 'suspenseReason', s.reason)}</td>
                    <td class="r">
                      <Num value={s.plays} />
                    </td>
                    <td class="r">
                      <Money value={s.amount} currency={s.currency} />
                    </td>
                    <td>
                      <button type="button" class="btn btn-small" aria-expanded={open === id} onClick={() => setOpen(open === id ? undefined : id)}>
                        {t('claims.claim')}
                      </button>
                    </td>
                  </tr>
                  {open === id && (
                    <tr>
                      <td colSpan={6}>
                        <ClaimForm
                          line={s}
                          onDone={() => {
                            setOpen(undefined);
                            claims.reload();
                          }}
                        />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
        </table>
      </div>
      <Loading when={suspense.loading} />
      <Empty when={!suspense.loading && suspense.data?.length === 0}>{t('unidentified.none')}</Empty>
      <More more={suspense.more} loading={suspense.loading} />
    </section>
  );
}
