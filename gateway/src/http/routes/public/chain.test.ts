import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderError } from '../../app';
import { newRouter } from '../../openapi';
import type { LedgerPort } from '../../../ledger/port';
import { createTestApp, type TestApp } from '../../../testing/test-app';
import { publicRouter } from './index';
import { allPages, expectError, ok } from './test-support';

interface Block {
  number: string;
  hash: string | null;
  previousHash: string | null;
  transactions: Array<{ txId: string; fn: string; mspId: string | null; validationCode: string }>;
}
type Blocks = { items: Block[]; nextCursor: string | null };
interface Chain {
  height: string;
  headHash: string;
  verification: { ok: boolean; checkedHeight: string; firstBadBlock: string | null } | null;
}

describe('public receipts and chain', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A public router on its own, with options the app's default does not use. */
  const standalone = (services: TestApp['services'], options: Parameters<typeof publicRouter>[1]) => {
    const app = newRouter().route('/api/public', publicRouter(services, options));
    app.onError((err, c) => renderError(err, c));
    return app;
  };

  it('gives the receipt of any transaction with its function and number of changes', async () => {
    const [tx] = await t.services.sql<{ tx_id: string; fn: string; change_count: number }[]>`select tx_id, fn, change_count from rm.transactions where fn = 'licensing:issueLicence' limit 1`;
    const r = await ok<{ txId: string; blockNumber: string; blockHash: string; txIndex: number; validationCode: string; timestamp: string; fn: string; changeCount: number }>(
      await t.call('GET', `/api/public/receipts/${tx!.tx_id}`),
    );
    const receipt = await t.services.ledger.receipt(tx!.tx_id);
    expect(r).toEqual({ txId: tx!.tx_id, blockNumber: receipt.blockNumber.toString(), blockHash: receipt.blockHash, txIndex: receipt.txIndex, validationCode: 'VALID', timestamp: receipt.timestamp, fn: 'licensing:issueLicence', changeCount: tx!.change_count });
    await expectError(await t.call('GET', `/api/public/receipts/${'0'.repeat(64)}`), 404, 'NOT_FOUND');
    await expectError(await t.call('GET', '/api/public/receipts/XYZ'), 400, 'VALIDATION.INVALID_ARGUMENT', 'txId');
  });

  it('reports height, head and an intact chain', async () => {
    const info = await t.services.ledger.info();
    const c = await ok<Chain>(await t.call('GET', '/api/public/chain'));
    expect(c.height).toBe(info.height.toString());
    expect(c.headHash).toBe(info.lastBlockHash);
    expect(c.verification).toMatchObject({ ok: true, firstBadBlock: null, checkedHeight: info.height.toString() });
  });

  it('lists the latest blocks newest first, down to the genesis block, without transaction contents', async () => {
    const info = await t.services.ledger.info();
    const first = await ok<Blocks>(await t.call('GET', '/api/public/chain/blocks?limit=3'));
    expect(first.items.map((b) => b.number)).toEqual([1n, 2n, 3n].map((k) => (info.height - k).toString()));
    expect(first.items[0]!.hash).toBe(info.lastBlockHash);
    expect(first.items[0]!.previousHash).toBe(first.items[1]!.hash);
    const { items } = await allPages((cursor) => t.call('GET', `/api/public/chain/blocks?limit=7${cursor ? `&cursor=${cursor}` : ''}`).then((r) => ok<Blocks>(r)));
    expect(items.map((b) => BigInt(b.number))).toEqual(Array.from({ length: Number(info.height) }, (_, i) => info.height - 1n - BigInt(i)));
    const text = JSON.stringify(items);
    // Payment references and arguments stay off the public page.
    expect(text).not.toMatch(/BANK-|"args"|"writes"|"user"/);
    expect(items.flatMap((b) => b.transactions).some((x) => x.fn === 'income:recordPayment' && x.mspId === 'MusicCmoMSP')).toBe(true);
    await expectError(await t.call('GET', '/api/public/chain/blocks?limit=101'), 400, 'VALIDATION.INVALID_ARGUMENT', 'limit');
    await expectError(await t.call('GET', '/api/public/chain/blocks?cursor=WyJ4Il0'), 400, 'VALIDATION.INVALID_ARGUMENT', 'cursor');
  });

  it('names the first tampered block once the stored chain is altered', async () => {
    const app = standalone(t.services, { verifyTtlMs: 0, cache: { ttlMs: 0 } });
    const target = 5;
    await t.services.sql.unsafe(`update ledger.transactions set args = args || ' ' where block_number = ${target}`);
    try {
      const c = await ok<Chain>(await app.request('/api/public/chain'));
      expect(c.verification).toMatchObject({ ok: false, firstBadBlock: String(target) });
    } finally {
      await t.services.sql.unsafe(`update ledger.transactions set args = rtrim(args, ' ') where block_number = ${target}`);
    }
    expect((await ok<Chain>(await app.request('/api/public/chain'))).verification?.ok).toBe(true);
  });

  it('falls back to the read model on a ledger without an explorer (a Fabric network)', async () => {
    const l = t.services.ledger;
    const bare: LedgerPort = { submit: l.submit.bind(l), evaluate: l.evaluate.bind(l), events: l.events.bind(l), receipt: l.receipt.bind(l), info: l.info.bind(l), close: async () => {} };
    const app = standalone({ ...t.services, ledger: bare }, { cache: { ttlMs: 0 } });
    expect((await ok<Chain>(await app.request('/api/public/chain'))).verification).toBeNull();
    const blocks = await ok<Blocks>(await app.request('/api/public/chain/blocks?limit=100'));
    const rows = await t.services.sql<{ tx_id: string }[]>`select tx_id from rm.transactions order by block_number desc, tx_index`;
    expect(blocks.items.flatMap((b) => b.transactions.map((x) => x.txId))).toEqual(rows.slice(0, blocks.items.flatMap((b) => b.transactions).length).map((r) => r.tx_id));
    expect(blocks.items.length).toBeGreaterThan(0);
  });
});
