/**
 * The operator console's registers: members and licensees, works (with CWR import), licences,
 * invoices and payments, payouts and journal entries (with reversal). Each write sends an
 * Idempotency-Key made once per form, so a repeated click is the same command.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Badge, DateText, Empty, ErrorBox, Loading, Money, More, PageTitle, TxLink } from '../../components/common';
import { enumLabel, type Translate, useI18n } from '../../i18n';
import type { MessageKey } from '../../i18n/en';
import { api, ApiError, newIdempotencyKey, qs } from '../../lib/api';
import { CURRENCIES, isMoneyInput, isRateInput, moneyPattern, RATE_PATTERN } from '../../lib/format';
import { useAuth } from '../../lib/auth';
import { Link } from '../../lib/router';
import { usePagedApi } from '../../lib/use-api';

/** A column of a register table. */
interface Column<T> {
  head: MessageKey | string;
  cell: (row: T) => ComponentChildren;
  right?: boolean;
}

function Register<T>({ path, columns, rowKey, empty }: { path: string; columns: Column<T>[]; rowKey: (r: T) => string; empty?: MessageKey }) {
  const { t } = useI18n();
  const list = usePagedApi<T>(path);
  return (
    <>
      <ErrorBox error={list.error} />
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              {columns.map((c, i) => (
                <th scope="col" key={i} class={c.right ? 'r' : undefined}>
                  {c.head.includes('.') ? t(c.head as MessageKey) : c.head}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {list.data?.map((r) => (
              <tr key={rowKey(r)}>
                {columns.map((c, i) => (
                  <td key={i} class={c.right ? 'r' : undefined}>
                    {c.cell(r)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Loading when={list.loading} />
      <Empty when={!list.loading && list.data?.length === 0}>{t(empty ?? 'common.none')}</Empty>
      <More more={list.more} loading={list.loading} />
    </>
  );
}

/** The ledger transaction id in a write's answer: `{ receipt: { txId } }` or `{ txId }`. */
function txIdOf(result: unknown): string | undefined {
  if (!result || typeof result !== 'object') return undefined;
  const r = result as { receipt?: { txId?: unknown }; txId?: unknown };
  const tx = r.receipt?.txId ?? r.txId;
  return typeof tx === 'string' ? tx : undefined;
}

/** A refusal of the form itself (before anything is sent), shown like the API's errors: code and field. */
function formError(field: string, message: string): ApiError {
  return new ApiError(0, 'FORM.INVALID', message, { field });
}

/** A write form: fields, a submit button, the error, and a note with the ledger transaction when done. */
function WriteForm({ title, submit, children, onDone }: { title: string; submit: (key: string) => Promise<unknown>; children: ComponentChildren; onDone?: () => void }) {
  const { t } = useI18n();
  const [key, setKey] = useState(newIdempotencyKey);
  const [error, setError] = useState<Error>();
  const [done, setDone] = useState<{ txId?: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="form card grid-form"
      aria-label={title}
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        setDone(undefined);
        let pending: Promise<unknown>;
        try {
          pending = submit(key);
        } catch (err) {
          pending = Promise.reject(err as Error);
        }
        pending.then(
          (result) => {
            setDone({ txId: txIdOf(result) });
            setBusy(false);
            setKey(newIdempotencyKey());
            onDone?.();
          },
          (err: Error) => {
            setError(err);
            setBusy(false);
          },
        );
      }}
    >
      <h2>{title}</h2>
      {children}
      <div>
        <button class="btn" type="submit" disabled={busy}>
          {t('common.save')}
        </button>
      </div>
      <ErrorBox error={error} />
      {done && (
        <p class="verdict verdict-ok" role="status">
          {t('common.saved')}
          {done.txId && (
            <>
              {' '}
              {t('common.receipt')}: <TxLink txId={done.txId} />
            </>
          )}
        </p>
      )}
    </form>
  );
}

function Field({
  label,
  value,
  set,
  name,
  required = true,
  type = 'text',
  pattern,
  inputMode,
  placeholder,
}: {
  label: string;
  value: string;
  set: (v: string) => void;
  name: string;
  required?: boolean;
  type?: string;
  pattern?: string;
  inputMode?: 'decimal' | 'numeric';
  placeholder?: string;
}) {
  return (
    <label>
      {label}
      <input name={name} type={type} value={value} required={required} pattern={pattern} inputMode={inputMode} placeholder={placeholder} onInput={(e) => set(e.currentTarget.value)} />
    </label>
  );
}

/** A money input: a decimal string at the currency's scale, checked as typed and sent as typed. */
function MoneyField({ label, value, set, name, currency, required = true }: { label: string; value: string; set: (v: string) => void; name: string; currency: string; required?: boolean }) {
  return <Field label={`${label} (${currency})`} name={name} value={value} set={set} required={required} pattern={moneyPattern(currency)} inputMode="decimal" placeholder={currency === 'JPY' ? '1200' : '1234.50'} />;
}

/** Throws a form error when a money field does not hold a decimal string at the currency's scale. */
function checkMoney(t: Translate, field: string, value: string, currency: string): void {
  if (!isMoneyInput(value, currency)) throw formError(field, t('form.invalidMoney', { value, currency }));
}

/** Throws a form error when a rate field does not hold a non-negative decimal string. */
function checkRate(t: Translate, field: string, value: string): void {
  if (!isRateInput(value)) throw formError(field, t('form.invalidRate', { value }));
}

function CurrencySelect({ value, set }: { value: string; set: (v: string) => void }) {
  const { t } = useI18n();
  return (
    <label>
      {t('form.currency')}
      <select name="currency" value={value} onChange={(e) => set(e.currentTarget.value)}>
        {CURRENCIES.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
}

const USE_TYPES = ['ktv', 'background_music', 'broadcast', 'streaming', 'live', 'cinema', 'other'];
const RIGHT_TYPES = ['performing', 'mechanical'];

function UseTypeSelect({ value, set }: { value: string; set: (v: string) => void }) {
  const { t } = useI18n();
  return (
    <label>
      {t('common.useType')}
      <select name="useType" value={value} onChange={(e) => set(e.currentTarget.value)}>
        {USE_TYPES.map((u) => (
          <option key={u} value={u}>
            {enumLabel(t, 'use', u)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** `/operator`. */
export function OperatorHomePage() {
  const { t } = useI18n();
  const { session } = useAuth();
  const links: [string, MessageKey][] = [
    ['/operator/parties', 'nav.operator.parties'],
    ['/operator/works', 'nav.operator.works'],
    ['/operator/licences', 'nav.operator.licences'],
    ['/operator/income', 'nav.operator.income'],
    ['/operator/distributions', 'nav.operator.distributions'],
    ['/operator/claims', 'nav.operator.claims'],
    ['/operator/payouts', 'nav.operator.payouts'],
    ['/operator/entries', 'nav.operator.entries'],
  ];
  return (
    <section>
      <PageTitle title={t('operator.title', { collective: session?.user.collectiveId ?? '' })} lead={t('operator.lead')} />
      <ul class="cards">
        {links.map(([href, label]) => (
          <li class="card" key={href}>
            <h2>
              <Link href={href}>{t(label)}</Link>
            </h2>
          </li>
        ))}
      </ul>
    </section>
  );
}

interface Party {
  id: string;
  kind: string;
  name: string;
  memberType: string | null;
  licenseeType: string | null;
  ipiNameNumber: string | null;
}

/** `/operator/parties`. */
export function PartiesPage() {
  const { t } = useI18n();
  const [kind, setKind] = useState('member');
  const [partyId, setPartyId] = useState('');
  const [name, setName] = useState('');
  const [type, setType] = useState('author_composer');
  const [ipi, setIpi] = useState('');
  const [email, setEmail] = useState('');
  const [filter, setFilter] = useState('');
  const [tick, setTick] = useState(0);
  return (
    <section>
      <PageTitle title={t('nav.operator.parties')} lead={t('parties.lead')} />
      <WriteForm
        title={t('parties.register')}
        onDone={() => setTick(tick + 1)}
        submit={(key) =>
          api('/api/operator/parties', {
            method: 'POST',
            idempotencyKey: key,
            body: {
              partyId,
              kind,
              name,
              ...(kind === 'member' ? { memberType: type, ...(ipi && { ipiNameNumber: ipi }) } : { licenseeType: type }),
              ...(email && { contact: { email } }),
            },
          })
        }
      >
        <label>
          {t('parties.kind')}
          <select
            value={kind}
            onChange={(e) => {
              setKind(e.currentTarget.value);
              setType(e.currentTarget.value === 'member' ? 'author_composer' : 'ktv');
            }}
          >
            <option value="member">{t('role.member')}</option>
            <option value="licensee">{t('role.licensee')}</option>
          </select>
        </label>
        <Field label={t('common.id')} name="partyId" value={partyId} set={setPartyId} />
        <Field label={t('parties.name')} name="name" value={name} set={setName} />
        <label>
          {t('parties.type')}
          <select value={type} onChange={(e) => setType(e.currentTarget.value)}>
            {(kind === 'member' ? ['author', 'composer', 'author_composer', 'publisher', 'producer', 'performer'] : ['ktv', 'background_music', 'broadcaster', 'streaming', 'live', 'cinema', 'other']).map((x) => (
              <option key={x} value={x}>
                {enumLabel(t, kind === 'member' ? 'memberType' : 'use', x)}
              </option>
            ))}
          </select>
        </label>
        {kind === 'member' && <Field label="IPI" name="ipi" value={ipi} set={setIpi} required={false} />}
        <Field label={t('parties.email')} name="email" type="email" value={email} set={setEmail} required={false} />
        <p class="small muted">{t('parties.private')}</p>
      </WriteForm>
      <label class="filter">
        {t('common.search')}
        <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
      </label>
      <Register<Party>
        key={tick}
        path={`/api/operator/parties${qs({ q: filter, limit: 50 })}`}
        rowKey={(p) => p.id}
        columns={[
          { head: 'common.id', cell: (p) => <span class="mono">{p.id}</span> },
          { head: 'parties.name', cell: (p) => p.name },
          { head: 'parties.kind', cell: (p) => enumLabel(t, 'role', p.kind) },
          { head: 'parties.type', cell: (p) => p.memberType ?? p.licenseeType ?? '—' },
          { head: 'IPI', cell: (p) => p.ipiNameNumber ?? '—' },
        ]}
      />
    </section>
  );
}

interface OpWork {
  id: string;
  title: string;
  iswc: string | null;
}

/** `/operator/works`: the register and the CWR import. */
export function OperatorWorksPage() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [file, setFile] = useState<File>();
  const [registerUnknown, setRegisterUnknown] = useState(false);
  const [report, setReport] = useState<Record<string, unknown>>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  return (
    <section>
      <PageTitle title={t('nav.operator.works')} lead={t('works.lead')} />
      <form
        class="form card"
        onSubmit={(e) => {
          e.preventDefault();
          if (!file) return;
          setBusy(true);
          setError(undefined);
          api<Record<string, unknown>>(`/api/operator/imports/cwr${qs({ registerUnknown: registerUnknown ? 'true' : undefined })}`, { method: 'POST', body: file, contentType: 'application/octet-stream', idempotencyKey: newIdempotencyKey() }).then(
            (r) => {
              setReport(r);
              setBusy(false);
            },
            (err: Error) => {
              setError(err);
              setBusy(false);
            },
          );
        }}
      >
        <h2>{t('works.cwrImport')}</h2>
        <label>
          {t('works.cwrFile')}
          <input type="file" required onChange={(e) => setFile(e.currentTarget.files?.[0])} />
        </label>
        <label class="check">
          <input type="checkbox" checked={registerUnknown} onChange={(e) => setRegisterUnknown(e.currentTarget.checked)} /> {t('works.registerUnknown')}
        </label>
        <button class="btn" type="submit" disabled={busy || !file}>
          {t('works.import')}
        </button>
        <Loading when={busy} />
        <ErrorBox error={error} />
        {report && <pre class="report-json">{JSON.stringify(report, null, 2)}</pre>}
      </form>
      <label class="filter">
        {t('common.search')}
        <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
      </label>
      <Register<OpWork>
        path={`/api/operator/works${qs({ q, limit: 50 })}`}
        rowKey={(w) => w.id}
        columns={[
          { head: 'common.id', cell: (w) => <Link href={`/works/${encodeURIComponent(w.id)}`}>{w.id}</Link> },
          { head: 'work.title', cell: (w) => w.title },
          { head: 'ISWC', cell: (w) => <span class="mono">{w.iswc ?? '—'}</span> },
        ]}
      />
    </section>
  );
}

interface OpLicence {
  id: string;
  code: string;
  licenseeId: string;
  tariffId: string;
  validFrom: string;
  validTo: string;
  status: string;
  fee: string;
  currency: string;
  txId: string;
}

interface OpTariff {
  id: string;
  name: string;
  useType: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  txId: string;
}

const TARIFF_UNITS = ['room', 'square_metre', 'seat', 'terminal', 'device', 'venue'];
const TARIFF_PERIODS = ['day', 'month', 'year'];

/** The formula of a tariff from the form's strings; money and rates are checked and sent as typed. */
function tariffFormula(t: Translate, kind: string, currency: string, f: Record<string, string>): Record<string, unknown> {
  if (kind === 'flat') {
    checkRate(t, 'formula.ratePerUnit', f.ratePerUnit ?? '');
    return { kind, currency, ratePerUnit: f.ratePerUnit, unit: f.unit, period: f.period };
  }
  if (kind === 'per_use_capped') {
    checkMoney(t, 'formula.baseFeePerDay', f.baseFeePerDay ?? '', currency);
    if (!/^\d+$/.test(f.includedUsesPerDay ?? '')) throw formError('formula.includedUsesPerDay', t('form.invalidCount', { value: f.includedUsesPerDay ?? '' }));
    checkRate(t, 'formula.feePerExtraUse', f.feePerExtraUse ?? '');
    checkMoney(t, 'formula.dailyCap', f.dailyCap ?? '', currency);
    // A count of uses, not money: a whole number checked above.
    return { kind, currency, baseFeePerDay: f.baseFeePerDay, includedUsesPerDay: Number(f.includedUsesPerDay), feePerExtraUse: f.feePerExtraUse, dailyCap: f.dailyCap };
  }
  checkRate(t, 'formula.rate', f.rate ?? '');
  checkMoney(t, 'formula.minimum', f.minimum ?? '', currency);
  return { kind, currency, rate: f.rate, minimum: f.minimum, period: f.period };
}

/** Publishing a tariff (`POST /api/operator/tariffs`) and the collective's tariffs. */
function TariffsSection() {
  const { t } = useI18n();
  const [tick, setTick] = useState(0);
  const [tariffId, setTariffId] = useState('');
  const [name, setName] = useState('');
  const [useType, setUseType] = useState('ktv');
  const [rightTypes, setRightTypes] = useState<string[]>(['performing']);
  const [reasoning, setReasoning] = useState('');
  const [kind, setKind] = useState('flat');
  const [currency, setCurrency] = useState('CNY');
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [formula, setFormula] = useState<Record<string, string>>({ unit: 'room', period: 'year', includedUsesPerDay: '0' });
  const setF = (k: string) => (v: string) => setFormula((f) => ({ ...f, [k]: v }));
  const toggleRight = (r: string, on: boolean) => setRightTypes((xs) => (on ? [...xs.filter((x) => x !== r), r].sort((a, b) => RIGHT_TYPES.indexOf(a) - RIGHT_TYPES.indexOf(b)) : xs.filter((x) => x !== r)));
  const periodSelect = (
    <label>
      {t('tariffForm.period')}
      <select name="period" value={formula.period} onChange={(e) => setF('period')(e.currentTarget.value)}>
        {TARIFF_PERIODS.map((p) => (
          <option key={p} value={p}>
            {enumLabel(t, 'per', p)}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <>
      <h2>{t('tariffForm.list')}</h2>
      <WriteForm
        title={t('tariffForm.publish')}
        onDone={() => setTick(tick + 1)}
        submit={(key) => {
          if (rightTypes.length === 0) throw formError('rightTypes', t('tariffForm.noRightType'));
          const body = { tariffId, name, useType, rightTypes, reasoning, formula: tariffFormula(t, kind, currency, formula), effectiveFrom };
          return api('/api/operator/tariffs', { method: 'POST', idempotencyKey: key, body });
        }}
      >
        <Field label={t('common.id')} name="tariffId" value={tariffId} set={setTariffId} placeholder="T-KTV-2027" />
        <Field label={t('parties.name')} name="name" value={name} set={setName} />
        <UseTypeSelect value={useType} set={setUseType} />
        <fieldset class="plain-fieldset">
          <legend>{t('tariffForm.rightTypes')}</legend>
          {RIGHT_TYPES.map((r) => (
            <label class="check" key={r}>
              <input type="checkbox" name="rightTypes" value={r} checked={rightTypes.includes(r)} onChange={(e) => toggleRight(r, e.currentTarget.checked)} /> {enumLabel(t, 'right', r)}
            </label>
          ))}
        </fieldset>
        <Field label={t('tariffForm.effectiveFrom')} name="effectiveFrom" type="date" value={effectiveFrom} set={setEffectiveFrom} />
        <label class="span-all">
          {t('tariff.reasoning')}
          <textarea name="reasoning" rows={3} required value={reasoning} onInput={(e) => setReasoning(e.currentTarget.value)} />
        </label>
        <label>
          {t('tariffForm.kind')}
          <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
            {['flat', 'per_use_capped', 'revenue_share'].map((k) => (
              <option key={k} value={k}>
                {t(`tariffKind.${k}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <CurrencySelect value={currency} set={setCurrency} />
        {kind === 'flat' && (
          <>
            <Field label={t('tariffForm.ratePerUnit')} name="ratePerUnit" value={formula.ratePerUnit ?? ''} set={setF('ratePerUnit')} pattern={RATE_PATTERN} inputMode="decimal" placeholder="0.50" />
            <label>
              {t('tariffForm.unit')}
              <select name="unit" value={formula.unit} onChange={(e) => setF('unit')(e.currentTarget.value)}>
                {TARIFF_UNITS.map((u) => (
                  <option key={u} value={u}>
                    {enumLabel(t, 'unit', u)}
                  </option>
                ))}
              </select>
            </label>
            {periodSelect}
          </>
        )}
        {kind === 'per_use_capped' && (
          <>
            <MoneyField label={t('tariffForm.baseFeePerDay')} name="baseFeePerDay" value={formula.baseFeePerDay ?? ''} set={setF('baseFeePerDay')} currency={currency} />
            <Field label={t('tariffForm.includedUsesPerDay')} name="includedUsesPerDay" value={formula.includedUsesPerDay ?? ''} set={setF('includedUsesPerDay')} pattern="\d+" inputMode="numeric" />
            <Field label={t('tariffForm.feePerExtraUse')} name="feePerExtraUse" value={formula.feePerExtraUse ?? ''} set={setF('feePerExtraUse')} pattern={RATE_PATTERN} inputMode="decimal" placeholder="0.30" />
            <MoneyField label={t('tariffForm.dailyCap')} name="dailyCap" value={formula.dailyCap ?? ''} set={setF('dailyCap')} currency={currency} />
          </>
        )}
        {kind === 'revenue_share' && (
          <>
            <Field label={t('tariffForm.rate')} name="rate" value={formula.rate ?? ''} set={setF('rate')} pattern={RATE_PATTERN} inputMode="decimal" placeholder="0.025" />
            <MoneyField label={t('tariffForm.minimum')} name="minimum" value={formula.minimum ?? ''} set={setF('minimum')} currency={currency} />
            {periodSelect}
          </>
        )}
        <p class="small muted">{t('tariffForm.hint')}</p>
      </WriteForm>
      <Register<OpTariff>
        key={tick}
        path="/api/operator/tariffs?limit=50"
        rowKey={(x) => x.id}
        columns={[
          { head: 'common.id', cell: (x) => <Link href={`/tariffs/${encodeURIComponent(x.id)}`}>{x.id}</Link> },
          { head: 'parties.name', cell: (x) => x.name },
          { head: 'common.useType', cell: (x) => enumLabel(t, 'use', x.useType) },
          { head: 'tariffForm.inForce', cell: (x) => `${x.effectiveFrom} – ${x.effectiveTo ?? ''}` },
          { head: 'common.receipt', cell: (x) => <TxLink txId={x.txId} /> },
        ]}
      />
    </>
  );
}

/** Issuing a licence (`POST /api/operator/licences`); the licence id is made from the form's key. */
function IssueLicenceForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [licenseeId, setLicenseeId] = useState('');
  const [tariffId, setTariffId] = useState('');
  const [validFrom, setValidFrom] = useState('');
  const [validTo, setValidTo] = useState('');
  const [territory, setTerritory] = useState('CN');
  const [scope, setScope] = useState('');
  const [fee, setFee] = useState('');
  const [currency, setCurrency] = useState('CNY');
  return (
    <WriteForm
      title={t('licenceForm.issue')}
      onDone={onDone}
      submit={(key) => {
        checkMoney(t, 'fee', fee, currency);
        if (validTo && validFrom && validTo < validFrom) throw formError('validTo', t('licenceForm.badTerm'));
        return api('/api/operator/licences', {
          method: 'POST',
          idempotencyKey: key,
          body: { licenceId: `LIC-${key.slice(0, 8)}`, licenseeId, tariffId, validFrom, validTo, territory, scope, fee, currency },
        });
      }}
    >
      <Field label={t('licence.licensee')} name="licenseeId" value={licenseeId} set={setLicenseeId} />
      <Field label={t('licence.tariff')} name="tariffId" value={tariffId} set={setTariffId} />
      <Field label={t('licenceForm.validFrom')} name="validFrom" type="date" value={validFrom} set={setValidFrom} />
      <Field label={t('licenceForm.validTo')} name="validTo" type="date" value={validTo} set={setValidTo} />
      <Field label={t('licence.territory')} name="territory" value={territory} set={(v) => setTerritory(v.toUpperCase())} pattern="[A-Z]{2}(-[A-Z0-9]{1,3})?" placeholder="CN-BJ" />
      <Field label={t('licence.scope')} name="scope" value={scope} set={setScope} />
      <MoneyField label={t('licence.fee')} name="fee" value={fee} set={setFee} currency={currency} />
      <CurrencySelect value={currency} set={setCurrency} />
      <p class="small muted">{t('licenceForm.hint')}</p>
    </WriteForm>
  );
}

/** `/operator/licences`: licences (revocable) and the tariffs behind them. */
export function OperatorLicencesPage() {
  const { t } = useI18n();
  const [tick, setTick] = useState(0);
  const [error, setError] = useState<Error>();
  const revoke = (l: OpLicence) => {
    const note = window.prompt(t('licences.revokeNote', { id: l.id }));
    if (note === null) return;
    api(`/api/operator/licences/${encodeURIComponent(l.id)}/revoke`, { method: 'POST', idempotencyKey: newIdempotencyKey(), body: { reasonCode: 'OTHER', ...(note && { note }) } }).then(
      () => setTick(tick + 1),
      (err: Error) => setError(err),
    );
  };
  return (
    <section>
      <PageTitle title={t('nav.operator.licences')} lead={t('opLicences.lead')} />
      <p>
        <Link href="/tariffs">{t('nav.tariffs')}</Link>
      </p>
      <TariffsSection />
      <h2>{t('nav.operator.licences')}</h2>
      <IssueLicenceForm onDone={() => setTick(tick + 1)} />
      <ErrorBox error={error} />
      <Register<OpLicence>
        key={tick}
        path="/api/operator/licences?limit=50"
        rowKey={(l) => l.id}
        columns={[
          { head: 'licence.licence', cell: (l) => <Link href={`/verify/${encodeURIComponent(l.code)}`}>{l.id}</Link> },
          { head: 'licence.licensee', cell: (l) => l.licenseeId },
          { head: 'licence.tariff', cell: (l) => l.tariffId },
          { head: 'licence.term', cell: (l) => `${l.validFrom} – ${l.validTo}` },
          { head: 'licence.fee', right: true, cell: (l) => <Money value={l.fee} currency={l.currency} /> },
          { head: 'common.status', cell: (l) => enumLabel(t, 'licenceStatus', l.status) },
          {
            head: '',
            cell: (l) =>
              l.status !== 'revoked' && (
                <button type="button" class="btn btn-small btn-danger" onClick={() => revoke(l)}>
                  {t('licences.revoke')}
                </button>
              ),
          },
        ]}
      />
    </section>
  );
}

interface OpInvoice {
  id: string;
  licenseeId: string;
  pool: { rightType: string; useType: string; period: string };
  amount: string;
  paid: string;
  outstanding: string;
  currency: string;
  status: string;
}

/** Issuing an invoice to a licensee (`POST /api/operator/invoices`) for one pool. */
function IssueInvoiceForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [invoiceId, setInvoiceId] = useState('');
  const [licenseeId, setLicenseeId] = useState('');
  const [licenceId, setLicenceId] = useState('');
  const [rightType, setRightType] = useState('performing');
  const [useType, setUseType] = useState('ktv');
  const [period, setPeriod] = useState('');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('CNY');
  const [dueDate, setDueDate] = useState('');
  const [description, setDescription] = useState('');
  return (
    <WriteForm
      title={t('invoiceForm.issue')}
      onDone={onDone}
      submit={(key) => {
        checkMoney(t, 'amount', amount, currency);
        return api('/api/operator/invoices', {
          method: 'POST',
          idempotencyKey: key,
          body: {
            invoiceId: invoiceId || `INV-${key.slice(0, 8)}`,
            licenseeId,
            ...(licenceId && { licenceId }),
            pool: { rightType, useType, period },
            amount,
            currency,
            ...(dueDate && { dueDate }),
            ...(description.trim() && { description }),
          },
        });
      }}
    >
      <Field label={t('invoiceForm.id')} name="invoiceId" value={invoiceId} set={setInvoiceId} required={false} />
      <Field label={t('licence.licensee')} name="licenseeId" value={licenseeId} set={setLicenseeId} />
      <Field label={t('invoiceForm.licence')} name="licenceId" value={licenceId} set={setLicenceId} required={false} />
      <label>
        {t('common.rightType')}
        <select name="rightType" value={rightType} onChange={(e) => setRightType(e.currentTarget.value)}>
          {RIGHT_TYPES.map((r) => (
            <option key={r} value={r}>
              {enumLabel(t, 'right', r)}
            </option>
          ))}
        </select>
      </label>
      <UseTypeSelect value={useType} set={setUseType} />
      <Field label={t('common.period')} name="period" value={period} set={setPeriod} pattern="\d{4}(H[12]|Q[1-4]|M(0[1-9]|1[0-2]))?" placeholder="2026Q3" />
      <MoneyField label={t('common.amount')} name="amount" value={amount} set={setAmount} currency={currency} />
      <CurrencySelect value={currency} set={setCurrency} />
      <Field label={t('invoiceForm.dueDate')} name="dueDate" type="date" value={dueDate} set={setDueDate} required={false} />
      <Field label={t('invoiceForm.description')} name="description" value={description} set={setDescription} required={false} />
      <p class="small muted">{t('invoiceForm.hint')}</p>
    </WriteForm>
  );
}

/** `/operator/income`: invoices with their payments, and recording a payment. */
export function OperatorIncomePage() {
  const { t } = useI18n();
  const [status, setStatus] = useState('');
  const [invoiceId, setInvoiceId] = useState('');
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [tick, setTick] = useState(0);
  return (
    <section>
      <PageTitle title={t('nav.operator.income')} lead={t('income.lead')} />
      <IssueInvoiceForm onDone={() => setTick(tick + 1)} />
      <WriteForm
        title={t('income.recordPayment')}
        onDone={() => setTick(tick + 1)}
        submit={(key) => api('/api/operator/payments', { method: 'POST', idempotencyKey: key, body: { paymentId: `PAY-${key.slice(0, 8)}`, invoiceId, amount, currency: 'CNY', ...(reference && { reference }) } })}
      >
        <Field label={t('income.invoice')} name="invoiceId" value={invoiceId} set={setInvoiceId} />
        <Field label={`${t('common.amount')} (CNY)`} name="amount" value={amount} set={setAmount} />
        <Field label={t('invoices.reference')} name="reference" value={reference} set={setReference} required={false} />
      </WriteForm>
      <label class="filter">
        {t('common.status')}
        <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          <option value="">{t('common.all')}</option>
          {['open', 'paid', 'cancelled'].map((s) => (
            <option key={s} value={s}>
              {enumLabel(t, 'invoiceStatus', s)}
            </option>
          ))}
        </select>
      </label>
      <Register<OpInvoice>
        key={tick}
        path={`/api/operator/invoices${qs({ status, limit: 50 })}`}
        rowKey={(i) => i.id}
        columns={[
          { head: 'common.id', cell: (i) => i.id },
          { head: 'licence.licensee', cell: (i) => i.licenseeId },
          { head: 'common.pool', cell: (i) => `${enumLabel(t, 'use', i.pool.useType)} · ${i.pool.period}` },
          { head: 'common.amount', right: true, cell: (i) => <Money value={i.amount} currency={i.currency} /> },
          { head: 'invoices.paid', right: true, cell: (i) => <Money value={i.paid} currency={i.currency} /> },
          { head: 'invoices.outstanding', right: true, cell: (i) => <Money value={i.outstanding} currency={i.currency} /> },
          { head: 'common.status', cell: (i) => enumLabel(t, 'invoiceStatus', i.status) },
        ]}
      />
    </section>
  );
}

interface OpPayout {
  id: string;
  memberId: string;
  amount: string;
  currency: string;
  status: 'pending' | 'paid' | 'voided';
  txId: string;
}

/** `/operator/payouts`: request a payout, then complete it (paid or voided). */
export function OperatorPayoutsPage() {
  const { t } = useI18n();
  const [memberId, setMemberId] = useState('');
  const [amount, setAmount] = useState('');
  const [tick, setTick] = useState(0);
  const [error, setError] = useState<Error>();
  const complete = (p: OpPayout, outcome: 'paid' | 'voided') => {
    const body = outcome === 'paid' ? { outcome, bankReference: `BANK-${p.id}` } : { outcome, reasonCode: 'CANCELLED' };
    api(`/api/operator/payouts/${encodeURIComponent(p.id)}/complete`, { method: 'POST', idempotencyKey: newIdempotencyKey(), body }).then(
      () => setTick(tick + 1),
      (err: Error) => setError(err),
    );
  };
  return (
    <section>
      <PageTitle title={t('nav.operator.payouts')} lead={t('opPayouts.lead')} />
      <WriteForm
        title={t('opPayouts.request')}
        onDone={() => setTick(tick + 1)}
        submit={(key) => api('/api/operator/payouts', { method: 'POST', idempotencyKey: key, body: { payoutId: `PO-${key.slice(0, 8)}`, memberId, amount, currency: 'CNY' } })}
      >
        <Field label={t('opPayouts.member')} name="memberId" value={memberId} set={setMemberId} />
        <Field label={`${t('common.amount')} (CNY)`} name="amount" value={amount} set={setAmount} />
      </WriteForm>
      <ErrorBox error={error} />
      <Register<OpPayout>
        key={tick}
        path="/api/operator/payouts?limit=50"
        rowKey={(p) => p.id}
        columns={[
          { head: 'common.id', cell: (p) => p.id },
          { head: 'opPayouts.member', cell: (p) => p.memberId },
          { head: 'common.amount', right: true, cell: (p) => <Money value={p.amount} currency={p.currency} /> },
          { head: 'common.status', cell: (p) => <Badge tone={p.status === 'paid' ? 'ok' : p.status === 'voided' ? 'bad' : 'info'}>{enumLabel(t, 'payoutStatus', p.status)}</Badge> },
          { head: 'common.receipt', cell: (p) => <TxLink txId={p.txId} /> },
          {
            head: '',
            cell: (p) =>
              p.status === 'pending' && (
                <>
                  <button type="button" class="btn btn-small" onClick={() => complete(p, 'paid')}>
                    {t('opPayouts.markPaid')}
                  </button>{' '}
                  <button type="button" class="btn btn-small btn-danger" onClick={() => complete(p, 'voided')}>
                    {t('opPayouts.void')}
                  </button>
                </>
              ),
          },
        ]}
      />
    </section>
  );
}

interface OpEntry {
  id: string;
  kind: string;
  ref: string | null;
  reversalOf: string | null;
  reasonCode: string | null;
  at: string;
  postings: { account: string; currency: string; amount: string }[];
}

/** `/operator/entries`: the journal, and reversing an entry (corrections are reversals, never edits). */
export function OperatorEntriesPage() {
  const { t } = useI18n();
  const [account, setAccount] = useState('');
  const [tick, setTick] = useState(0);
  const [error, setError] = useState<Error>();
  const reverse = (e: OpEntry) => {
    const note = window.prompt(t('entries.reverseNote'));
    if (note === null) return;
    api(`/api/operator/entries/${e.id}/reverse`, { method: 'POST', idempotencyKey: newIdempotencyKey(), body: { reasonCode: 'OTHER', ...(note && { note }) } }).then(
      () => setTick(tick + 1),
      (err: Error) => setError(err),
    );
  };
  return (
    <section>
      <PageTitle title={t('nav.operator.entries')} lead={t('entries.lead')} />
      <label class="filter">
        {t('entries.account')}
        <input value={account} onChange={(e) => setAccount(e.currentTarget.value)} placeholder="pool:MCSC:performing:ktv:2026Q3" />
      </label>
      <ErrorBox error={error} />
      <Register<OpEntry>
        key={tick}
        path={`/api/operator/entries${qs({ account, limit: 50 })}`}
        rowKey={(e) => e.id}
        columns={[
          { head: 'figures.when', cell: (e) => <DateText value={e.at} /> },
          { head: 'figures.kind', cell: (e) => `${e.kind}${e.reversalOf ? ` ↩ ${e.reversalOf.slice(0, 8)}…` : ''}` },
          {
            head: 'entries.postings',
            cell: (e) => (
              <ul class="plain small">
                {e.postings.map((p, i) => (
                  <li key={i}>
                    <span class="mono">{p.account}</span> <Money value={p.amount} currency={p.currency} />
                  </li>
                ))}
              </ul>
            ),
          },
          { head: 'common.receipt', cell: (e) => <TxLink txId={e.id} /> },
          {
            head: '',
            cell: (e) =>
              !e.reversalOf && (
                <button type="button" class="btn btn-small btn-danger" onClick={() => reverse(e)}>
                  {t('entries.reverse')}
                </button>
              ),
          },
        ]}
      />
    </section>
  );
}
