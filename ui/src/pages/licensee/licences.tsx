/** A licensee's licences, and a licence's printable certificate with a QR code that opens the public verification page. */
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import { Badge, DateText, Empty, ErrorBox, Loading, Money, More, PageTitle } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { Link } from '../../lib/router';
import { useApi, usePagedApi } from '../../lib/use-api';
import { ReceiptView } from '../public/verify';
import type { Certificate, Licence } from './types';

const TONE = { active: 'ok', expired: 'warn', not_yet_valid: 'warn', revoked: 'bad' } as const;

/** `/licensee`. */
export function LicencesPage() {
  const { t } = useI18n();
  const list = usePagedApi<Licence>('/api/licensee/licences?limit=50');
  return (
    <section>
      <PageTitle title={t('licences.title')} lead={t('licences.lead')} />
      <ErrorBox error={list.error} />
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('licence.licence')}</th>
              <th scope="col">{t('licence.tariff')}</th>
              <th scope="col">{t('licence.term')}</th>
              <th scope="col" class="r">
                {t('licence.fee')}
              </th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {list.data?.map((l) => (
              <tr key={l.id}>
                <td>
                  {l.id}
                  <div class="mono small">{l.code}</div>
                </td>
                <td>{l.tariffName ?? l.tariffId}</td>
                <td>
                  <DateText value={l.validFrom} /> – <DateText value={l.validTo} />
                </td>
                <td class="r">
                  <Money value={l.fee} currency={l.currency} />
                </td>
                <td>
                  <Badge tone={TONE[l.status]}>{enumLabel(t, 'licenceStatus', l.status)}</Badge>
                </td>
                <td>
                  <Link href={`/licensee/licences/${encodeURIComponent(l.id)}/certificate`}>{t('licences.certificate')}</Link> · <Link href={`/verify/${encodeURIComponent(l.code)}`}>{t('nav.verify')}</Link>
                </td>
              </tr>
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

function Qr({ url, label }: { url: string; label: string }) {
  const [svg, setSvg] = useState<string>();
  useEffect(() => {
    // Rendered here in the browser: the QR code encodes the public verification link and nothing else.
    QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }).then(setSvg, () => setSvg(undefined));
  }, [url]);
  return svg ? <div class="qr" role="img" aria-label={label} data-testid="qr" dangerouslySetInnerHTML={{ __html: svg }} /> : null;
}

/** `/licensee/licences/:id/certificate`: a printable certificate. */
export function CertificatePage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const cert = useApi<Certificate>(`/api/licensee/licences/${encodeURIComponent(params.id ?? '')}/certificate`);
  const c = cert.data;
  // The verification link points at this web app's own address (the QR must work from a phone on the same network as the printout's reader).
  const url = c ? `${window.location.origin}/verify/${encodeURIComponent(c.verification.code)}` : '';
  return (
    <section>
      <p class="no-print">
        <Link href="/licensee">← {t('licences.title')}</Link>{' '}
        <button type="button" class="btn btn-secondary" onClick={() => window.print()}>
          {t('common.print')}
        </button>
      </p>
      <ErrorBox error={cert.error} />
      <Loading when={cert.loading} />
      {c && (
        <article class="certificate card">
          <header>
            <p class="muted">{c.collective.name}</p>
            <h1 id="page-title" tabIndex={-1}>
              {t('certificate.title')}
            </h1>
            <p>
              <Badge tone={TONE[c.status]}>{enumLabel(t, 'licenceStatus', c.status)}</Badge>
            </p>
          </header>
          <div class="cert-body">
            <dl class="dl">
              <dt>{t('licence.licensee')}</dt>
              <dd>
                <strong>{c.licensee.name}</strong> ({c.licensee.id})
              </dd>
              <dt>{t('licence.licence')}</dt>
              <dd>{c.licence.id}</dd>
              <dt>{t('licence.tariff')}</dt>
              <dd>{c.tariff.name}</dd>
              <dt>{t('licence.term')}</dt>
              <dd>
                <DateText value={c.term.validFrom} /> – <DateText value={c.term.validTo} />
              </dd>
              <dt>{t('licence.territory')}</dt>
              <dd>{c.territory}</dd>
              <dt>{t('licence.scope')}</dt>
              <dd>{c.scope}</dd>
              <dt>{t('licence.fee')}</dt>
              <dd>
                <Money value={c.fee} currency={c.currency} />
              </dd>
              <dt>{t('verify.code')}</dt>
              <dd class="mono" data-testid="cert-code">
                {c.verification.code}
              </dd>
            </dl>
            <div class="qr-box">
              <Qr url={url} label={t('certificate.qr', { url })} />
              <p class="small">
                {t('certificate.scan')}
                <br />
                <a href={url} class="mono break">
                  {url}
                </a>
              </p>
            </div>
          </div>
          <h2>{t('certificate.issuedOnLedger')}</h2>
          <ReceiptView receipt={c.issuedBy} />
          <details class="no-print">
            <summary>{t('tariff.reasoning')}</summary>
            <p class="prewrap">{c.tariff.reasoning}</p>
          </details>
        </article>
      )}
    </section>
  );
}
