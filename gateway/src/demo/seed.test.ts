import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractInstances } from '@rtl/chaincode';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { EmbeddedLedger } from '../ledger/embedded/embedded-ledger';
import { regulatorIdentity } from '../ledger/organisations';
import { DEMO_PERIOD, demoData } from './demo-data';
import { seedDemo } from './seed';

const fen = (s: string) => {
  const [i = '0', f = ''] = s.split('.');
  return BigInt(i) * 100n + BigInt((f + '00').slice(0, 2));
};

describe('demo seed on the embedded ledger', () => {
  let db: TestDatabase;
  let ledger: EmbeddedLedger;
  const open = () => EmbeddedLedger.open({ sql: db.sql, contracts: contractInstances(), log: () => {} });

  beforeAll(async () => {
    db = await createTestDatabase();
    ledger = await open();
  });
  afterAll(async () => {
    await ledger?.close();
    await db?.drop();
  });

  it('seeds the documented volumes once', async () => {
    const data = demoData();
    expect(data.parties.filter((p) => p.kind === 'member')).toHaveLength(50);
    expect(data.parties.filter((p) => p.kind === 'licensee')).toHaveLength(20);
    expect(data.works).toHaveLength(500);
    const outcome = await seedDemo(ledger, () => {});
    expect(outcome.skipped).toBe(false);
    expect(outcome.transactions).toBeGreaterThan(100);
    expect((await seedDemo(ledger, () => {})).skipped).toBe(true);
  });

  it('puts exactly the paid licence fees into each pool', async () => {
    const data = demoData();
    const ktv = data.licences.filter((l) => l.collectiveId === 'MCSC' && l.useType === 'ktv');
    const expected = ktv.reduce((s, l) => s + fen(l.paid), 0n);
    const b = await ledger.evaluate<{ balances: Array<{ balance: string }> }>(regulatorIdentity(), 'queries:getBalance', { account: `pool:MCSC:performing:ktv:${DEMO_PERIOD}` });
    expect(fen(b.balances[0]!.balance)).toBe(expected);
    expect(expected).toBeGreaterThan(0n);
  });

  it('reopens with identical state and chain, which verifies', async () => {
    const before = { info: await ledger.info(), state: await ledger.stateHash() };
    await ledger.close();
    ledger = await open();
    const after = { info: await ledger.info(), state: await ledger.stateHash() };
    expect(after).toEqual(before);
    const v = await ledger.verify();
    expect(v.ok).toBe(true);
    expect(v.height).toBe(before.info.height);
  });
});
