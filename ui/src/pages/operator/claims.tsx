/**
 * Members' claims on suspense, for the operator: accept one (the ledger releases the amount from
 * the run's pool suspense to the claimant) or reject it with a note (off the ledger). Each decision
 * keeps one Idempotency-Key per claim until it succeeds, so a retry after an error is the same command.
 */
import { Fragment } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { Badge, DateText, Empty, ErrorBox, Loading, Money, More, PageTitle, TxLink } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { api, newIdempotencyKey, qs } from '../../lib/api';
import { usePagedApi } from '../../lib/use-api';

/** A claim as the operator API shows it. */
interface OpClaim {
  id: string;
  claimantId: string;
  runId: string;
  suspenseIdx: number;
  amount: string;
  currency: string;
  evidence: string;
  status: 'submitted' | 'accepted' | 'rejected';
  decidedBy: string | null;
  decisionNote: string | null;
  releaseTxId: string | null;
  createdAt: string;
  decidedAt: string | null;
}

const TONE = { submitted: 'info', accepted: 'ok', rejected: 'bad' } as const;

/** `/operator/claims`. */
export function OperatorClaimsPage() {
  const { t } = useI18n();
  const [status, setStatus] = useState('submitted');
  const [rejecting, setRejecting] = useState<string>();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<Error>();
  const [decided, setDecided] = useState<OpClaim>();
  const keys = useRef(new Map<string, string>());
  const claims = usePagedApi<OpClaim>(`/api/operator/claims${qs({ status, limit: 50 })}`);
  const keyFor = (action: string, id: string) => {
    const k = `${action}:${id}`;
    let key = keys.current.get(k);
    if (!key) {
      key = newIdempotencyKey();
      keys.current.set(k, key);
    }
    return key;
  };
  const decide = (c: OpClaim, action: 'accept' | 'reject', body: Record<string, string>) => {
    setBusy(c.id);
    setError(undefined);
    setDecided(undefined);
    api<{ claim: OpClaim }>(`/api/operator/claims/${encodeURIComponent(c.id)}/${action}`, { method: 'POST', idempotencyKey: keyFor(action, c.id), body }).then(
      (r) => {
        keys.current.delete(`${action}:${c.id}`);
        setBusy(undefined);
        setRejecting(undefined);
        setNote('');
        setDecided(r.claim);
        claims.reload();
      },
      (err: Error) => {
        setBusy(undefined);
        setError(err);
      },
    );
  };
  return (
    <section>
      <PageTitle title={t('nav.operator.claims')} lead={t('opClaims.lead')} />
      <label class="filter">
        {t('common.status')}
        <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">{t('common.all')}</option>
          {['submitted', 'accepted', 'rejected'].map((s) => (
            <option key={s} value={s}>
              {enumLabel(t, 'claimStatus', s)}
            </option>
          ))}
        </select>
      </label>
      <ErrorBox error={error} />
      {decided && (
        <p class="verdict verdict-ok" role="status">
          {t(decided.status === 'accepted' ? 'opClaims.accepted' : 'opClaims.rejected', { id: decided.id })}
          {decided.releaseTxId && (
            <>
              {' '}
              {t('common.receipt')}: <TxLink txId={decided.releaseTxId} />
            </>
          )}
        </p>
      )}
      <ErrorBox error={claims.error} />
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('common.id')}</th>
              <th scope="col">{t('opClaims.claimant')}</th>
              <th scope="col">{t('statements.run')}</th>
              <th scope="col" class="r">
                {t('common.amount')}
              </th>
              <th scope="col">{t('claims.evidence')}</th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col">{t('claims.decision')}</th>
            </tr>
          </thead>
          <tbody>
            {claims.data?.map((c) => (
              <Fragment key={c.id}>
                <tr>
                  <td class="mono">{c.id}</td>
                  <td>{c.claimantId}</td>
                  <td>
                    {c.runId} #{c.suspenseIdx}
                  </td>
                  <td class="r">
                    <Money value={c.amount} currency={c.currency} />
                  </td>
                  <td class="small">{c.evidence}</td>
                  <td>
                    <Badge tone={TONE[c.status]}>{enumLabel(t, 'claimStatus', c.status)}</Badge> <DateText value={c.decidedAt ?? c.createdAt} />
                  </td>
                  <td>
                    {c.status === 'submitted' ? (
                      <>
                        <button type="button" class="btn btn-small" disabled={busy === c.id} onClick={() => decide(c, 'accept', {})}>
                          {t('opClaims.accept')}
                        </button>{' '}
                        <button type="button" class="btn btn-small btn-danger" aria-expanded={rejecting === c.id} disabled={busy === c.id} onClick={() => setRejecting(rejecting === c.id ? undefined : c.id)}>
                          {t('opClaims.reject')}
                        </button>
                      </>
                    ) : (
                      <>
                        {c.decisionNote ?? ''} {c.releaseTxId && <TxLink txId={c.releaseTxId} />}
                      </>
                    )}
                  </td>
                </tr>
                {rejecting === c.id && (
                  <tr>
                    <td colSpan={7}>
                      <form
                        class="form inline-form"
                        aria-label={t('opClaims.rejectClaim', { id: c.id })}
                        onSubmit={(e) => {
                          e.preventDefault();
                          decide(c, 'reject', { note });
                        }}
                      >
                        <label class="grow">
                          {t('opClaims.note')}
                          <textarea name="note" rows={2} required maxLength={2000} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
                        </label>
                        <button class="btn btn-danger" type="submit" disabled={busy === c.id}>
                          {t('opClaims.rejectSubmit')}
                        </button>
                      </form>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      <Loading when={claims.loading} />
      <Empty when={!claims.loading && claims.data?.length === 0}>{t('claims.none')}</Empty>
      <More more={claims.more} loading={claims.loading} />
    </section>
  );
}
