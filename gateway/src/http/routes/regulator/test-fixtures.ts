/**
 * Ledger activity the demo seed does not contain, written straight through the ledger port for the
 * regulator's tests: two distribution runs of the music collective's KTV performing pools (2026Q2
 * from fresh direct income, 2026Q3 from licence payments) with fees, deductions, suspense and
 * carried-forward amounts, a paid payout, and complaints (with their off-chain texts).
 */
import { createHash } from 'node:crypto';
import { batchDigest } from '@rtl/distribution/anchor';
import { MSP, operatorOf, regulatorIdentity } from '../../../ledger/organisations';
import type { TestApp } from '../../../testing/test-app';

const music = operatorOf(MSP.music, 'test-operator');
const digest = (s: string) => createHash('sha256').update(s).digest('hex');

/** What {@link seedSupervisionData} wrote, for assertions. */
export const FIXTURE = {
  q2: { runId: 'RUN-KTV-2026Q2', pool: 'performing:ktv:2026Q2', gross: '2000.00', fee: '200.00', allocated: '1800.00' },
  q3: { runId: 'RUN-KTV-2026Q3', pool: 'performing:ktv:2026Q3', gross: '1000.00', fee: '150.00', deductions: '50.00', allocated: '700.00', suspense: '90.00', carried: '10.00' },
  payout: { id: 'PO-TEST-M001', memberId: 'MCSC-M001', amount: '300.00' },
  complaints: {
    member: { id: 'CMP-TEST-M001', collectiveId: 'MCSC', complainantId: 'MCSC-M001', text: 'My 2026Q3 statement omits the KTV plays of my song.' },
    licensee: { id: 'CMP-TEST-L017', collectiveId: 'CAVCA', complainantId: 'CAVCA-L017', text: 'The tariff was applied twice.' },
  },
} as const;

async function runDistribution(t: TestApp, runId: string, pool: string, a: { gross: string; fee: string; deductions: string; allocated: string; suspense: string; carried: string; batchTotal: string }, lines: Array<{ partyId: string; payable: string; carried: string }>) {
  const [rightType, useType, period] = pool.split(':');
  await t.services.ledger.submit(music, 'distribution:openDistribution', {
    commandId: `test:open:${runId}`, runId, collectiveId: 'MCSC', pool: { rightType, useType, period }, currency: 'CNY', method: 'pro_rata_points',
    gross: a.gross, managementFee: a.fee, deductions: a.deductions, allocated: a.allocated, suspense: a.suspense, carriedForward: a.carried, rounding: '0.00',
    holderCount: lines.length, statementLineCount: lines.length, merkleRoot: digest(runId),
    inputs: { usageDigest: digest(`${runId}:usage`), repertoireDigest: digest(`${runId}:repertoire`), parametersDigest: digest(`${runId}:parameters`) },
    batches: [{ batchNo: 0, lineCount: lines.length, total: a.batchTotal, digest: batchDigest(runId, 0, lines) }],
  });
  await t.services.ledger.submit(music, 'distribution:postDistributionBatch', { commandId: `test:batch:${runId}`, runId, batchNo: 0, lines });
  await t.services.ledger.submit(music, 'distribution:sealDistribution', { commandId: `test:seal:${runId}`, runId });
}

/** Writes the fixture's ledger activity and complaint texts, then waits for the read model. */
export async function seedSupervisionData(t: TestApp): Promise<void> {
  const { q2, q3, payout, complaints } = FIXTURE;
  await t.services.ledger.submit(music, 'income:postIncome', {
    commandId: 'test:income:q2', incomeId: 'TEST-SOC-2026Q2', collectiveId: 'MCSC', pool: { rightType: 'performing', useType: 'ktv', period: '2026Q2' }, amount: q2.gross, currency: 'CNY',
    source: { kind: 'society', reference: 'test remittance' },
  });
  await runDistribution(t, q2.runId, q2.pool, { gross: q2.gross, fee: q2.fee, deductions: '0.00', allocated: q2.allocated, suspense: '0.00', carried: '0.00', batchTotal: '1800.00' }, [
    { partyId: 'MCSC-M001', payable: '1000.00', carried: '0.00' },
    { partyId: 'MCSC-M002', payable: '800.00', carried: '0.00' },
  ]);
  await runDistribution(t, q3.runId, q3.pool, { gross: q3.gross, fee: q3.fee, deductions: q3.deductions, allocated: q3.allocated, suspense: q3.suspense, carried: q3.carried, batchTotal: '710.00' }, [
    { partyId: 'MCSC-M001', payable: '400.00', carried: '0.00' },
    { partyId: 'MCSC-M002', payable: '300.00', carried: '10.00' },
  ]);
  await t.services.ledger.submit(music, 'payouts:requestPayout', { commandId: 'test:payout:req', payoutId: payout.id, memberId: payout.memberId, amount: payout.amount, currency: 'CNY' });
  await t.services.ledger.submit(music, 'payouts:completePayout', { commandId: 'test:payout:paid', payoutId: payout.id, outcome: 'paid', bankReference: 'BANK-TEST-1' });
  for (const [kind, c] of Object.entries(complaints)) {
    await t.services.ledger.submit(regulatorIdentity(), 'supervision:fileComplaint', {
      commandId: `test:complaint:${c.id}`, complaintId: c.id, collectiveId: c.collectiveId, complainantId: c.complainantId,
      category: kind === 'member' ? 'statement' : 'tariff', subject: `Test complaint ${c.id}`, textHash: digest(c.text),
    });
  }
  // The member's text is stored as filed; the licensee's is altered afterwards, so its hash no longer matches.
  await t.services.sql`insert into offchain.complaint_texts ${t.services.sql([
    { complaint_id: complaints.member.id, complainant_id: complaints.member.complainantId, text: complaints.member.text, sha256: digest(complaints.member.text) },
    { complaint_id: complaints.licensee.id, complainant_id: complaints.licensee.complainantId, text: `${complaints.licensee.text} (edited)`, sha256: digest(complaints.licensee.text) },
  ])}`;
  await t.settle();
}
