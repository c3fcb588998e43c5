import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractInstances } from '@rtl/chaincode';
import { seedDemo } from '../demo/seed';
import { demoData } from '../demo/demo-data';
import { EmbeddedLedger } from '../ledger/embedded/embedded-ledger';
import { regulatorIdentity } from '../ledger/organisations';
import type { LedgerEvent } from '../ledger/port';
import { createTestDatabase, type TestDatabase } from '../testing/test-database';
import { applyEvent, migrateReadModel, Projector, READ_MODEL_TABLES, readCheckpoint, rebuildReadModel, resetReadModel } from './index';

async function tableDigests(db: TestDatabase): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of READ_MODEL_TABLES) {
    const rows = await db.sql.unsafe(`select to_jsonb(x)::text as j from rm.${t} x order by 1`);
    out[t] = createHash('sha256').update(rows.map((r) => String(r.j)).join('\n')).digest('hex');
  }
  return out;
}

async function allEvents(ledger: EmbeddedLedger): Promise<LedgerEvent[]> {
  const { height } = await ledger.info();
  const sub = ledger.events();
  const out: LedgerEvent[] = [];
  const idle = setTimeout(() => sub.close(), 3000);
  for await (const e of sub) {
    out.push(e);
    if (e.blockNumber >= height - 1n) break;
  }
  clearTimeout(idle);
  sub.close();
  return out;
}

describe('read model projector', () => {
  let db: TestDatabase;
  let ledger: EmbeddedLedger;

  beforeAll(async () => {
    db = await createTestDatabase();
    ledger = await EmbeddedLedger.open({ sql: db.sql, contracts: contractInstances(), log: () => {} });
    await migrateReadModel(db.sql);
    await seedDemo(ledger, () => {});
  });
  afterAll(async () => {
    await ledger?.close();
    await db?.drop();
  });

  it('projects every record of the demo ledger, with balances equal to the ledger’s', async () => {
    const projector = new Projector(ledger, db.sql);
    projector.start();
    const last = await ledger.submit(
      { mspId: 'MusicCmoMSP', role: 'operator', user: 't' },
      'income:postIncome',
      { commandId: 'rm-test-1', incomeId: 'RM-1', collectiveId: 'MCSC', pool: { rightType: 'performing', useType: 'ktv', period: '2026Q3' }, amount: '0.01', currency: 'CNY', source: { kind: 'other', reference: 'rm' } },
    );
    await projector.waitFor(last.txId);
    await projector.stop();
    const data = demoData();
    const count = async (t: string) => Number((await db.sql.unsafe(`select count(*)::int as n from rm.${t}`))[0]!.n);
    expect(await count('parties')).toBe(data.parties.length + data.collectives.length);
    expect(await count('works')).toBe(data.works.length);
    expect(await count('licences')).toBe(data.licences.length);
    expect(await count('invoices')).toBe(data.licences.length);
    const account = 'pool:MCSC:performing:ktv:2026Q3';
    const [row] = await db.sql<{ balance: string }[]>`select (-sum(amount))::text as balance from rm.postings where account = ${account}`;
    const onLedger = await ledger.evaluate<{ balances: Array<{ balance: string }> }>(regulatorIdentity(), 'queries:getBalance', { account });
    expect(row!.balance).toBe(onLedger.balances[0]!.balance);
    const cp = await readCheckpoint(db.sql);
    expect(cp?.blockNumber).toBe(last.blockNumber);
  });

  it('rebuilds from block 0 into identical tables', async () => {
    const before = await tableDigests(db);
    const applied = await rebuildReadModel(ledger, db.sql);
    expect(applied).toBeGreaterThan(100);
    expect(await tableDigests(db)).toEqual(before);
  });

  it('applies every event exactly once when killed between an event and its checkpoint', async () => {
    const reference = await tableDigests(db);
    await resetReadModel(db.sql);
    const events = await allEvents(ledger);
    const crashAt = Math.floor(events.length / 2);
    for (const [i, e] of events.entries()) {
      if (i === crashAt) {
        await expect(applyEvent(db.sql, e, () => { throw new Error('killed'); })).rejects.toThrow('killed');
        break;
      }
      await applyEvent(db.sql, e);
    }
    const cp = await readCheckpoint(db.sql);
    expect(cp).toEqual({ blockNumber: events[crashAt - 1]!.blockNumber, txIndex: events[crashAt - 1]!.txIndex });
    const [seen] = await db.sql`select count(*)::int as n from rm.transactions where tx_id = ${events[crashAt]!.txId}`;
    expect(seen!.n).toBe(0);
    // Restart: a projector resumes from the checkpoint; replaying the earlier events is ignored.
    let appliedAgain = 0;
    for (const e of events) if (await applyEvent(db.sql, e)) appliedAgain++;
    expect(appliedAgain).toBe(events.length - crashAt);
    expect(await tableDigests(db)).toEqual(reference);
  });
});
