/**
 * The journal: balanced entries written as one key per posting, balances derived from postings,
 * and the guard that keeps every holding account from going negative.
 */
import { formatMoney, money, parseMoney, type CurrencyCode } from '@rtl/distribution/money';
import { isDebitNormal, isOutsideWorld } from './accounts';
import { LedgerError } from './errors';
import type { LedgerContext } from './ledger-context';
import type { EntryRecord, Posting } from './records';
import { readRecord, scanRecords, txTime, writeRecord } from './state';

/** A leg of an entry being built: signed minor units (debit positive, credit negative). */
export interface Leg {
  account: string;
  amount: bigint;
}

/** What to post. */
export interface EntryDraft {
  kind: string;
  collectiveId: string;
  currency: CurrencyCode;
  legs: Leg[];
  ref?: string;
  reversalOf?: string;
  adjustmentOf?: string;
  reasonCode?: string;
  note?: string;
  /** Decreasing accounts whose sufficiency the caller has already proven (skip the scan). */
  preChecked?: readonly string[];
  /** The argument field to name when the guard refuses an account, e.g. `{ 'member:M1:carried': 'amount' }`. */
  fields?: Readonly<Record<string, string>>;
}

interface PostingValue {
  entryId: string;
  currency: string;
  amount: string;
  kind: string;
}

/** Balance of one account in one currency. */
export interface AccountBalance {
  currency: string;
  debit: string;
  credit: string;
  /** Balance on the account's normal side (credits minus debits for credit-normal accounts). */
  balance: string;
}

/** Sums an account's postings per currency, in minor units: [debits, credits]. */
export async function accountTotals(ctx: LedgerContext, name: string): Promise<Map<string, { debit: bigint; credit: bigint }>> {
  const totals = new Map<string, { debit: bigint; credit: bigint }>();
  for (const { value } of await scanRecords<PostingValue>(ctx, 'posting', [name])) {
    const m = parseMoney(value.amount, value.currency);
    const t = totals.get(value.currency) ?? { debit: 0n, credit: 0n };
    if (m.minor >= 0n) t.debit += m.minor;
    else t.credit -= m.minor;
    totals.set(value.currency, t);
  }
  return totals;
}

/** The natural-side balance of an account in a currency, in minor units. */
export async function naturalBalance(ctx: LedgerContext, name: string, currency: string): Promise<bigint> {
  const t = (await accountTotals(ctx, name)).get(currency);
  if (!t) return 0n;
  return isDebitNormal(name) ? t.debit - t.credit : t.credit - t.debit;
}

/** Balances of an account for display. */
export async function accountBalances(ctx: LedgerContext, name: string): Promise<AccountBalance[]> {
  const out: AccountBalance[] = [];
  for (const [currency, t] of [...(await accountTotals(ctx, name))].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const c = currency as CurrencyCode;
    const natural = isDebitNormal(name) ? t.debit - t.credit : t.credit - t.debit;
    out.push({
      currency,
      debit: formatMoney(money(t.debit, c)),
      credit: formatMoney(money(t.credit, c)),
      balance: formatMoney(money(natural, c)),
    });
  }
  return out;
}

/**
 * Posts a balanced entry: one entry record plus one key per posting. Throws `LEDGER.UNBALANCED`
 * when debits differ from credits and `LEDGER.INSUFFICIENT_FUNDS` when a holding account would go
 * below zero. Only accounts whose balance decreases are scanned, so income into a pool stays a
 * blind write and concurrent postings into one pool never conflict.
 */
export async function postEntry(ctx: LedgerContext, draft: EntryDraft): Promise<EntryRecord> {
  const legs = draft.legs.filter((l) => l.amount !== 0n);
  if (legs.length === 0) throw new LedgerError('LEDGER.UNBALANCED', 'an entry needs at least one non-zero posting', {});
  const sum = legs.reduce((s, l) => s + l.amount, 0n);
  if (sum !== 0n) {
    throw new LedgerError('LEDGER.UNBALANCED', `debits and credits differ by ${formatMoney(money(sum, draft.currency))} ${draft.currency}`, {
      difference: formatMoney(money(sum, draft.currency)),
      currency: draft.currency,
    });
  }
  const entryId = ctx.stub.getTxID();
  if (await readRecord(ctx, 'entry', [entryId])) throw new LedgerError('INTERNAL', 'one entry per transaction', {});

  // Guard decreasing holding accounts; net the legs per account first.
  const net = new Map<string, bigint>();
  for (const l of legs) net.set(l.account, (net.get(l.account) ?? 0n) + l.amount);
  for (const [name, delta] of [...net].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const naturalDelta = isDebitNormal(name) ? delta : -delta;
    if (naturalDelta >= 0n || isOutsideWorld(name) || draft.preChecked?.includes(name)) continue;
    const before = await naturalBalance(ctx, name, draft.currency);
    if (before + naturalDelta < 0n) {
      throw new LedgerError('LEDGER.INSUFFICIENT_FUNDS', `account ${name} holds ${formatMoney(money(before, draft.currency))} ${draft.currency}, less than ${formatMoney(money(-naturalDelta, draft.currency))}`, {
        ...(draft.fields?.[name] !== undefined && { field: draft.fields[name] }),
        account: name,
        balance: formatMoney(money(before, draft.currency)),
        required: formatMoney(money(-naturalDelta, draft.currency)),
        currency: draft.currency,
      });
    }
  }

  const postings: Posting[] = legs.map((l) => ({ account: l.account, currency: draft.currency, amount: formatMoney(money(l.amount, draft.currency)) }));
  const entry: EntryRecord = {
    id: entryId,
    txId: entryId,
    at: txTime(ctx),
    kind: draft.kind,
    collectiveId: draft.collectiveId,
    postings,
    ...(draft.ref !== undefined && { ref: draft.ref }),
    ...(draft.reversalOf !== undefined && { reversalOf: draft.reversalOf }),
    ...(draft.adjustmentOf !== undefined && { adjustmentOf: draft.adjustmentOf }),
    ...(draft.reasonCode !== undefined && { reasonCode: draft.reasonCode }),
    ...(draft.note !== undefined && { note: draft.note }),
  };
  await writeRecord(ctx, 'entry', [entryId], entry, 'posted');
  for (const [i, p] of postings.entries()) {
    const value: PostingValue = { entryId, currency: p.currency, amount: p.amount, kind: draft.kind };
    await writeRecord(ctx, 'posting', [p.account, entryId, String(i).padStart(4, '0')], value, 'posted', false);
  }
  return entry;
}
