/**
 * Seeds the demo data through the ledger port, once and idempotently: every command has a fixed
 * id, so a seed interrupted half-way resumes on the next start (repeats return their first result),
 * and a complete seed is detected up front and skipped.
 */
import { isLedgerError } from '@rtl/chaincode';
import { operatorOf, regulatorIdentity } from '../ledger/organisations';
import type { LedgerFunction, LedgerPort } from '../ledger/port';
import { DEMO_PERIOD, demoData } from './demo-data';
import { inParallel } from '../in-parallel';

/** How many commands are in flight at once while seeding. */
const CONCURRENCY = 16;

/** The income record written last; its presence means the seed is complete. */
const FINAL_INCOME_ID = `DEMO-SOC-${DEMO_PERIOD}`;

/** What the seed did. */
export interface SeedOutcome {
  skipped: boolean;
  transactions: number;
  /** The last transaction the seed submitted (wait for it before reading the read model). */
  lastTxId?: string;
}

function chunk<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** Seeds the demo data unless it is already complete; prints progress through `log`. */
export async function seedDemo(port: LedgerPort, log: (line: string) => void = console.log): Promise<SeedOutcome> {
  const data = demoData();
  try {
    await port.evaluate(regulatorIdentity(), 'queries:getRecord', { type: 'income', id: [FINAL_INCOME_ID] });
    log('seed: demo data already on the ledger');
    return { skipped: true, transactions: 0 };
  } catch (e) {
    if (!isLedgerError(e) || e.code !== 'NOT_FOUND') throw e;
  }

  const mspOf = new Map(data.collectives.map((c) => [c.collectiveId, c.mspId]));
  const as = (collectiveId: string) => operatorOf(mspOf.get(collectiveId)!, 'seed');
  let transactions = 0;
  let lastTxId: string | undefined;
  const submit = async (collectiveId: string, fn: LedgerFunction, commandId: string, args: Record<string, unknown>) => {
    const r = await port.submit<{ txId?: string }>(as(collectiveId), fn, { commandId: `demo:${commandId}`, ...args });
    lastTxId = r.result.txId ?? r.txId;
    transactions++;
  };
  const stage = async <T>(label: string, items: readonly T[], work: (item: T) => Promise<void>) => {
    const started = Date.now();
    await inParallel(items, CONCURRENCY, work, (done) => {
      if (done === items.length || done % 25 === 0) log(`seed: ${label} ${done}/${items.length}`);
    });
    log(`seed: ${label} done in ${Date.now() - started} ms`);
  };

  await stage('collectives', data.collectives, (c) => submit(c.collectiveId, 'parties:registerCollective', `collective:${c.collectiveId}`, { collectiveId: c.collectiveId, name: c.name, country: c.country }));
  await stage('members and licensees', data.parties, (p) => submit(p.collectiveId, 'parties:registerParty', `party:${p.partyId}`, { ...p }));
  const workBatches = data.collectives.flatMap((c) => chunk(data.works.filter((w) => w.collectiveId === c.collectiveId), 50).map((ws, i) => ({ collectiveId: c.collectiveId, i, ws })));
  await stage('works (batches of 50)', workBatches, (b) =>
    submit(b.collectiveId, 'repertoire:registerWorks', `works:${b.collectiveId}:${b.i}`, { collectiveId: b.collectiveId, works: b.ws.map(({ collectiveId: _c, ...w }) => w) }),
  );
  const recBatches = data.collectives.map((c) => ({ collectiveId: c.collectiveId, rs: data.recordings.filter((r) => r.collectiveId === c.collectiveId) }));
  await stage('recordings', recBatches, (b) =>
    submit(b.collectiveId, 'repertoire:registerRecordings', `recordings:${b.collectiveId}`, { collectiveId: b.collectiveId, recordings: b.rs.map(({ collectiveId: _c, ...r }) => r) }),
  );
  await stage('tariffs', data.tariffs, ({ typicalUsage: _u, ...t }) => submit(t.collectiveId, 'licensing:publishTariff', `tariff:${t.tariffId}`, t));
  await stage('licences', data.licences, (l) =>
    submit(l.collectiveId, 'licensing:issueLicence', `licence:${l.licenceId}`, {
      licenceId: l.licenceId, licenseeId: l.licenseeId, tariffId: l.tariffId, validFrom: l.validFrom, validTo: l.validTo, territory: l.territory, scope: l.scope, fee: l.annualFee, currency: 'CNY',
    }),
  );
  await stage(`invoices for ${DEMO_PERIOD}`, data.licences, (l) =>
    submit(l.collectiveId, 'income:issueInvoice', `invoice:${l.licenceId}-${DEMO_PERIOD}`, {
      invoiceId: `${l.licenceId}-${DEMO_PERIOD}`, licenseeId: l.licenseeId, licenceId: l.licenceId, pool: { rightType: l.rightType, useType: l.useType, period: DEMO_PERIOD },
      amount: l.quarterFee, currency: 'CNY', dueDate: '2026-10-31', description: `${DEMO_PERIOD} licence fee`,
    }),
  );
  const payments = data.licences.filter((l) => l.paid !== '0.00');
  await stage('payments', payments, (l) =>
    submit(l.collectiveId, 'income:recordPayment', `payment:${l.licenceId}-${DEMO_PERIOD}`, { paymentId: `PAY-${l.licenceId}-${DEMO_PERIOD}`, invoiceId: `${l.licenceId}-${DEMO_PERIOD}`, amount: l.paid, currency: 'CNY', reference: `BANK-${l.licenseeId}` }),
  );
  // Income from a foreign sister society, last: its presence tells the next start that every
  // stage before it is complete.
  await stage('income from sister societies', [FINAL_INCOME_ID], (incomeId) =>
    submit('MCSC', 'income:postIncome', `income:${incomeId}`, {
      incomeId, collectiveId: 'MCSC', pool: { rightType: 'performing', useType: 'broadcast', period: DEMO_PERIOD }, amount: '23850.75', currency: 'CNY',
      source: { kind: 'society', reference: 'Reciprocal remittance, sister society, 2026 H1' },
    }),
  );
  return { skipped: false, transactions, ...(lastTxId && { lastTxId }) };
}
