/**
 * What only a real Fabric network can show: the endorsement policy enforced at validation, every
 * organisation's peer holding the same blocks and state, and a peer restarted mid-run catching up
 * while the adapter's event stream reconnects without losing or repeating an event.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isLedgerError } from '@rtl/chaincode';
import { startPeer, stopPeer } from '../../../../fabric-network/src/control';
import { MSP, operatorOf, regulatorIdentity } from '../organisations';
import type { Checkpoint, LedgerEvent, LedgerIdentity } from '../port';
import { expectLedgerError } from '../port.contract-suite';
import { FabricLedger } from './fabric-ledger';

const fabric = inject('fabric');
const run = randomBytes(4).toString('hex');
const music = operatorOf(MSP.music);
const av = operatorOf(MSP.av);
const regulator = regulatorIdentity();
let cmd = 0;
const nextCmd = () => `net-${run}-${++cmd}`;

/** Polls until every listed organisation's peer reports the same chain (height and head). */
async function sameChain(ledger: FabricLedger, orgs: string[]): Promise<{ height: bigint; lastBlockHash: string }> {
  for (;;) {
    const infos = await Promise.all(orgs.map((o) => ledger.info(o)));
    const first = infos[0]!;
    if (infos.every((i) => i.height === first.height && i.lastBlockHash === first.lastBlockHash)) return first;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(fabric.skip !== '')(`Fabric network${fabric.skip ? ` (${fabric.skip})` : ''}`, () => {
  let ledger: FabricLedger;
  const postIncome = (who: LedgerIdentity, collectiveId: string, n: string) =>
    ledger.submit<{ entryId: string }>(who, 'income:postIncome', {
      commandId: nextCmd(), incomeId: `net-${run}-${n}`, collectiveId,
      pool: { rightType: 'performing', useType: `n${run}`, period: '2026Q2' }, amount: '1.00', currency: 'CNY', source: { kind: 'other', reference: n },
    });
  /**
   * Submits one command until the network can take it: after a restart, a peer's service discovery
   * needs a few gossip rounds to see the other organisations again. Repeating the same command id
   * is safe (commands are idempotent), which is what a client does with `LEDGER.UNAVAILABLE`.
   */
  const postIncomeWhenAvailable = async (who: LedgerIdentity, collectiveId: string, n: string) => {
    const args = {
      commandId: nextCmd(), incomeId: `net-${run}-${n}`, collectiveId,
      pool: { rightType: 'performing', useType: `n${run}`, period: '2026Q2' }, amount: '1.00', currency: 'CNY', source: { kind: 'other', reference: n },
    };
    for (;;) {
      try {
        return await ledger.submit<{ entryId: string }>(who, 'income:postIncome', args);
      } catch (e) {
        if (!isLedgerError(e) || e.code !== 'LEDGER.UNAVAILABLE') throw e;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };

  beforeAll(async () => {
    // Events, receipts and chain info from the music collective's peer: the one restarted below.
    ledger = FabricLedger.open({ profilePath: fabric.profilePath, readerMspId: MSP.music });
    await ledger.submit(music, 'parties:registerCollective', { commandId: 'bootstrap-collective-MusicCmoMSP', collectiveId: 'MCSC', name: 'Music Copyright Society', country: 'CN' });
    await ledger.submit(av, 'parties:registerCollective', { commandId: 'bootstrap-collective-AvCmoMSP', collectiveId: 'CAVCA', name: 'Audio-Visual Copyright Association', country: 'CN' });
  });
  afterAll(async () => {
    await ledger?.close();
  });

  it('rejects at validation a transaction endorsed without the regulator', async () => {
    const partyId = `forged-${run}`;
    let caught: unknown;
    try {
      await ledger.submit(music, 'parties:registerParty', { commandId: nextCmd(), partyId, collectiveId: 'MCSC', kind: 'member', name: 'Forged', memberType: 'author' }, { endorsingOrganizations: [MSP.music] });
    } catch (e) {
      caught = e;
    }
    if (!isLedgerError(caught)) throw caught ?? new Error('the write endorsed by the collective alone was accepted');
    expect(caught.code).toBe('LEDGER.ENDORSEMENT_FAILED');
    expect(caught.details.validationCode).toBe('ENDORSEMENT_POLICY_FAILURE');
    // It was ordered into a block, marked invalid there, and changed nothing.
    const receipt = await ledger.receipt(String(caught.details.txId));
    expect(receipt.validationCode).toBe('ENDORSEMENT_POLICY_FAILURE');
    await expectLedgerError(ledger.evaluate(regulator, 'parties:getParty', { partyId }), 'NOT_FOUND', 'partyId');
    await expectLedgerError(ledger.evaluate(music, 'parties:getParty', { partyId }), 'NOT_FOUND', 'partyId');
    // The same write with the regulator's endorsement commits.
    await ledger.submit(music, 'parties:registerParty', { commandId: nextCmd(), partyId, collectiveId: 'MCSC', kind: 'member', name: 'Endorsed', memberType: 'author' });
    expect((await ledger.evaluate<{ name: string }>(regulator, 'parties:getParty', { partyId })).name).toBe('Endorsed');
  });

  it("holds the same blocks and state on the regulator's and the collectives' peers", async () => {
    const r = await postIncome(music, 'MCSC', 'same-1');
    await postIncome(av, 'CAVCA', 'same-2');
    const orgs = [MSP.music, MSP.av, MSP.regulator];
    const chain = await sameChain(ledger, orgs);
    expect(chain.height).toBeGreaterThan(r.blockNumber);
    // The head hash the peers report is the hash we compute over the last block's header.
    // The same query, answered by each organisation's own peer.
    const answers = await Promise.all(
      ([[music, MSP.music], [av, MSP.av], [regulator, MSP.regulator]] as const).map(([who, org]) =>
        ledger.evaluate(who, 'queries:getEntry', { entryId: r.result.entryId }, { endorsingOrganizations: [org] }),
      ),
    );
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('computes the block hash the peers report for the head of the chain', async () => {
    const a = await postIncome(music, 'MCSC', 'chain-1');
    const b = await postIncome(music, 'MCSC', 'chain-2');
    const [ra, rb] = await Promise.all([ledger.receipt(a.txId), ledger.receipt(b.txId)]);
    expect(rb.blockNumber).toBeGreaterThan(ra.blockNumber);
    // Nothing else writes meanwhile, so b's block is the head.
    const head = await sameChain(ledger, [MSP.music, MSP.av, MSP.regulator]);
    expect(head.height - 1n).toBe(rb.blockNumber);
    expect(rb.blockHash).toBe(head.lastBlockHash);
  });

  it('catches up a restarted peer, and the event stream reconnects without losing or repeating an event', async () => {
    const start = await ledger.info(MSP.music);
    const from: Checkpoint = { blockNumber: start.height - 1n, txIndex: Number.MAX_SAFE_INTEGER };
    const sub = ledger.events(from, MSP.music);
    const seen: LedgerEvent[] = [];
    const expected = new Set<string>();
    const written: string[] = [];
    let notify: () => void = () => {};
    const consumer = (async () => {
      for await (const ev of sub) {
        seen.push(ev);
        notify();
      }
    })();
    const waitForAll = () =>
      new Promise<void>((resolve) => {
        notify = () => {
          if ([...expected].every((id) => seen.some((e) => e.txId === id))) resolve();
        };
        notify();
      });

    try {
      for (const n of ['r1', 'r2', 'r3']) expected.add((await postIncome(music, 'MCSC', n)).txId);
      await waitForAll();

      await stopPeer(MSP.music);
      // The audiovisual collective keeps writing, endorsed by its own peer and the regulator's.
      for (const n of ['r4', 'r5', 'r6', 'r7']) {
        const r = await postIncome(av, 'CAVCA', n);
        expected.add(r.txId);
        written.push(r.result.entryId);
      }
      await expectLedgerError(ledger.info(MSP.music), 'LEDGER.UNAVAILABLE');
      await startPeer(MSP.music);

      // The music collective writes again once its peer is back (the adapter waits for it to catch up).
      for (const n of ['r8', 'r9']) expected.add((await postIncomeWhenAvailable(music, 'MCSC', n)).txId);
      await waitForAll();
      await sameChain(ledger, [MSP.music, MSP.regulator]);
      // The stream really was cut by the restart and reopened.
      expect(sub.reopened).toBeGreaterThan(0);
    } finally {
      sub.close();
      await consumer;
    }

    const ids = seen.map((e) => e.txId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of expected) expect(ids).toContain(id);
    for (let i = 1; i < seen.length; i++) {
      const [p, c] = [seen[i - 1]!, seen[i]!];
      expect(c.blockNumber > p.blockNumber || (c.blockNumber === p.blockNumber && c.txIndex > p.txIndex)).toBe(true);
    }
    for (const e of seen) expect(e.blockNumber > from.blockNumber).toBe(true);
    // The restarted peer answers queries with the state written while it was down, as the regulator's does.
    for (const entryId of written) {
      const [atMusic, atRegulator] = await Promise.all([
        ledger.evaluate(music, 'queries:getEntry', { entryId }, { endorsingOrganizations: [MSP.music] }),
        ledger.evaluate(regulator, 'queries:getEntry', { entryId }, { endorsingOrganizations: [MSP.regulator] }),
      ]);
      expect(atMusic).toEqual(atRegulator);
    }
  });
});
