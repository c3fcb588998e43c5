import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Contract, type Context } from 'fabric-contract-api';
import { LedgerError } from '@rtl/chaincode/errors';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database';
import type { LedgerEvent, LedgerIdentity } from '../port';
import { EmbeddedLedger, type EmbeddedLedgerOptions } from './embedded-ledger';

const operator: LedgerIdentity = { mspId: 'MusicCmoMSP', role: 'operator', user: 'operator1' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const parse = (b: Uint8Array) => (b.length === 0 ? null : (JSON.parse(Buffer.from(b).toString()) as unknown));

/** A small key-value contract exercising the stub the way real contracts do. */
class KvContract extends Contract {
  constructor() {
    super('kv');
  }

  async put(ctx: Context, argsJson: string): Promise<string> {
    const { key, value } = JSON.parse(argsJson) as { key: string; value: unknown };
    await ctx.stub.putState(key, json(value));
    ctx.stub.setEvent('Put', json({ key }));
    return JSON.stringify({ key });
  }

  async get(ctx: Context, argsJson: string): Promise<string> {
    const { key } = JSON.parse(argsJson) as { key: string };
    return JSON.stringify(parse(await ctx.stub.getState(key)));
  }

  async del(ctx: Context, argsJson: string): Promise<void> {
    await ctx.stub.deleteState((JSON.parse(argsJson) as { key: string }).key);
  }

  async readOwnWrite(ctx: Context, argsJson: string): Promise<string> {
    const { key } = JSON.parse(argsJson) as { key: string };
    await ctx.stub.putState(key, json('mine'));
    const seen = await ctx.stub.getState(key);
    return JSON.stringify({ seen: parse(seen) });
  }

  /** Read-modify-write of one counter; `delayMs` holds the simulation open across commits. */
  async increment(ctx: Context, argsJson: string): Promise<string> {
    const { key, delayMs } = JSON.parse(argsJson) as { key: string; delayMs?: number };
    const n = (parse(await ctx.stub.getState(key)) as number | null) ?? 0;
    if (delayMs) await sleep(delayMs);
    await ctx.stub.putState(key, json(n + 1));
    return JSON.stringify(n + 1);
  }

  async addItem(ctx: Context, argsJson: string): Promise<void> {
    const { pool, id, amount } = JSON.parse(argsJson) as { pool: string; id: string; amount: number };
    await ctx.stub.putState(ctx.stub.createCompositeKey('item', [pool, id]), json(amount));
  }

  /** Scans a pool's items and writes their total: a transaction that must see no phantoms. */
  async total(ctx: Context, argsJson: string): Promise<string> {
    const { pool, delayMs } = JSON.parse(argsJson) as { pool: string; delayMs?: number };
    let sum = 0;
    for await (const { value } of ctx.stub.getStateByPartialCompositeKey('item', [pool])) sum += parse(value) as number;
    if (delayMs) await sleep(delayMs);
    await ctx.stub.putState(`total:${pool}`, json(sum));
    return JSON.stringify(sum);
  }

  async range(ctx: Context, argsJson: string): Promise<string> {
    const { start, end, limit } = JSON.parse(argsJson) as { start: string; end: string; limit?: number };
    const it = await ctx.stub.getStateByRange(start, end);
    const keys: string[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) {
      keys.push(r.value.key);
      if (limit && keys.length >= limit) break;
    }
    await it.close();
    return JSON.stringify(keys);
  }

  async items(ctx: Context, argsJson: string): Promise<string> {
    const { pool } = JSON.parse(argsJson) as { pool: string };
    const out: Array<{ attributes: string[]; objectType: string | null }> = [];
    for await (const { key } of ctx.stub.getStateByPartialCompositeKey('item', pool ? [pool] : [])) {
      out.push(ctx.stub.splitCompositeKey(key) as { attributes: string[]; objectType: string | null });
    }
    return JSON.stringify(out);
  }

  async history(ctx: Context, argsJson: string): Promise<string> {
    const { key } = JSON.parse(argsJson) as { key: string };
    const out: Array<{ txId: string; isDelete: boolean; value: unknown; seconds: number }> = [];
    for await (const m of ctx.stub.getHistoryForKey(key)) {
      out.push({ txId: m.txId, isDelete: m.isDelete, value: parse(m.value), seconds: Number(m.timestamp.seconds) });
    }
    return JSON.stringify(out);
  }

  async twoEvents(ctx: Context): Promise<void> {
    ctx.stub.setEvent('First', json({ n: 1 }));
    ctx.stub.setEvent('Second', json({ n: 2 }));
  }

  async whoami(ctx: Context): Promise<string> {
    const ts = ctx.stub.getTxTimestamp();
    const stub = ctx.stub as unknown as { getDateTimestamp(): Date };
    return JSON.stringify({
      msp: ctx.clientIdentity.getMSPID(),
      id: ctx.clientIdentity.getID(),
      role: ctx.clientIdentity.getAttributeValue('role'),
      other: ctx.clientIdentity.getAttributeValue('hf.EnrollmentID'),
      isOperator: ctx.clientIdentity.assertAttributeValue('role', 'operator'),
      txId: ctx.stub.getTxID(),
      channel: ctx.stub.getChannelID(),
      creatorMsp: ctx.stub.getCreator().mspid,
      fcn: ctx.stub.getFunctionAndParameters(),
      args: ctx.stub.getArgs(),
      seconds: ts.seconds.toNumber(),
      nanos: ts.nanos,
      date: stub.getDateTimestamp().toISOString(),
    });
  }

  async fail(_ctx: Context, argsJson: string): Promise<void> {
    const { code } = JSON.parse(argsJson) as { code: 'LEDGER.UNBALANCED' };
    throw new LedgerError(code, 'debits and credits differ', { field: 'postings', currency: 'CNY' });
  }

  async boom(): Promise<void> {
    throw new TypeError('something broke');
  }

  async writeThenFail(ctx: Context): Promise<void> {
    await ctx.stub.putState('never', json(1));
    throw new LedgerError('ACCESS.DENIED', 'no');
  }

  async _hidden(): Promise<string> {
    return '"secret"';
  }
}

/** A contract doing only blind writes (reads nothing): the throughput case. */
class BlindContract extends Contract {
  constructor() {
    super('blind');
  }

  async write(ctx: Context, argsJson: string): Promise<string> {
    const { id, amount } = JSON.parse(argsJson) as { id: string; amount: string };
    await ctx.stub.putState(ctx.stub.createCompositeKey('posting', [id]), json({ amount }));
    ctx.stub.setEvent('Posted', json({ id }));
    return JSON.stringify({ id });
  }
}

let db: TestDatabase;
let schemaSeq = 0;
const open: EmbeddedLedger[] = [];

async function openLedger(extra: Partial<EmbeddedLedgerOptions> = {}): Promise<EmbeddedLedger> {
  const ledger = await EmbeddedLedger.open({
    sql: db.sql,
    contracts: [new KvContract(), new BlindContract()],
    schema: extra.schema ?? `ledger_${++schemaSeq}`,
    ...extra,
  });
  open.push(ledger);
  return ledger;
}

async function collect(sub: AsyncIterable<LedgerEvent>, n: number): Promise<LedgerEvent[]> {
  const out: LedgerEvent[] = [];
  if (n === 0) return out;
  for await (const e of sub) {
    out.push(e);
    if (out.length >= n) break;
  }
  return out;
}

beforeAll(async () => {
  db = await createTestDatabase();
});

// Each open ledger holds one pooled connection (its single-writer lock): close them per test.
afterEach(async () => {
  for (const l of open.splice(0)) await l.close();
});

afterAll(async () => {
  await db?.drop();
});

describe('EmbeddedLedger', () => {
  it('commits writes into a new block and serves them to queries', async () => {
    const ledger = await openLedger();
    expect((await ledger.info()).height).toBe(1n); // genesis
    const r = await ledger.submit(operator, 'kv:put', { key: 'a', value: { x: 1 } });
    expect(r.txId).toMatch(/^[0-9a-f]{64}$/);
    expect(r.blockNumber).toBe(1n);
    expect(r.result).toEqual({ key: 'a' });
    expect(await ledger.evaluate(operator, 'kv:get', { key: 'a' })).toEqual({ x: 1 });
    expect(await ledger.evaluate(operator, 'kv:get', { key: 'missing' })).toBeNull();

    const receipt = await ledger.receipt(r.txId);
    expect(receipt).toMatchObject({ txId: r.txId, blockNumber: 1n, txIndex: 0, validationCode: 'VALID' });
    expect(receipt.blockHash).toBe((await ledger.info()).lastBlockHash);
    await expect(ledger.receipt('0'.repeat(64))).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await ledger.submit(operator, 'kv:del', { key: 'a' });
    expect(await ledger.evaluate(operator, 'kv:get', { key: 'a' })).toBeNull();
  });

  it('evaluate discards writes and orders nothing', async () => {
    const ledger = await openLedger();
    const before = await ledger.info();
    await ledger.evaluate(operator, 'kv:put', { key: 'e', value: 1 });
    expect(await ledger.evaluate(operator, 'kv:get', { key: 'e' })).toBeNull();
    expect(await ledger.info()).toEqual(before);
  });

  it('does not let a transaction read its own uncommitted writes', async () => {
    const ledger = await openLedger();
    const r = await ledger.submit(operator, 'kv:readOwnWrite', { key: 'own' });
    expect(r.result).toEqual({ seen: null });
    expect(await ledger.evaluate(operator, 'kv:get', { key: 'own' })).toBe('mine');
  });

  it('lets exactly one of two concurrent read-modify-writes commit (same block)', async () => {
    const ledger = await openLedger();
    const results = await Promise.allSettled([
      ledger.submit(operator, 'kv:increment', { key: 'c' }),
      ledger.submit(operator, 'kv:increment', { key: 'c' }),
    ]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    const err = failed[0]!.reason as LedgerError;
    expect(err.code).toBe('LEDGER.MVCC_CONFLICT');
    expect(err.details).toMatchObject({ validationCode: 'MVCC_READ_CONFLICT' });
    expect(await ledger.evaluate(operator, 'kv:get', { key: 'c' })).toBe(1);
    // The invalid transaction stays in the chain with its code, as on Fabric.
    const receipt = await ledger.receipt(err.details.txId as string);
    expect(receipt.validationCode).toBe('MVCC_READ_CONFLICT');
  });

  it('detects a stale read across blocks and never loses an increment', async () => {
    const ledger = await openLedger();
    await ledger.submit(operator, 'kv:increment', { key: 'n' });
    // The slow one reads n=1, then a fast one commits n=2 in an earlier block.
    const slow = ledger.submit(operator, 'kv:increment', { key: 'n', delayMs: 30 });
    const fast = await ledger.submit(operator, 'kv:increment', { key: 'n' });
    expect(fast.result).toBe(2);
    await expect(slow).rejects.toMatchObject({ code: 'LEDGER.MVCC_CONFLICT', details: { validationCode: 'MVCC_READ_CONFLICT' } });

    // Many concurrent increments: every success is counted, none overwritten.
    const all = await Promise.allSettled(Array.from({ length: 25 }, () => ledger.submit(operator, 'kv:increment', { key: 'n' })));
    const successes = all.filter((r) => r.status === 'fulfilled').length;
    expect(successes).toBeGreaterThanOrEqual(1);
    for (const r of all) if (r.status === 'rejected') expect((r.reason as LedgerError).code).toBe('LEDGER.MVCC_CONFLICT');
    expect(await ledger.evaluate(operator, 'kv:get', { key: 'n' })).toBe(2 + successes);
  });

  it('detects phantom reads when an item is inserted into a scanned range', async () => {
    const ledger = await openLedger();
    await ledger.submit(operator, 'kv:addItem', { pool: 'K', id: '1', amount: 10 });
    await ledger.submit(operator, 'kv:addItem', { pool: 'L', id: '1', amount: 99 });
    // Scan first, then a blind insert into the same pool commits before the scan's block.
    const scan = ledger.submit(operator, 'kv:total', { pool: 'K', delayMs: 30 });
    await ledger.submit(operator, 'kv:addItem', { pool: 'K', id: '2', amount: 5 });
    await expect(scan).rejects.toMatchObject({ code: 'LEDGER.MVCC_CONFLICT', details: { validationCode: 'PHANTOM_READ_CONFLICT' } });
    // Writes into another pool do not conflict with the scan.
    const scan2 = ledger.submit(operator, 'kv:total', { pool: 'K', delayMs: 30 });
    await ledger.submit(operator, 'kv:addItem', { pool: 'L', id: '2', amount: 1 });
    expect((await scan2).result).toBe(15);
    // Same block: an insert ordered before the scan also invalidates it.
    const [insert, scan3] = await Promise.allSettled([
      ledger.submit(operator, 'kv:addItem', { pool: 'K', id: '3', amount: 1 }),
      ledger.submit(operator, 'kv:total', { pool: 'K' }),
    ]);
    expect(insert.status).toBe('fulfilled');
    expect(scan3.status).toBe('rejected');
    expect(((scan3 as PromiseRejectedResult).reason as LedgerError).details.validationCode).toBe('PHANTOM_READ_CONFLICT');
  });

  it('commits 200 concurrent blind writes to distinct keys, batched into few blocks', async () => {
    const ledger = await openLedger();
    const start = (await ledger.info()).height;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => ledger.submit(operator, 'blind:write', { id: `p${i}`, amount: `${i}.00` })),
    );
    expect(new Set(results.map((r) => r.txId)).size).toBe(200);
    const blocks = (await ledger.info()).height - start;
    expect(blocks).toBeLessThan(20n);
    const items = await ledger.evaluate<unknown[]>(operator, 'kv:items', { pool: '' });
    expect(items).toEqual([]); // other object type
    const v = await ledger.verify();
    expect(v.ok).toBe(true);
  });

  it('keeps only the last event a transaction sets', async () => {
    const ledger = await openLedger();
    const r = await ledger.submit(operator, 'kv:twoEvents', {});
    const sub = ledger.events({ blockNumber: r.blockNumber - 1n, txIndex: 0 });
    const [event] = await collect(sub, 1);
    expect(event).toMatchObject({ name: 'Second', payload: { n: 2 }, txId: r.txId, blockNumber: r.blockNumber, txIndex: 0 });
    const [block] = await ledger.blocks(r.blockNumber, 1);
    expect(block!.transactions[0]!.event).toEqual({ name: 'Second', payload: { n: 2 } });
  });

  it('replays events from a checkpoint and follows live commits without gaps or duplicates', async () => {
    // A tiny in-memory ring forces the subscriber through the PostgreSQL replay path first.
    const ledger = await openLedger({ recentBlocks: 2, batch: { maxMessageCount: 7 } });
    const first = await Promise.all(Array.from({ length: 40 }, (_, i) => ledger.submit(operator, 'kv:put', { key: `k${i}`, value: i })));
    // An invalid transaction's event must never be delivered.
    await Promise.allSettled([ledger.submit(operator, 'kv:increment', { key: 'x' }), ledger.submit(operator, 'kv:increment', { key: 'x' })]);
    const sorted = [...first].sort((a, b) => Number(a.blockNumber - b.blockNumber));
    const checkpointTx = sorted[9]!;
    const receipt = await ledger.receipt(checkpointTx.txId);
    const allBefore = await collect(ledger.events(), 40);
    const afterCheckpoint = allBefore.filter(
      (e) => e.blockNumber > receipt.blockNumber || (e.blockNumber === receipt.blockNumber && e.txIndex > receipt.txIndex),
    );

    const sub = ledger.events({ blockNumber: receipt.blockNumber, txIndex: receipt.txIndex });
    const collecting = collect(sub, afterCheckpoint.length + 60);
    // Live commits while the subscriber is still replaying.
    const live: Array<Promise<unknown>> = [];
    for (let i = 0; i < 60; i++) {
      live.push(ledger.submit(operator, 'kv:put', { key: `live${i}`, value: i }));
      if (i % 10 === 0) await sleep(3);
    }
    await Promise.all(live);
    const got = await collecting;
    sub.close();
    const ids = got.map((e) => e.txId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(got.slice(0, afterCheckpoint.length).map((e) => e.txId)).toEqual(afterCheckpoint.map((e) => e.txId));
    for (let i = 1; i < got.length; i++) {
      const a = got[i - 1]!;
      const b = got[i]!;
      expect(b.blockNumber > a.blockNumber || (b.blockNumber === a.blockNumber && b.txIndex > a.txIndex)).toBe(true);
    }
    expect(got.every((e) => e.name === 'Put')).toBe(true);
    const liveKeys = got.slice(afterCheckpoint.length).map((e) => (e.payload as { key: string }).key);
    expect(new Set(liveKeys)).toEqual(new Set(Array.from({ length: 60 }, (_, i) => `live${i}`)));
  });

  it('ends a waiting subscription on close()', async () => {
    const ledger = await openLedger();
    const sub = ledger.events();
    const done = collect(sub, 5);
    await sleep(10);
    sub.close();
    expect(await done).toEqual([]);
  });

  it('restarts with identical state, height and head, and continues the chain', async () => {
    const schema = `ledger_restart`;
    const ledger = await openLedger({ schema });
    await Promise.all(Array.from({ length: 30 }, (_, i) => ledger.submit(operator, 'kv:addItem', { pool: 'R', id: `${i}`, amount: i })));
    await ledger.submit(operator, 'kv:put', { key: 'z', value: 'last' });
    await ledger.submit(operator, 'kv:del', { key: 'z' });
    const info = await ledger.info();
    const hash = ledger.stateHash();
    // A second process may not open the same chain.
    await expect(openLedger({ schema })).rejects.toMatchObject({ code: 'LEDGER.UNAVAILABLE' });
    await ledger.close();
    await expect(ledger.submit(operator, 'kv:put', { key: 'q', value: 1 })).rejects.toMatchObject({ code: 'LEDGER.UNAVAILABLE' });

    const reopened = await openLedger({ schema });
    expect(await reopened.info()).toEqual(info);
    expect(reopened.stateHash()).toBe(hash);
    const r = await reopened.submit(operator, 'kv:put', { key: 'after', value: 1 });
    expect(r.blockNumber).toBe(info.height);
    expect((await reopened.verify()).ok).toBe(true);
    const [block] = await reopened.blocks(info.height, 1);
    expect(block!.previousHash).toBe(info.lastBlockHash);
    // Events replay from PostgreSQL after a restart too.
    const events = await collect(reopened.events(), 2);
    expect(events.map((e) => e.payload)).toEqual([{ key: 'z' }, { key: 'after' }]);
  });

  it('refuses to reopen a chain under another channel name', async () => {
    const schema = 'ledger_channel';
    const ledger = await openLedger({ schema });
    await ledger.close();
    await expect(openLedger({ schema, channel: 'other' })).rejects.toMatchObject({ code: 'LEDGER.UNAVAILABLE' });
  });

  it('verify passes, then names exactly the block whose stored transaction was tampered with', async () => {
    const schema = 'ledger_tamper';
    const ledger = await openLedger({ schema });
    const results: bigint[] = [];
    for (let i = 0; i < 6; i++) results.push((await ledger.submit(operator, 'kv:put', { key: `t${i}`, value: i })).blockNumber);
    const ok = await ledger.verify();
    expect(ok).toMatchObject({ ok: true, height: 7n, stateHash: ledger.stateHash() });

    const target = results[3]!;
    await db.sql.unsafe(`update ${schema}.transactions set args = '{"key":"t3","value":333}' where block_number = ${target}`);
    const bad = await ledger.verify();
    expect(bad.ok).toBe(false);
    expect(bad.firstBadBlock).toBe(target);
    await db.sql.unsafe(`update ${schema}.transactions set args = '{"key":"t3","value":3}' where block_number = ${target}`);
    expect((await ledger.verify()).ok).toBe(true);

    // Rewriting a block's hashes consistently still breaks the link from its successor.
    await db.sql.unsafe(`update ${schema}.blocks set hash = repeat('a', 64) where number = 2`);
    expect(await ledger.verify()).toMatchObject({ ok: false, firstBadBlock: 2n });
    await db.sql.unsafe(`update ${schema}.blocks set hash = '${(await ledger.blocks(2n, 1))[0]!.previousHash}' where number = 1`);

    // State rows changed behind the chain's back are caught by the replay.
    const fresh = await openLedger();
    await fresh.submit(operator, 'kv:put', { key: 's', value: 1 });
    expect((await fresh.verify()).ok).toBe(true);
    const freshSchema = `ledger_${schemaSeq}`;
    await db.sql.unsafe(`update ${freshSchema}.state set value = '\\x7b7d'::bytea`);
    const v = await fresh.verify();
    expect(v.ok).toBe(false);
    expect(v.reason).toMatch(/state/);
  });

  it('passes error codes thrown by a contract through intact and orders nothing', async () => {
    const ledger = await openLedger();
    const before = await ledger.info();
    const err = (await ledger.submit(operator, 'kv:fail', { code: 'LEDGER.UNBALANCED' }).catch((e: unknown) => e)) as LedgerError;
    expect(err).toBeInstanceOf(LedgerError);
    expect(err.code).toBe('LEDGER.UNBALANCED');
    expect(err.text).toBe('debits and credits differ');
    expect(err.details).toEqual({ field: 'postings', currency: 'CNY' });
    await expect(ledger.evaluate(operator, 'kv:fail', { code: 'LEDGER.UNBALANCED' })).rejects.toMatchObject({ code: 'LEDGER.UNBALANCED' });
    await expect(ledger.submit(operator, 'kv:boom', {})).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(ledger.submit(operator, 'kv:writeThenFail', {})).rejects.toMatchObject({ code: 'ACCESS.DENIED' });
    expect(await ledger.info()).toEqual(before);
    expect(await ledger.evaluate(operator, 'kv:get', { key: 'never' })).toBeNull();
  });

  it('rejects unknown, private and base-class functions', async () => {
    const ledger = await openLedger();
    for (const fn of ['kv:nope', 'kv:_hidden', 'kv:beforeTransaction', 'kv:createContext', 'kv:constructor', 'nope:put', 'kv:getName'] as const) {
      await expect(ledger.submit(operator, fn, {}), fn).rejects.toMatchObject({ code: 'LEDGER.UNKNOWN_FUNCTION' });
    }
    await expect(ledger.evaluate(operator, 'kv' as never, {})).rejects.toMatchObject({ code: 'LEDGER.UNKNOWN_FUNCTION' });
  });

  it('gives contracts a Fabric-like stub and client identity', async () => {
    const at = new Date('2026-03-01T08:00:00.123Z');
    const ledger = await openLedger({ clock: () => at });
    const r = await ledger.submit<Record<string, unknown>>(operator, 'kv:whoami', { a: 1 });
    expect(r.result).toEqual({
      msp: 'MusicCmoMSP',
      id: 'x509::/OU=client/CN=operator1::/O=MusicCmoMSP/CN=ca.MusicCmoMSP',
      role: 'operator',
      other: null,
      isOperator: true,
      txId: r.txId,
      channel: 'royalty',
      creatorMsp: 'MusicCmoMSP',
      fcn: { fcn: 'kv:whoami', params: ['{"a":1}'] },
      args: ['kv:whoami', '{"a":1}'],
      seconds: Math.floor(at.getTime() / 1000),
      nanos: 123_000_000,
      date: at.toISOString(),
    });
    expect((await ledger.receipt(r.txId)).timestamp).toBe(at.toISOString());
  });

  it('orders keys like Fabric: plain ranges skip composite keys, partial keys select by prefix', async () => {
    const ledger = await openLedger();
    for (const key of ['b', 'a', 'c', 'a\uffff', 'a\u{1f600}']) await ledger.submit(operator, 'kv:put', { key, value: 1 });
    await ledger.submit(operator, 'kv:addItem', { pool: 'P', id: '2', amount: 2 });
    await ledger.submit(operator, 'kv:addItem', { pool: 'P', id: '1', amount: 1 });
    await ledger.submit(operator, 'kv:addItem', { pool: 'P\uffff', id: '1', amount: 1 });
    await ledger.submit(operator, 'kv:addItem', { pool: 'Q', id: '1', amount: 1 });
    // UTF-8 byte order: U+FFFF sorts before U+1F600 (UTF-16 order would say the opposite).
    expect(await ledger.evaluate(operator, 'kv:range', { start: '', end: '' })).toEqual(['a', 'a\uffff', 'a\u{1f600}', 'b', 'c']);
    expect(await ledger.evaluate(operator, 'kv:range', { start: 'a', end: 'c' })).toEqual(['a', 'a\uffff', 'a\u{1f600}', 'b']);
    expect(await ledger.evaluate(operator, 'kv:range', { start: '', end: '', limit: 2 })).toEqual(['a', 'a\uffff']);
    expect(await ledger.evaluate(operator, 'kv:items', { pool: 'P' })).toEqual([
      { objectType: 'item', attributes: ['P', '1'] },
      { objectType: 'item', attributes: ['P', '2'] },
    ]);
    expect(await ledger.evaluate<unknown[]>(operator, 'kv:items', { pool: 'P\uffff' })).toHaveLength(1);
  });

  it('serves key history newest first, deletes included', async () => {
    const ledger = await openLedger();
    const a = await ledger.submit(operator, 'kv:put', { key: 'h', value: 1 });
    const b = await ledger.submit(operator, 'kv:put', { key: 'h', value: 2 });
    const c = await ledger.submit(operator, 'kv:del', { key: 'h' });
    const history = await ledger.evaluate<Array<{ txId: string; isDelete: boolean; value: unknown }>>(operator, 'kv:history', { key: 'h' });
    expect(history.map((h) => [h.txId, h.isDelete, h.value])).toEqual([
      [c.txId, true, null],
      [b.txId, false, 2],
      [a.txId, false, 1],
    ]);
  });

  it('lists blocks with decoded transactions for an explorer', async () => {
    const ledger = await openLedger();
    const r = await ledger.submit(operator, 'kv:increment', { key: 'v' });
    const [genesis] = await ledger.blocks(0n, 1);
    expect(genesis).toMatchObject({ number: 0n, config: { channel: 'royalty', chaincode: 'royalty' }, transactions: [] });
    const [block] = await ledger.blocks(r.blockNumber, 1);
    expect(block!.transactions[0]).toMatchObject({
      txId: r.txId,
      fn: 'kv:increment',
      args: { key: 'v' },
      creator: operator,
      validationCode: 'VALID',
      response: 1,
      reads: [{ key: 'v', version: null }],
      writes: [{ key: 'v', isDelete: false, value: Buffer.from('1').toString('base64') }],
    });
  });

  it('measures blind-write throughput (printed, not asserted)', async () => {
    const ledger = await openLedger({ batch: { maxMessageCount: 500, batchTimeoutMs: 2 } });
    const total = 4000;
    const concurrency = 400;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const i = next++;
          await ledger.submit(operator, 'blind:write', { id: `t${i}`, amount: '1.00' });
        }
      }),
    );
    const seconds = (performance.now() - t0) / 1000;
    const blocks = (await ledger.info()).height - 1n;
    console.log(`embedded ledger: ${total} blind writes, ${concurrency} in flight: ${Math.round(total / seconds)} tx/s in ${blocks} blocks`);
    expect((await ledger.verify()).ok).toBe(true);
  });
});
