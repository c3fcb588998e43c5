/** A licensee's invoices, and paying one (`POST /api/licensee/invoices/{id}/payments`). */
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { Badge, DateText, Empty, ErrorBox, Loading, Money, More, PageTitle } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { api, newIdempotencyKey } from '../../lib/api';
import { usePagedApi } from '../../lib/use-api';
import type { Invoice } from './types';

const TONE = { open: 'warn', paid: 'ok', cancelled: 'neutral' } as const;

function PayForm({ invoice, onPaid }: { invoice: Invoice; onPaid: () => void }) {
  const { t } = useI18n();
  const [amount, setAmount] = useState(invoice.outstanding);
  const [reference, setReference] = useState('');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  // One key per form: a double click or a retry after a network error is the same payment.
  const [key] = useState(newIdempotencyKey);
  return (
    <form
      class="form inline-form"
      aria-label={t('invoices.payInvoice', { id: invoice.id })}
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        api(`/api/licensee/invoices/${encodeURIComponent(invoice.id)}/payments`, { method: 'POST', idempotencyKey: key, body: { amount, currency: invoice.currency, reference } }).then(onPaid, (err: Error) => {
          setError(err);
          setBusy(false);
        });
      }}
    >
      <label>
        {t('common.amount')} ({invoice.currency})
        <input name="amount" inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} required />
      </label>
      <label>
        {t('invoices.reference')}
        <input name="reference" value={reference} onInput={(e) => setReference(e.currentTarget.value)} required />
      </label>
      <button type="submit" class="btn" disabled={busy}>
        {t('invoices.pay')}
      </button>
      <ErrorBox error={error} />
    </form>
  );
}

/** `/licensee/invoices`. */
export function InvoicesPage() {
  const { t } = useI18n();
  const list = usePagedApi<Invoice>('/api/licensee/invoices?limit=50');
  const [paying, setPaying] = useState<string>();
  return (
    <section>
      <PageTitle title={t('invoices.title')} lead={t('invoices.lead')} />
      <ErrorBox error={list.error} />
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('common.id')}</th>
              <th scope="col">{t('common.pool')}</th>
              <th scope="col">{t('invoices.due')}</th>
              <th scope="col" class="r">
                {t('common.amount')}
              </th>
              <th scope="col" class="r">
                {t('invoices.paid')}
              </th>
              <th scope="col" class="r">
                {t('invoices.outstanding')}
              </th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {list.data?.map((i) => (
              <Fragment key={i.id}>
                <tr>
                  <td>{i.id}</td>
                  <td>
                    {enumLabel(t, 'use', i.pool.useType)} · {i.pool.period}
                  </td>
                  <td>
                    <DateText value={i.dueDate} />
                  </td>
                  <td class="r">
                    <Money value={i.amount} currency={i.currency} />
                  </td>
                  <td class="r">
                    <Money value={i.paid} currency={i.currency} />
                  </td>
                  <td class="r">
                    <Money value={i.outstanding} currency={i.currency} />
                  </td>
                  <td>
                    <Badge tone={TONE[i.status]}>{enumLabel(t, 'invoiceStatus', i.status)}</Badge>
                  </td>
                  <td>
                    {i.status === 'open' && (
                      <button type="button" class="btn btn-small" aria-expanded={paying === i.id} onClick={() => setPaying(paying === i.id ? undefined : i.id)}>
                        {t('invoices.pay')}
                      </button>
                    )}
                  </td>
                </tr>
                {paying === i.id && (
                  <tr>
                    <td colSpan={8}>
                      <PayForm
                        invoice={i}
                        onPaid={() => {
                          setPaying(undefined);
                          list.reload();
                        }}
                      />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      <Loading when={list.loading} />
      <Empty when={!list.loading && list.data?.length === 0}>{t('common.none')}</Empty>
      <More more={list.more} loading={list.loading} />
    </section>
  );
}
