/**
 * Applies one ledger change to the read model's tables. Every statement is an upsert keyed by the
 * record's id, so applying the same change twice leaves the same rows (the checkpoint, written in
 * the same SQL transaction, is what guarantees exactly-once; this is the second line of defence).
 */
import type postgres from 'postgres';
import type {
  DistributionRecord,
  EntryRecord,
  InvoiceRecord,
  LicenceRecord,
  PartyRecord,
  PayoutRecord,
  RecordingRecord,
  ShareVersion,
  TariffRecord,
  WorkRecord,
} from '@rtl/chaincode';
import type { LedgerChange } from '@rtl/chaincode/ledger-context';
import { normaliseTitle } from '@rtl/distribution/matching/normalise';

type Tx = postgres.TransactionSql;

/** The kind of an account, from the first segment of its path (`pool`, `member`, `bank`…). */
export function accountKind(account: string): string {
  const [kind = '', , third] = account.split(':');
  if (kind === 'member' || kind === 'licensee' || kind === 'cmo' || kind === 'dist') return `${kind}:${account.split(':').at(-1) ?? third}`;
  return kind;
}

/** Text a repertoire search matches against: normalised titles, ISWC and creator names. */
export function workSearchText(w: WorkRecord): string {
  const parts = [w.title, ...w.alternateTitles].map((t) => normaliseTitle(t));
  parts.push(...w.creators.map((c) => normaliseTitle(c.name)));
  if (w.iswc) parts.push(w.iswc.replace(/[^0-9T]/g, '').toLowerCase());
  return parts.join(' | ');
}

interface PaymentData {
  id: string;
  invoiceId: string;
  collectiveId: string;
  licenseeId: string;
  amount: string;
  currency: string;
  txId: string;
  at: string;
}

interface IncomeData {
  id: string;
  collectiveId: string;
  pool: { rightType: string; useType: string; period: string };
  amount: string;
  currency: string;
  txId: string;
  at: string;
}

/** Upserts the rows one change stands for. */
export async function applyChange(sql: Tx, change: LedgerChange, txId: string, at: string): Promise<void> {
  const json = (v: unknown) => sql.json(v as postgres.JSONValue);
  switch (change.type) {
    case 'party': {
      const p = change.data as PartyRecord;
      await sql`insert into rm.parties ${sql({ id: p.id, kind: p.kind, name: p.name, collective_id: p.collectiveId, member_type: p.memberType ?? null, licensee_type: p.licenseeType ?? null, ipi_name_number: p.ipiNameNumber ?? null, data: json(p), tx_id: txId, at })}
        on conflict (id) do update set kind = excluded.kind, name = excluded.name, data = excluded.data, tx_id = excluded.tx_id, at = excluded.at`;
      return;
    }
    case 'work': {
      const w = change.data as WorkRecord;
      await sql`insert into rm.works ${sql({ id: w.id, collective_id: w.collectiveId, iswc: w.iswc ?? null, title: w.title, search_text: workSearchText(w), data: json(w), tx_id: txId, at })}
        on conflict (id) do update set title = excluded.title, iswc = excluded.iswc, search_text = excluded.search_text, data = excluded.data, tx_id = excluded.tx_id, at = excluded.at`;
      await sql`delete from rm.work_creators where work_id = ${w.id}`;
      if (w.creators.length > 0) {
        await sql`insert into rm.work_creators ${sql(w.creators.map((c, i) => ({ work_id: w.id, position: i, name: c.name, role: c.role, party_id: c.partyId ?? null })))}`;
      }
      return;
    }
    case 'share': {
      const s = change.data as ShareVersion;
      await sql`insert into rm.shares ${sql({ work_id: s.workId, right_type: s.rightType, effective_from: s.effectiveFrom, unclaimed: s.unclaimed, data: json(s), tx_id: txId })}
        on conflict (work_id, right_type, effective_from) do update set unclaimed = excluded.unclaimed, data = excluded.data, tx_id = excluded.tx_id`;
      await sql`delete from rm.share_holders where work_id = ${s.workId} and right_type = ${s.rightType} and effective_from = ${s.effectiveFrom}`;
      if (s.shares.length > 0) {
        await sql`insert into rm.share_holders ${sql(s.shares.map((h) => ({ work_id: s.workId, right_type: s.rightType, effective_from: s.effectiveFrom, party_id: h.partyId, share: h.share })))}`;
      }
      return;
    }
    case 'recording': {
      const r = change.data as RecordingRecord;
      await sql`insert into rm.recordings ${sql({ isrc: r.isrc, work_id: r.workId, collective_id: r.collectiveId, title: r.title, data: json(r), tx_id: txId })}
        on conflict (isrc) do update set work_id = excluded.work_id, title = excluded.title, data = excluded.data, tx_id = excluded.tx_id`;
      return;
    }
    case 'tariff': {
      const t = change.data as TariffRecord;
      await sql`insert into rm.tariffs ${sql({ id: t.id, collective_id: t.collectiveId, use_type: t.useType, effective_from: t.effectiveFrom, effective_to: t.effectiveTo ?? null, data: json(t), tx_id: txId })}
        on conflict (id) do update set data = excluded.data, tx_id = excluded.tx_id`;
      return;
    }
    case 'licence': {
      const l = change.data as LicenceRecord;
      await sql`insert into rm.licences ${sql({ id: l.id, code: l.code, collective_id: l.collectiveId, licensee_id: l.licenseeId, tariff_id: l.tariffId, valid_from: l.validFrom, valid_to: l.validTo, revoked: Boolean(l.revoked), fee: l.fee, currency: l.currency, data: json(l), tx_id: txId })}
        on conflict (id) do update set revoked = excluded.revoked, data = excluded.data, tx_id = excluded.tx_id`;
      return;
    }
    case 'invoice': {
      const i = change.data as InvoiceRecord;
      await sql`insert into rm.invoices ${sql({ id: i.id, collective_id: i.collectiveId, licensee_id: i.licenseeId, right_type: i.pool.rightType, use_type: i.pool.useType, period: i.pool.period, amount: i.amount, paid: i.paid, currency: i.currency, status: i.status, data: json(i), tx_id: txId, at: i.at })}
        on conflict (id) do update set paid = excluded.paid, status = excluded.status, data = excluded.data, tx_id = excluded.tx_id`;
      return;
    }
    case 'payment': {
      const p = change.data as PaymentData;
      await sql`insert into rm.payments ${sql({ id: p.id, invoice_id: p.invoiceId, collective_id: p.collectiveId, licensee_id: p.licenseeId, amount: p.amount, currency: p.currency, data: json(p), tx_id: txId, at: p.at })}
        on conflict (id) do nothing`;
      return;
    }
    case 'income': {
      const i = change.data as IncomeData;
      await sql`insert into rm.income ${sql({ id: i.id, collective_id: i.collectiveId, right_type: i.pool.rightType, use_type: i.pool.useType, period: i.pool.period, amount: i.amount, currency: i.currency, data: json(i), tx_id: txId, at: i.at })}
        on conflict (id) do nothing`;
      return;
    }
    case 'entry': {
      const e = change.data as EntryRecord;
      await sql`insert into rm.entries ${sql({ id: e.id, kind: e.kind, collective_id: e.collectiveId, ref: e.ref ?? null, reversal_of: e.reversalOf ?? null, adjustment_of: e.adjustmentOf ?? null, reason_code: e.reasonCode ?? null, at: e.at, data: json(e) })}
        on conflict (id) do nothing`;
      await sql`insert into rm.postings ${sql(e.postings.map((p, idx) => ({ entry_id: e.id, idx, account: p.account, account_kind: accountKind(p.account), collective_id: e.collectiveId, currency: p.currency, amount: p.amount, entry_kind: e.kind, at: e.at })))}
        on conflict (entry_id, idx) do nothing`;
      return;
    }
    case 'distribution': {
      const d = change.data as DistributionRecord;
      await sql`insert into rm.distributions ${sql({ id: d.id, collective_id: d.collectiveId, right_type: d.pool.rightType, use_type: d.pool.useType, period: d.pool.period, status: d.status, currency: d.currency, gross: d.gross, management_fee: d.managementFee, deductions: d.deductions, allocated: d.allocated, suspense: d.suspense, carried_forward: d.carriedForward, rounding: d.rounding, merkle_root: d.merkleRoot, data: json(d), tx_id: txId, at: d.at })}
        on conflict (id) do update set status = excluded.status, data = excluded.data, tx_id = excluded.tx_id`;
      return;
    }
    case 'distribution-batch': {
      const b = change.data as { runId: string; batchNo: number };
      await sql`insert into rm.distribution_batches ${sql({ run_id: b.runId, batch_no: b.batchNo, data: json(b), tx_id: txId })} on conflict (run_id, batch_no) do nothing`;
      return;
    }
    case 'payout': {
      const p = change.data as PayoutRecord;
      await sql`insert into rm.payouts ${sql({ id: p.id, collective_id: p.collectiveId, member_id: p.memberId, amount: p.amount, currency: p.currency, status: p.status, data: json(p), tx_id: txId, at: p.at })}
        on conflict (id) do update set status = excluded.status, data = excluded.data, tx_id = excluded.tx_id`;
      return;
    }
    default:
      // Record types without a table of their own stay queryable by type and id.
      await sql`insert into rm.records ${sql({ type: change.type, id: change.id, data: json(change.data), tx_id: txId })}
        on conflict (type, id) do update set data = excluded.data, tx_id = excluded.tx_id`;
  }
}
