/**
 * A member's or licensee's own complaints about their collective: filing one with the regulator
 * (the text stays off the ledger, its SHA-256 goes on it) and the list with status and finding.
 */
import { useState } from 'preact/hooks';
import { Badge, DateText, Empty, ErrorBox, Loading, More, PageTitle, TxLink } from '../../components/common';
import { enumLabel, useI18n } from '../../i18n';
import { api, newIdempotencyKey } from '../../lib/api';
import { usePagedApi } from '../../lib/use-api';

/** A complaint as its complainant sees it. */
interface OwnComplaint {
  id: string;
  category: string;
  subject: string;
  text: string;
  status: 'open' | 'investigating' | 'closed';
  filedAt: string;
  dueBy: string;
  finding: { outcome: string; summary: string; at: string; txId: string } | null;
  txId: string;
}

const CATEGORIES = ['distribution', 'statement', 'tariff', 'licence', 'fees', 'other'];
const TONE = { open: 'info', investigating: 'warn', closed: 'ok' } as const;

function ComplaintForm({ base, onDone }: { base: string; onDone: () => void }) {
  const { t } = useI18n();
  const [category, setCategory] = useState('distribution');
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [key, setKey] = useState(newIdempotencyKey);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [filed, setFiled] = useState<{ id: string; txId: string; dueBy: string }>();
  return (
    <form
      class="form card"
      aria-label={t('myComplaints.file')}
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        setFiled(undefined);
        api<{ complaint: OwnComplaint; txId: string }>(`${base}/complaints`, { method: 'POST', idempotencyKey: key, body: { category, subject, text } }).then(
          (r) => {
            setFiled({ id: r.complaint.id, txId: r.txId, dueBy: r.complaint.dueBy });
            setBusy(false);
            setSubject('');
            setText('');
            setKey(newIdempotencyKey());
            onDone();
          },
          (err: Error) => {
            setError(err);
            setBusy(false);
          },
        );
      }}
    >
      <h2>{t('myComplaints.file')}</h2>
      <label>
        {t('myComplaints.category')}
        <select name="category" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {enumLabel(t, 'complaintCategory', c)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('complaints.subject')}
        <input name="subject" required maxLength={300} value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
      </label>
      <label>
        {t('myComplaints.text')}
        <textarea name="text" required rows={6} maxLength={20000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <p class="small muted">{t('myComplaints.privacy')}</p>
      <div>
        <button class="btn" type="submit" disabled={busy}>
          {t('myComplaints.submit')}
        </button>
      </div>
      <ErrorBox error={error} />
      {filed && (
        <p class="verdict verdict-ok" role="status">
          {t('myComplaints.filed', { id: filed.id })} {t('complaints.dueBy')} <DateText value={filed.dueBy} /> · {t('common.receipt')}: <TxLink txId={filed.txId} />
        </p>
      )}
    </form>
  );
}

function OwnComplaintsPage({ base }: { base: '/api/member' | '/api/licensee' }) {
  const { t } = useI18n();
  const list = usePagedApi<OwnComplaint>(`${base}/complaints?limit=50`);
  return (
    <section>
      <PageTitle title={t('complaints.title')} lead={t('myComplaints.lead')} />
      <ComplaintForm base={base} onDone={list.reload} />
      <h2>{t('myComplaints.mine')}</h2>
      <ErrorBox error={list.error} />
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('complaints.filed')}</th>
              <th scope="col">{t('myComplaints.category')}</th>
              <th scope="col">{t('complaints.subject')}</th>
              <th scope="col">{t('common.status')}</th>
              <th scope="col">{t('complaints.finding')}</th>
              <th scope="col">{t('common.receipt')}</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((c) => (
              <tr key={c.id}>
                <td>
                  <DateText value={c.filedAt} />
                </td>
                <td>{enumLabel(t, 'complaintCategory', c.category)}</td>
                <td>{c.subject}</td>
                <td>
                  <Badge tone={TONE[c.status]}>{enumLabel(t, 'complaintStatus', c.status)}</Badge>
                  {c.status !== 'closed' && c.dueBy && (
                    <div class="small muted">
                      {t('complaints.dueBy')} <DateText value={c.dueBy} />
                    </div>
                  )}
                </td>
                <td>
                  {c.finding ? (
                    <>
                      {c.finding.outcome}: {c.finding.summary} <TxLink txId={c.finding.txId} />
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td>
                  <TxLink txId={c.txId} />
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

/** `/member/complaints`. */
export function MemberComplaintsPage() {
  return <OwnComplaintsPage base="/api/member" />;
}

/** `/licensee/complaints`. */
export function LicenseeComplaintsPage() {
  return <OwnComplaintsPage base="/api/licensee" />;
}
