/**
 * Published tariffs with their reasoning, and a fee calculator that asks the gateway for an exact
 * quote (`POST /api/public/tariffs/{id}/quote`): the figures are the ledger's formula's, not the browser's.
 */
import { useState } from 'preact/hooks';
import { DateText, Empty, ErrorBox, Loading, Money, More, PageTitle, TxLink } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { api, qs } from '../../lib/api';
import { Link } from '../../lib/router';
import { useApi, usePagedApi } from '../../lib/use-api';
import type { Formula, Quote, Tariff } from './types';

function FormulaText({ f }: { f: Formula }) {
  const { t } = useI18n();
  switch (f.kind) {
    case 'flat':
      return (
        <span>
          {t('tariff.flat', { unit: enumLabel(t, 'unit', f.unit), period: enumLabel(t, 'per', f.period) })}: <Money value={f.ratePerUnit} currency={f.currency} />
        </span>
      );
    case 'per_use_capped':
      return (
        <span>
          {t('tariff.perUse', { included: f.includedUsesPerDay })}: <Money value={f.baseFeePerDay} currency={f.currency} /> + <Money value={f.feePerExtraUse} currency={f.currency} /> · {t('tariff.cap')}{' '}
          <Money value={f.dailyCap} currency={f.currency} />
        </span>
      );
    case 'revenue_share':
      return (
        <span>
          {t('tariff.revenueShare', { rate: f.rate, period: enumLabel(t, 'per', f.period) })} · {t('tariff.minimum')} <Money value={f.minimum} currency={f.currency} />
        </span>
      );
  }
}

/** The fee calculator for one tariff. */
export function Calculator({ tariff }: { tariff: Tariff }) {
  const { t } = useI18n();
  const [units, setUnits] = useState('1');
  const [periods, setPeriods] = useState('1');
  const [terminals, setTerminals] = useState('1');
  const [days, setDays] = useState('30');
  const [usesPerDay, setUsesPerDay] = useState('10');
  const [revenue, setRevenue] = useState('100000.00');
  const [quote, setQuote] = useState<Quote>();
  const [error, setError] = useState<Error>();
  const f = tariff.formula;
  const int = (v: string) => (/^\d+$/.test(v) ? Number(v) : v);
  const body =
    f.kind === 'flat'
      ? { kind: 'flat', units: int(units), periods: int(periods) }
      : f.kind === 'per_use_capped'
        ? { kind: 'per_use_capped', uniform: { terminals: int(terminals), days: int(days), usesPerDay: int(usesPerDay) } }
        : { kind: 'revenue_share', revenue, periods: int(periods) };
  const field = (label: string, value: string, set: (v: string) => void, name: string, mode: 'numeric' | 'decimal' = 'numeric') => (
    <label>
      {label}
      <input name={name} inputMode={mode} required value={value} onInput={(e) => set(e.currentTarget.value)} />
    </label>
  );
  return (
    <form
      class="form inline-form"
      aria-label={t('tariff.calculator')}
      onSubmit={(e) => {
        e.preventDefault();
        setError(undefined);
        api<Quote>(`/api/public/tariffs/${encodeURIComponent(tariff.id)}/quote`, { method: 'POST', body }).then(setQuote, (err: Error) => {
          setQuote(undefined);
          setError(err);
        });
      }}
    >
      {f.kind === 'flat' && (
        <>
          {field(t('tariff.units', { unit: enumLabel(t, 'unit', f.unit) }), units, setUnits, 'units')}
          {field(t('tariff.periods', { period: enumLabel(t, 'period', f.period) }), periods, setPeriods, 'periods')}
        </>
      )}
      {f.kind === 'per_use_capped' && (
        <>
          {field(t('tariff.terminals'), terminals, setTerminals, 'terminals')}
          {field(t('tariff.days'), days, setDays, 'days')}
          {field(t('tariff.usesPerDay'), usesPerDay, setUsesPerDay, 'usesPerDay')}
        </>
      )}
      {f.kind === 'revenue_share' && (
        <>
          {field(t('tariff.revenue'), revenue, setRevenue, 'revenue', 'decimal')}
          {field(t('tariff.periods', { period: enumLabel(t, 'period', f.period) }), periods, setPeriods, 'periods')}
        </>
      )}
      <button type="submit" class="btn">
        {t('tariff.calculate')}
      </button>
      <ErrorBox error={error} />
      {quote && (
        <table class="table compact" aria-label={t('tariff.quote')}>
          <tbody>
            {quote.lines.map((l, i) => (
              <tr key={i}>
                <td>{l.label}</td>
                <td class="r">
                  <Money value={l.amount} currency={quote.currency} />
                </td>
              </tr>
            ))}
            <tr class="total">
              <th scope="row">{t('common.total')}</th>
              <td class="r" data-testid="quote-total">
                <Money value={quote.total} currency={quote.currency} />
              </td>
            </tr>
          </tbody>
        </table>
      )}
    </form>
  );
}

function TariffCard({ tariff }: { tariff: Tariff }) {
  const { t } = useI18n();
  return (
    <article class="card" id={`tariff-${tariff.id}`}>
      <h2>
        <Link href={`/tariffs/${encodeURIComponent(tariff.id)}`}>{tariff.name}</Link>
      </h2>
      <p class="meta">
        {tariff.collectiveId} · {enumLabel(t, 'use', tariff.useType)} · {tariff.rightTypes.map((r) => enumLabel(t, 'right', r)).join(', ')} · {t('tariff.effective')} <DateText value={tariff.effectiveFrom} />
        {tariff.effectiveTo && (
          <>
            {' – '}
            <DateText value={tariff.effectiveTo} />
          </>
        )}
      </p>
      <p>
        <FormulaText f={tariff.formula} />
      </p>
      <details>
        <summary>{t('tariff.reasoning')}</summary>
        <p class="prewrap">{tariff.reasoning}</p>
        <p class="small muted">
          {t('common.receipt')}: <TxLink txId={tariff.txId} />
        </p>
      </details>
      <details>
        <summary>{t('tariff.calculator')}</summary>
        <Calculator tariff={tariff} />
      </details>
    </article>
  );
}

/** All published tariffs. */
export function TariffsPage() {
  const { t } = useI18n();
  const [collective, setCollective] = useState('');
  const list = usePagedApi<Tariff>(`/api/public/tariffs${qs({ collective, limit: 50 })}`);
  return (
    <section>
      <PageTitle title={t('tariff.title')} lead={t('tariff.lead')} />
      <label class="filter">
        {t('common.collective')}
        <select value={collective} onChange={(e) => setCollective(e.currentTarget.value)}>
          <option value="">{t('common.all')}</option>
          <option value="MCSC">MCSC</option>
          <option value="CAVCA">CAVCA</option>
        </select>
      </label>
      <ErrorBox error={list.error} />
      <div class="stack">{list.data?.map((x) => <TariffCard key={x.id} tariff={x} />)}</div>
      <Loading when={list.loading} />
      <Empty when={!list.loading && list.data?.length === 0}>{t('common.none')}</Empty>
      <More more={list.more} loading={list.loading} />
    </section>
  );
}

/** One tariff, with the calculator open. */
export function TariffPage({ params }: { params: Record<string, string> }) {
  const { t } = useI18n();
  const tariff = useApi<Tariff>(`/api/public/tariffs/${encodeURIComponent(params.id ?? '')}`);
  return (
    <section>
      <p>
        <Link href="/tariffs">← {t('tariff.title')}</Link>
      </p>
      <ErrorBox error={tariff.error} />
      <Loading when={tariff.loading} />
      {tariff.data && (
        <>
          <PageTitle title={tariff.data.name} />
          <p>
            <FormulaText f={tariff.data.formula} />
          </p>
          <h2>{t('tariff.reasoning')}</h2>
          <p class="prewrap">{tariff.data.reasoning}</p>
          <h2>{t('tariff.calculator')}</h2>
          <Calculator tariff={tariff.data} />
        </>
      )}
    </section>
  );
}
