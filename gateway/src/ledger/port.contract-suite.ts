/**
 * The ledger-port contract suite: every behaviour of the ledger that callers depend on, written
 * against `LedgerPort` only. Each adapter (embedded, Fabric) runs this very suite. Ids carry a
 * per-run suffix so the suite can run repeatedly against a ledger that persists (a Fabric network).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchDigest, isLedgerError, type BatchLine, type ErrorCode } from '@rtl/chaincode';
import { MSP, operatorOf, regulatorIdentity } from './organisations';
import type { LedgerEvent, LedgerFunction, LedgerIdentity, LedgerPort } from './port';

/** What an adapter under test can do beyond the port. */
export interface PortUnderTest {
  port: LedgerPort;
  /** Whether identities carry a role attribute (cryptogen identities on Fabric do not). */
  roleAttributes: boolean;
  /** How many concurrent postings the concurrency case submits. */
  concurrentPostings: number;
  cleanup(): Promise<void>;
}

/** Expects a promise to reject with a ledger error of the given code (and field, if given). */
export async function expectLedgerError(p: Promise<unknown>, code: ErrorCode, field?: string): Promise<void> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${code}`).toBeDefined();
  if (!isLedgerError(caught)) throw caught;
  expect(caught.code).toBe(code);
  if (field !== undefined) expect(caught.details.field).toBe(field);
}

interface Balances {
  account: string;
  balances: Array<{ currency: string; debit: string; credit: string; balance: string }>;
}

/** Registers the contract suite for one adapter. */
export function ledgerPortContractSuite(name: string, open: () => Promise<PortUnderTest>): void {
  describe(`ledger port contract: ${name}`, () => {
    let ut: PortUnderTest;
    let port: LedgerPort;
    const run = randomBytes(4).toString('hex');
    const id = (s: string) => `${s}-${run}`;
    const music = operatorOf(MSP.music);
    const av = operatorOf(MSP.av);
    const regulator = regulatorIdentity();
    const MC = 'MCSC';
    const AV = 'CAVCA';
    const useType = `t${run}`;
    const pool = { rightType: 'performing', useType, period: '2026Q3' } as const;
    const poolAccount = `pool:${MC}:performing:${useType}:2026Q3`;
    let cmd = 0;
    const nextCmd = () => `cmd-${run}-${++cmd}`;

    const submit = <T = Record<string, unknown>>(who: LedgerIdentity, fn: LedgerFunction, args: Record<string, unknown>) =>
      port.submit<T>(who, fn, { commandId: nextCmd(), ...args });
    const balance = async (account: string, currency = 'CNY'): Promise<string> => {
      const b = await port.evaluate<Balances>(regulator, 'queries:getBalance', { account });
      return b.balances.find((x) => x.currency === currency)?.balance ?? '0.00';
    };

    beforeAll(async () => {
      ut = await open();
      port = ut.port;
      // Collectives bind once per organisation: fixed command ids make this idempotent across runs.
      await port.submit(music, 'parties:registerCollective', { commandId: 'bootstrap-collective-MusicCmoMSP', collectiveId: MC, name: 'Music Copyright Society', country: 'CN' });
      await port.submit(av, 'parties:registerCollective', { commandId: 'bootstrap-collective-AvCmoMSP', collectiveId: AV, name: 'Audio-Visual Copyright Association', country: 'CN' });
      for (const [p, kind, extra] of [
        ['M1', 'member', { memberType: 'composer', ipiNameNumber: '00012345678' }],
        ['M2', 'member', { memberType: 'author' }],
        ['M3', 'member', { memberType: 'publisher' }],
        ['L1', 'licensee', { licenseeType: 'ktv' }],
      ] as const) {
        await submit(music, 'parties:registerParty', { partyId: id(p), collectiveId: MC, kind, name: `Party ${p}`, ...extra });
      }
    });
    afterAll(async () => {
      await ut?.cleanup();
    });

    describe('idempotency and validation', () => {
      it('returns the first result for a repeated command and rejects a changed payload', async () => {
        const args = { commandId: `idem-${run}`, partyId: id('M9'), collectiveId: MC, kind: 'member', name: 'Idem Member', memberType: 'author' };
        const first = await port.submit<{ txId: string; party: { id: string } }>(music, 'parties:registerParty', args);
        const again = await port.submit<{ txId: string; party: { id: string } }>(music, 'parties:registerParty', args);
        expect(again.result).toEqual(first.result);
        expect(again.result.txId).toBe(first.txId);
        await expectLedgerError(port.submit(music, 'parties:registerParty', { ...args, name: 'Another Name' }), 'LEDGER.IDEMPOTENCY_CONFLICT', 'commandId');
      });

      it('rejects malformed arguments with the offending field', async () => {
        await expectLedgerError(submit(music, 'parties:registerParty', { partyId: 'bad id!', collectiveId: MC, kind: 'member', name: 'x', memberType: 'author' }), 'VALIDATION.INVALID_ARGUMENT', 'partyId');
        await expectLedgerError(submit(music, 'income:postIncome', { incomeId: id('bad1'), collectiveId: MC, pool, amount: '1.234', currency: 'CNY', source: { kind: 'other', reference: 'x' } }), 'VALIDATION.INVALID_ARGUMENT', 'amount');
        await expectLedgerError(submit(music, 'income:postIncome', { incomeId: id('bad2'), collectiveId: MC, pool, amount: '1e3', currency: 'CNY', source: { kind: 'other', reference: 'x' } }), 'VALIDATION.INVALID_ARGUMENT', 'amount');
        await expectLedgerError(submit(music, 'income:postIncome', { incomeId: id('bad3'), collectiveId: MC, pool, amount: '10.00', currency: 'XXX', source: { kind: 'other', reference: 'x' } }), 'VALIDATION.INVALID_ARGUMENT', 'currency');
        await expectLedgerError(port.submit(music, 'income:postIncome', 'not an object'), 'VALIDATION.INVALID_ARGUMENT');
        await expectLedgerError(submit(music, 'income:postIncome', { incomeId: id('bad4'), collectiveId: MC, pool, amount: '10.00', currency: 'CNY', source: { kind: 'licensee', reference: 'x' } }), 'VALIDATION.INVALID_ARGUMENT', 'source.partyId');
      });

      it('rejects an unknown function', async () => {
        await expectLedgerError(port.evaluate(music, 'queries:dropEverything', {}), 'LEDGER.UNKNOWN_FUNCTION');
      });

      it('rejects a duplicate id with ALREADY_EXISTS', async () => {
        await expectLedgerError(submit(music, 'parties:registerParty', { partyId: id('M1'), collectiveId: MC, kind: 'member', name: 'Dup', memberType: 'author' }), 'ALREADY_EXISTS', 'partyId');
      });
    });

    describe('access control', () => {
      it('lets an operator write only for its own collective', async () => {
        await expectLedgerError(submit(av, 'parties:registerParty', { partyId: id('X1'), collectiveId: MC, kind: 'member', name: 'Intruder', memberType: 'author' }), 'ACCESS.DENIED', 'collectiveId');
      });
      it('lets the regulator read but not write collective records', async () => {
        await expectLedgerError(submit(regulator, 'income:postIncome', { incomeId: id('reg'), collectiveId: MC, pool, amount: '1.00', currency: 'CNY', source: { kind: 'other', reference: 'x' } }), 'ACCESS.DENIED');
        const party = await port.evaluate<{ id: string }>(regulator, 'parties:getParty', { partyId: id('M1') });
        expect(party.id).toBe(id('M1'));
      });
      it('rejects a member role writing, where identities carry roles', async (ctx) => {
        if (!ut.roleAttributes) ctx.skip();
        const member: LedgerIdentity = { mspId: MSP.music, role: 'member', user: 'm1' };
        await expectLedgerError(submit(member, 'parties:registerParty', { partyId: id('X2'), collectiveId: MC, kind: 'member', name: 'Self-made', memberType: 'author' }), 'ACCESS.DENIED');
      });
    });

    describe('repertoire', () => {
      it('registers works with shares and records the unclaimed part', async () => {
        await submit(music, 'repertoire:registerWorks', {
          collectiveId: MC,
          works: [
            { workId: id('W1'), title: '月亮代表我的心', creators: [{ name: 'Composer One', role: 'composer', partyId: id('M1') }], shares: { performing: [{ partyId: id('M1'), share: '60' }, { partyId: id('M2'), share: '40' }], mechanical: [{ partyId: id('M1'), share: '50' }, { partyId: id('M3'), share: '25' }] }, effectiveFrom: '2026-01-01' },
          ],
        });
        const w = await port.evaluate<{ performing: { current: { unclaimed: string; shares: unknown[] } }; mechanical: { current: { unclaimed: string } } }>(regulator, 'repertoire:getWork', { workId: id('W1'), asOf: '2026-06-01' });
        expect(w.performing.current.unclaimed).toBe('0.0000');
        expect(w.performing.current.shares).toHaveLength(2);
        expect(w.mechanical.current.unclaimed).toBe('25.0000');
      });
      it('rejects shares over 100 % and unknown parties, writing nothing', async () => {
        await expectLedgerError(
          submit(music, 'repertoire:registerWorks', { collectiveId: MC, works: [{ workId: id('W2'), title: 'Over', creators: [{ name: 'A', role: 'author' }], shares: { performing: [{ partyId: id('M1'), share: '60' }, { partyId: id('M2'), share: '40.0001' }] }, effectiveFrom: '2026-01-01' }] }),
          'SHARES.OVER_100',
          'works.0.shares.performing',
        );
        await expectLedgerError(
          submit(music, 'repertoire:registerWorks', { collectiveId: MC, works: [{ workId: id('W2'), title: 'Ghost', creators: [{ name: 'A', role: 'author' }], shares: { performing: [{ partyId: id('NOBODY'), share: '10' }] }, effectiveFrom: '2026-01-01' }] }),
          'NOT_FOUND',
          'works.0.shares.performing.0.partyId',
        );
        await expectLedgerError(port.evaluate(regulator, 'repertoire:getWork', { workId: id('W2') }), 'NOT_FOUND', 'workId');
      });
      it('versions share changes by effective date', async () => {
        await submit(music, 'repertoire:setShares', { workId: id('W1'), rightType: 'performing', effectiveFrom: '2026-07-01', shares: [{ partyId: id('M1'), share: '100' }] });
        const before = await port.evaluate<{ performing: { current: { shares: unknown[] }; versions: unknown[] } }>(regulator, 'repertoire:getWork', { workId: id('W1'), asOf: '2026-06-30' });
        const after = await port.evaluate<{ performing: { current: { shares: Array<{ share: string }> } } }>(regulator, 'repertoire:getWork', { workId: id('W1'), asOf: '2026-07-01' });
        expect(before.performing.current.shares).toHaveLength(2);
        expect(before.performing.versions).toHaveLength(2);
        expect(after.performing.current.shares).toEqual([{ partyId: id('M1'), share: '100.0000' }]);
      });
      it('links recordings to works', async () => {
        const isrc = `CNA01${String(parseInt(run, 16) % 10_000_000).padStart(7, '0')}`;
        await submit(music, 'repertoire:registerRecordings', { collectiveId: MC, recordings: [{ isrc, workId: id('W1'), title: 'Recording' }] });
        const rec = await port.evaluate<{ workId: string }>(regulator, 'repertoire:getRecording', { isrc });
        expect(rec.workId).toBe(id('W1'));
        await expectLedgerError(submit(music, 'repertoire:registerRecordings', { collectiveId: MC, recordings: [{ isrc: 'CNA012600001', workId: id('NOWORK'), title: 'x' }] }), 'NOT_FOUND', 'recordings.0.workId');
      });
    });

    describe('tariffs and licences', () => {
      let code = '';
      it('publishes tariffs of every formula kind and issues a verifiable licence', async () => {
        await submit(music, 'licensing:publishTariff', {
          tariffId: id('T-KTV'), collectiveId: MC, name: 'KTV terminal', useType: 'ktv', rightTypes: ['performing'],
          reasoning: 'Per terminal per day, covering typical use, capped so heavy use stays predictable.',
          formula: { kind: 'per_use_capped', currency: 'CNY', baseFeePerDay: '10.00', includedUsesPerDay: 50, feePerExtraUse: '0.10', dailyCap: '20.00' },
          effectiveFrom: '2026-01-01',
        });
        await submit(music, 'licensing:publishTariff', {
          tariffId: id('T-BGM'), collectiveId: MC, name: 'Background music', useType: 'background_music', rightTypes: ['performing'],
          reasoning: 'Per square metre per year.', formula: { kind: 'flat', currency: 'CNY', ratePerUnit: '2.50', unit: 'square_metre', period: 'year' }, effectiveFrom: '2026-01-01',
        });
        await submit(music, 'licensing:publishTariff', {
          tariffId: id('T-STR'), collectiveId: MC, name: 'Streaming', useType: 'streaming', rightTypes: ['performing', 'mechanical'],
          reasoning: 'A share of revenue with a floor.', formula: { kind: 'revenue_share', currency: 'CNY', rate: '0.025', minimum: '1000.00', period: 'month' }, effectiveFrom: '2026-01-01',
        });
        const r = await submit<{ licence: { code: string; fee: string } }>(music, 'licensing:issueLicence', {
          licenceId: id('LIC1'), licenseeId: id('L1'), tariffId: id('T-KTV'), validFrom: '2026-01-01', validTo: '2026-12-31', territory: 'CN-BJ', scope: '12 terminals', fee: '43800', currency: 'CNY',
        });
        code = r.result.licence.code;
        expect(code).toMatch(/^LIC-[0-9A-F]{12}$/);
        expect(r.result.licence.fee).toBe('43800.00');
        const v = await port.evaluate<{ status: string; licence: { licenseeId: string } }>(regulator, 'licensing:verifyLicence', { code, asOf: '2026-06-01' });
        expect(v.status).toBe('active');
        expect(v.licence.licenseeId).toBe(id('L1'));
        const expired = await port.evaluate<{ status: string }>(regulator, 'licensing:verifyLicence', { code, asOf: '2027-01-01' });
        expect(expired.status).toBe('expired');
      });
      it('rejects a malformed tariff formula with its field', async () => {
        await expectLedgerError(
          submit(music, 'licensing:publishTariff', { tariffId: id('T-BAD'), collectiveId: MC, name: 'Bad', useType: 'ktv', rightTypes: ['performing'], reasoning: 'r', formula: { kind: 'flat', currency: 'CNY', ratePerUnit: '-1', unit: 'room', period: 'day' }, effectiveFrom: '2026-01-01' }),
          'VALIDATION.INVALID_ARGUMENT',
        );
      });
      it('revokes a licence and verification shows it', async () => {
        await submit(music, 'licensing:revokeLicence', { licenceId: id('LIC1'), reasonCode: 'FRAUD' });
        const v = await port.evaluate<{ status: string }>(regulator, 'licensing:verifyLicence', { code, asOf: '2026-06-01' });
        expect(v.status).toBe('revoked');
        await expectLedgerError(submit(music, 'licensing:revokeLicence', { licenceId: id('LIC1'), reasonCode: 'FRAUD' }), 'LEDGER.INVALID_STATE', 'licenceId');
        await expectLedgerError(port.evaluate(regulator, 'licensing:verifyLicence', { code: 'LIC-000000000000' }), 'NOT_FOUND', 'code');
      });
    });

    describe('income, distribution, payouts and corrections', () => {
      let paymentEntry = '';
      it('posts an invoice and its payment into the pool, balanced', async () => {
        await submit(music, 'income:issueInvoice', { invoiceId: id('INV1'), licenseeId: id('L1'), pool, amount: '1000.00', currency: 'CNY' });
        expect(await balance(`licensee:${id('L1')}:receivable`)).toBe('1000.00');
        await expectLedgerError(submit(music, 'income:recordPayment', { paymentId: id('P0'), invoiceId: id('INV1'), amount: '1000.01', currency: 'CNY' }), 'LEDGER.INSUFFICIENT_FUNDS', 'amount');
        const p = await submit<{ entryId: string; invoice: { status: string } }>(music, 'income:recordPayment', { paymentId: id('P1'), invoiceId: id('INV1'), amount: '1000.00', currency: 'CNY' });
        paymentEntry = p.result.entryId;
        expect(p.result.invoice.status).toBe('paid');
        expect(await balance(poolAccount)).toBe('1000.00');
        expect(await balance(`licensee:${id('L1')}:receivable`)).toBe('0.00');
        const entry = await port.evaluate<{ postings: Array<{ amount: string }> }>(regulator, 'queries:getEntry', { entryId: paymentEntry });
        const sum = entry.postings.reduce((s, x) => s + BigInt(x.amount.replace('.', '')), 0n);
        expect(sum).toBe(0n);
        expect(entry.postings).toHaveLength(4);
      });

      it('reverses a payment once, reopening the invoice, and rejects a second reversal', async () => {
        await submit(music, 'income:issueInvoice', { invoiceId: id('INV2'), licenseeId: id('L1'), pool, amount: '50.00', currency: 'CNY' });
        const p = await submit<{ entryId: string }>(music, 'income:recordPayment', { paymentId: id('P2'), invoiceId: id('INV2'), amount: '50.00', currency: 'CNY' });
        expect(await balance(poolAccount)).toBe('1050.00');
        const r = await submit<{ reversalOf: string }>(music, 'corrections:reverseEntry', { entryId: p.result.entryId, reasonCode: 'DUPLICATE' });
        expect(r.result.reversalOf).toBe(p.result.entryId);
        expect(await balance(poolAccount)).toBe('1000.00');
        const inv = await port.evaluate<{ status: string; paid: string }>(regulator, 'income:getInvoice', { invoiceId: id('INV2') });
        expect(inv).toMatchObject({ status: 'open', paid: '0.00' });
        await expectLedgerError(submit(music, 'corrections:reverseEntry', { entryId: p.result.entryId, reasonCode: 'DUPLICATE' }), 'LEDGER.ALREADY_REVERSED', 'entryId');
        const history = await port.evaluate<{ versions: Array<{ value: { status: string } }> }>(regulator, 'queries:getHistory', { type: 'invoice', id: [id('INV2')] });
        expect(history.versions.map((v) => v.value.status)).toEqual(['open', 'paid', 'open']);
      });

      it('rejects an unbalanced adjustment and accepts a balanced one pointing at the original', async () => {
        await expectLedgerError(
          submit(music, 'corrections:postAdjustment', { entryId: paymentEntry, reasonCode: 'WRONG_POOL', note: 'typo', currency: 'CNY', postings: [{ account: poolAccount, amount: '10.00' }, { account: `pool:${MC}:performing:${useType}:2026Q4`, amount: '-9.99' }] }),
          'LEDGER.UNBALANCED',
        );
        await expectLedgerError(
          submit(music, 'corrections:postAdjustment', { entryId: paymentEntry, reasonCode: 'WRONG_POOL', note: 'reach', currency: 'CNY', postings: [{ account: `pool:${AV}:performing:${useType}:2026Q3`, amount: '10.00' }, { account: poolAccount, amount: '-10.00' }] }),
          'ACCESS.DENIED',
          'postings.0.account',
        );
        const adj = await submit<{ adjustmentOf: string }>(music, 'corrections:postAdjustment', { entryId: paymentEntry, reasonCode: 'WRONG_POOL', note: 'split', currency: 'CNY', postings: [{ account: poolAccount, amount: '10.00' }, { account: `pool:${MC}:performing:${useType}:2026Q4`, amount: '-10.00' }] });
        expect(adj.result.adjustmentOf).toBe(paymentEntry);
        expect(await balance(poolAccount)).toBe('990.00');
      });

      it('anchors a distribution only when it conserves the pool and the pool holds it', async () => {
        const lines: BatchLine[] = [
          { partyId: id('M1'), payable: '500.00', carried: '0.00' },
          { partyId: id('M2'), payable: '300.00', carried: '0.00' },
          { partyId: id('M3'), payable: '0.00', carried: '4.99' },
        ];
        const runId = id('RUN1');
        const base = {
          runId, collectiveId: MC, pool, currency: 'CNY', method: 'pro_rata_points',
          gross: '990.00', managementFee: '99.00', deductions: '9.90', allocated: '800.00', suspense: '76.10', carriedForward: '4.99', rounding: '0.01',
          holderCount: 3, statementLineCount: 7, merkleRoot: 'ab'.repeat(32),
          inputs: { usageDigest: '01'.repeat(32), repertoireDigest: '02'.repeat(32), parametersDigest: '03'.repeat(32) },
          batches: [{ batchNo: 0, lineCount: 3, total: '804.99', digest: batchDigest(runId, 0, lines) }],
        };
        await expectLedgerError(submit(music, 'distribution:openDistribution', { ...base, rounding: '0.02' }), 'LEDGER.NOT_CONSERVED', 'gross');
        await expectLedgerError(submit(music, 'distribution:openDistribution', { ...base, gross: '1000.00', suspense: '86.10' }), 'LEDGER.INSUFFICIENT_FUNDS', 'gross');
        await submit(music, 'distribution:openDistribution', base);
        expect(await balance(poolAccount)).toBe('0.00');
        expect(await balance(`cmo:${MC}:fees`)).not.toBe('0.00');
        await expectLedgerError(submit(music, 'distribution:sealDistribution', { runId }), 'LEDGER.INVALID_STATE', 'runId');
        const tampered = lines.map((l, i) => (i === 0 ? { ...l, payable: '500.01' } : l));
        await expectLedgerError(submit(music, 'distribution:postDistributionBatch', { runId, batchNo: 0, lines: tampered }), 'LEDGER.NOT_CONSERVED', 'lines');
        await submit(music, 'distribution:postDistributionBatch', { runId, batchNo: 0, lines });
        const sealed = await submit<{ run: { status: string } }>(music, 'distribution:sealDistribution', { runId });
        expect(sealed.result.run.status).toBe('sealed');
        expect(await balance(`member:${id('M1')}:payable`)).toBe('500.00');
        expect(await balance(`member:${id('M3')}:carried`)).toBe('4.99');
        expect(await balance(`dist:${runId}:clearing`)).toBe('0.00');
      });

      it('releases a carried-forward balance that reached the threshold to payable, once, never above the balance', async () => {
        const runId = id('RUN1');
        const member = id('M3');
        const carried = `member:${member}:carried`;
        const payable = `member:${member}:payable`;
        const args = { runId, memberId: member, amount: '4.99', threshold: '4.00' };
        await expectLedgerError(submit(av, 'distribution:releaseCarried', args), 'ACCESS.DENIED', 'runId');
        await expectLedgerError(submit(regulator, 'distribution:releaseCarried', args), 'ACCESS.DENIED');
        if (ut.roleAttributes) await expectLedgerError(submit({ mspId: MSP.music, role: 'member', user: 'm3' }, 'distribution:releaseCarried', args), 'ACCESS.DENIED');
        await expectLedgerError(submit(music, 'distribution:releaseCarried', { ...args, amount: '5.00' }), 'LEDGER.INSUFFICIENT_FUNDS', 'amount');
        await expectLedgerError(submit(music, 'distribution:releaseCarried', { ...args, threshold: '5.00' }), 'LEDGER.INVALID_STATE', 'threshold');
        await expectLedgerError(submit(music, 'distribution:releaseCarried', { ...args, amount: '0.00' }), 'VALIDATION.INVALID_ARGUMENT', 'amount');
        await expectLedgerError(submit(music, 'distribution:releaseCarried', { ...args, memberId: id('L1') }), 'VALIDATION.INVALID_ARGUMENT', 'memberId');
        await expectLedgerError(submit(music, 'distribution:releaseCarried', { ...args, runId: id('NORUN') }), 'NOT_FOUND', 'runId');
        // Refusals wrote nothing.
        expect(await balance(carried)).toBe('4.99');
        expect(await balance(payable)).toBe('0.00');
        await expectLedgerError(port.evaluate(regulator, 'queries:getRecord', { type: 'carried-release', id: [runId, member] }), 'NOT_FOUND', 'id');

        const cmd = { commandId: `release-${run}`, ...args };
        const first = await port.submit<{ release: { amount: string; threshold: string; carriedBefore: string; runId: string }; txId: string }>(music, 'distribution:releaseCarried', cmd);
        expect(first.result.release).toMatchObject({ amount: '4.99', threshold: '4.00', carriedBefore: '4.99', runId });
        expect(await balance(carried)).toBe('0.00');
        expect(await balance(payable)).toBe('4.99');
        const again = await port.submit<{ txId: string }>(music, 'distribution:releaseCarried', cmd);
        expect(again.result).toEqual(first.result);
        expect(again.result.txId).toBe(first.txId);
        expect(await balance(payable)).toBe('4.99');
        await expectLedgerError(submit(music, 'distribution:releaseCarried', { ...args, amount: '0.01', threshold: '0.00' }), 'ALREADY_EXISTS', 'memberId');
        const record = await port.evaluate<{ entryId: string; txId: string }>(regulator, 'queries:getRecord', { type: 'carried-release', id: [runId, member] });
        expect(record.txId).toBe(first.txId);

        const sub = port.events({ blockNumber: first.blockNumber - 1n, txIndex: Number.MAX_SAFE_INTEGER });
        let changes: string[] = [];
        for await (const ev of sub) {
          if (ev.txId === first.txId) {
            changes = (ev.payload as { changes: Array<{ type: string }> }).changes.map((c) => c.type).sort();
            break;
          }
          if (ev.blockNumber > first.blockNumber) break;
        }
        sub.close();
        expect(changes).toEqual(['carried-release', 'entry']);
      });

      it('pays out in two phases, never above the payable balance', async () => {
        const member = id('M1');
        await expectLedgerError(submit(music, 'payouts:requestPayout', { payoutId: id('PO0'), memberId: member, amount: '500.01', currency: 'CNY' }), 'LEDGER.INSUFFICIENT_FUNDS');
        await submit(music, 'payouts:requestPayout', { payoutId: id('PO1'), memberId: member, amount: '300.00', currency: 'CNY' });
        expect(await balance(`member:${member}:payable`)).toBe('200.00');
        expect(await balance(`member:${member}:payout-pending`)).toBe('300.00');
        await submit(music, 'payouts:completePayout', { payoutId: id('PO1'), outcome: 'paid', bankReference: 'BANK-REF-1' });
        await expectLedgerError(submit(music, 'payouts:completePayout', { payoutId: id('PO1'), outcome: 'voided', reasonCode: 'OTHER' }), 'LEDGER.INVALID_STATE', 'payoutId');
        await submit(music, 'payouts:requestPayout', { payoutId: id('PO2'), memberId: member, amount: '200.00', currency: 'CNY' });
        await submit(music, 'payouts:completePayout', { payoutId: id('PO2'), outcome: 'voided', reasonCode: 'OTHER' });
        expect(await balance(`member:${member}:payable`)).toBe('200.00');
        expect(await balance(`member:${member}:payout-pending`)).toBe('0.00');
        await expectLedgerError(submit(av, 'payouts:requestPayout', { payoutId: id('PO3'), memberId: member, amount: '1.00', currency: 'CNY' }), 'ACCESS.DENIED');
      });
    });

    describe('suspense releases and supervision', () => {
      it('releases suspense to a member whose claim was accepted, never more than suspense holds', async () => {
        const suspenseAccount = `suspense:${MC}:performing:${useType}:2026Q3`;
        expect(await balance(suspenseAccount)).toBe('76.10');
        await expectLedgerError(submit(music, 'distribution:releaseSuspense', { claimId: id('CLM0'), collectiveId: MC, pool, memberId: id('M2'), amount: '76.11', currency: 'CNY' }), 'LEDGER.INSUFFICIENT_FUNDS');
        await submit(music, 'distribution:releaseSuspense', { claimId: id('CLM1'), collectiveId: MC, pool, memberId: id('M2'), amount: '10.00', currency: 'CNY' });
        expect(await balance(suspenseAccount)).toBe('66.10');
        expect(await balance(`member:${id('M2')}:payable`)).toBe('310.00');
        await expectLedgerError(submit(music, 'distribution:releaseSuspense', { claimId: id('CLM1'), collectiveId: MC, pool, memberId: id('M2'), amount: '1.00', currency: 'CNY' }), 'ALREADY_EXISTS', 'claimId');
      });

      it('lets only the regulator file complaints and record findings, with a 60-day clock', async () => {
        const args = { complaintId: id('CMP1'), collectiveId: MC, complainantId: id('M2'), category: 'statement', subject: 'My Q3 statement misses a work', textHash: 'cd'.repeat(32) };
        await expectLedgerError(submit(music, 'supervision:fileComplaint', args), 'ACCESS.DENIED');
        const filed = await submit<{ complaint: { filedAt: string; dueBy: string; status: string } }>(regulator, 'supervision:fileComplaint', args);
        const { filedAt, dueBy, status } = filed.result.complaint;
        expect(status).toBe('open');
        expect(Date.parse(dueBy) - Date.parse(filedAt)).toBe(60 * 86_400_000);
        await expectLedgerError(submit(regulator, 'supervision:recordFinding', { complaintId: id('CMP1'), status: 'closed' }), 'VALIDATION.INVALID_ARGUMENT', 'outcome');
        await submit(regulator, 'supervision:recordFinding', { complaintId: id('CMP1'), status: 'closed', outcome: 'upheld', summary: 'The work was missing; corrected in the next run.' });
        await expectLedgerError(submit(regulator, 'supervision:recordFinding', { complaintId: id('CMP1'), status: 'investigating' }), 'LEDGER.INVALID_STATE', 'complaintId');
      });
    });

    describe('receipts, events and concurrency', () => {
      it('gives a receipt for a committed transaction and emits one event carrying its changes', async () => {
        const info0 = await port.info();
        const r = await submit<{ entryId: string }>(music, 'income:postIncome', { incomeId: id('INC-EV'), collectiveId: MC, pool, amount: '12.34', currency: 'CNY', source: { kind: 'society', reference: 'ABC 2026-1' } });
        const receipt = await port.receipt(r.txId);
        expect(receipt.txId).toBe(r.txId);
        expect(receipt.blockNumber).toBe(r.blockNumber);
        expect(receipt.blockHash).toMatch(/^[0-9a-f]{64}$/);
        expect(receipt.validationCode).toBe('VALID');
        expect(r.blockNumber).toBeGreaterThanOrEqual(info0.height - 1n);
        const sub = port.events({ blockNumber: r.blockNumber - 1n, txIndex: Number.MAX_SAFE_INTEGER });
        let found: LedgerEvent | undefined;
        for await (const ev of sub) {
          if (ev.txId === r.txId) {
            found = ev;
            break;
          }
          if (ev.blockNumber > r.blockNumber) break;
        }
        sub.close();
        expect(found).toBeDefined();
        const payload = found!.payload as { changes: Array<{ type: string }> };
        expect(payload.changes.map((c) => c.type).sort()).toEqual(['entry', 'income']);
        await expectLedgerError(port.receipt('f'.repeat(64)), 'NOT_FOUND');
      });

      it('commits concurrent income postings into one pool without conflicts', async () => {
        const n = ut.concurrentPostings;
        const cpool = { rightType: 'performing', useType, period: '2026Q1' } as const;
        const before = await balance(`pool:${MC}:performing:${useType}:2026Q1`);
        const results = await Promise.allSettled(
          Array.from({ length: n }, (_, i) =>
            submit(music, 'income:postIncome', { incomeId: id(`C${i}`), collectiveId: MC, pool: cpool, amount: `${i + 1}.01`, currency: 'CNY', source: { kind: 'licensee', partyId: id('L1'), reference: `R${i}` } }),
          ),
        );
        const failed = results.filter((r) => r.status === 'rejected');
        expect(failed).toHaveLength(0);
        // sum of (i + 1.01) for i in 0..n-1, in fen
        const expected = BigInt(n * (n + 1) / 2) * 100n + BigInt(n);
        expect(before).toBe('0.00');
        const after = await balance(`pool:${MC}:performing:${useType}:2026Q1`);
        expect(after).toBe(`${expected / 100n}.${String(expected % 100n).padStart(2, '0')}`);
      });
    });
  });
}
