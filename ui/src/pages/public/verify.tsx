/**
 * Licence verification: enter the code printed on a certificate (or open the QR code's link) and
 * see whether the licence is valid today, with the ledger receipt of its issue.
 */
import { useState } from 'preact/hooks';
import { Badge, DateText, ErrorBox, Loading, PageTitle } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { Link, navigate } from '../../lib/router';
import { useApi } from '../../lib/use-api';
import type { LicenceVerification, Receipt } from './types';

const TONE = { valid: 'ok', expired: 'warn', not_yet_valid: 'warn', revoked: 'bad' } as const;

/** A ledger receipt as a definition list. */
export function ReceiptView({ receipt }: { receipt: Receipt }) {
  const { t } = useI18n();
  return (
    <dl class="dl">
      <dt>{t('receipt.tx')}</dt>
      <dd class="mono break">
        <Link href={`/receipts/${receipt.txId}`}>{receipt.txId}</Link>
      </dd>
      <dt>{t('receipt.block')}</dt>
      <dd>{receipt.blockNumber}</dd>
      <dt>{t('receipt.blockHash')}</dt>
      <dd class="mono break">{receipt.blockHash}</dd>
      <dt>{t('receipt.validation')}</dt>
      <dd>{receipt.validationCode}</dd>
      <dt>{t('receipt.time')}</dt>
      <dd>
        <DateText value={receipt.timestamp} />
      </dd>
    </dl>
  );
}

function CodeForm({ initial }: { initial?: string }) {
  const { t } = useI18n();
  const [code, setCode] = useState(initial ?? '');
  return (
    <form
      class="form search-form"
      onSubmit={(e) => {
        e.preventDefault();
        const c = code.trim().toUpperCase();
        if (c) navigate(`/verify/${encodeURIComponent(c)}`);
      }}
    >
      <label class="grow">
        {t('verify.code')}
        <input name="code" value={code} onInput={(e) => setCode(e.currentTarget.value)} placeholder="LIC-…" autoCapitalize="characters" required />
      </label>
      <button type="submit" class="btn">
        {t('verify.check')}
      </button>
    </form>
  );
}

/** `/verify`: the code form. */
export function VerifyFormPage() {
  const { t } = useI18n();
  return (
    <section>
      <PageTitle title={t('verify.title')} lead={t('verify.lead')} />
      <CodeForm />
    </section>
  );
}

/** `/verify/:code`: the verdict. */
export function VerifyPage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const code = params.code ?? '';
  const v = useApi<LicenceVerification>(`/api/public/licences/verify/${encodeURIComponent(code)}`);
  const d = v.data;
  return (
    <section>
      <PageTitle title={t('verify.title')} />
      <CodeForm initial={code} />
      <Loading when={v.loading} />
      {v.error && (
        <div class="verdict verdict-bad" role="status" data-testid="licence-status">
          <strong>{t('verify.unknown')}</strong> <span class="mono">{code}</span>
          <ErrorBox error={v.error} />
        </div>
      )}
      {d && (
        <article class="card">
          <div class={`verdict verdict-${TONE[d.status]}`} role="status" data-testid="licence-status" data-status={d.status}>
            <Badge tone={TONE[d.status]}>{enumLabel(t, 'licenceStatus', d.status)}</Badge>{' '}
            <span>{t('verify.asOf', { date: d.asOf })}</span>
          </div>
          <dl class="dl">
            <dt>{t('verify.code')}</dt>
            <dd class="mono">{d.code}</dd>
            <dt>{t('licence.licensee')}</dt>
            <dd>{d.licensee.name ?? d.licensee.id}</dd>
            <dt>{t('common.collective')}</dt>
            <dd>{d.collectiveId}</dd>
            <dt>{t('licence.tariff')}</dt>
            <dd>
              <Link href={`/tariffs/${encodeURIComponent(d.tariff.id)}`}>{d.tariff.name ?? d.tariff.id}</Link>
            </dd>
            <dt>{t('licence.term')}</dt>
            <dd>
              <DateText value={d.validFrom} /> – <DateText value={d.validTo} />
            </dd>
            <dt>{t('licence.territory')}</dt>
            <dd>{d.territory}</dd>
            <dt>{t('licence.scope')}</dt>
            <dd>{d.scope}</dd>
            {d.revocation && (
              <>
                <dt>{t('licence.revoked')}</dt>
                <dd>
                  <DateText value={d.revocation.at} /> · {d.revocation.reasonCode}
                </dd>
              </>
            )}
          </dl>
          {d.receipt && (
            <>
              <h2>{t('verify.receipt')}</h2>
              <ReceiptView receipt={d.receipt} />
            </>
          )}
        </article>
      )}
    </section>
  );
}
