/**
 * PostgreSQL persistence of the chain: blocks, transactions (also the tx id index behind
 * receipts), the current state and the history of every key. One block, its state changes and
 * its history go in ONE SQL transaction, so a crash leaves either the whole block or none of it.
 * Keys are `bytea` because composite keys contain `\u0000`, which `text` cannot hold.
 */
import type postgres from 'postgres';
import type { LedgerEvent } from '../port';
import type { BlockHeader, TxRecord } from './block';
import { keyFromBytes, keyToBytes } from './keys';
import type { KeyModification } from './iterators';
import type { StateChange } from './validator';
import type { StateEntry } from './world-state';

type Sql = postgres.Sql;

/** A block ready to be written. */
export interface BlockWrite {
  header: BlockHeader;
  /** Canonical config text for the genesis block; null otherwise. */
  config: string | null;
  txs: readonly TxRecord[];
  /** Final change per key among the block's valid transactions. */
  changes: Iterable<StateChange>;
  /** Every write of every valid transaction, for the history table. */
  history: readonly HistoryWrite[];
}

/** One write of one valid transaction. */
export interface HistoryWrite {
  key: string;
  tx: number;
  txId: string;
  /** `null` for a delete. */
  value: Buffer | null;
  timestamp: Date;
}

/** A stored block with its transactions. */
export interface StoredBlock extends BlockHeader {
  config: string | null;
  txs: Array<TxRecord & { index: number }>;
}

/** What `receipt` needs about a transaction. */
export interface StoredReceipt {
  txId: string;
  blockNumber: bigint;
  blockHash: string;
  txIndex: number;
  validationCode: string;
  timestamp: Date;
}

// Array type oids for postgres.js `sql.array` (it cannot infer them from Buffers or nulls).
const BYTEA_ARRAY = 1001;
const INT4_ARRAY = 1007;
const TEXT_ARRAY = 1009;

const toBigInt = (v: unknown): bigint => BigInt(v as string | number | bigint);

interface TxRow {
  block_number: string | number;
  tx_index: number;
  tx_id: string;
  channel: string;
  fn: string;
  args: string;
  creator_msp: string;
  creator_role: string;
  creator_user: string;
  ts: Date;
  rwset: string;
  event_name: string | null;
  event_payload: Buffer | null;
  response: Buffer | null;
  validation_code: string;
}

function txFromRow(r: TxRow): TxRecord & { index: number; blockNumber: bigint } {
  return {
    blockNumber: toBigInt(r.block_number),
    index: r.tx_index,
    txId: r.tx_id,
    channel: r.channel,
    fn: r.fn,
    args: r.args,
    mspId: r.creator_msp,
    role: r.creator_role,
    user: r.creator_user,
    timestamp: r.ts,
    rwset: r.rwset,
    eventName: r.event_name,
    eventPayload: r.event_payload,
    response: r.response,
    validationCode: r.validation_code,
  };
}

/** Parses an event payload as JSON, falling back to its text when it is not JSON. */
export function parseEventPayload(payload: Buffer | null): unknown {
  const text = payload ? payload.toString('utf8') : '';
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The `ledger` schema (or another name) in one PostgreSQL database. */
export class BlockStore {
  readonly schema: string;
  private lockConnection: postgres.ReservedSql | undefined;

  constructor(
    private readonly sql: Sql,
    schema = 'ledger',
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
    this.schema = schema;
  }

  private t(table: string): postgres.Helper<string> {
    return this.sql(`${this.schema}.${table}`);
  }

  /** Creates the schema and tables; safe to run on every start. */
  async migrate(): Promise<void> {
    const s = this.schema;
    await this.sql.unsafe(`
      create schema if not exists ${s};
      create table if not exists ${s}.blocks (
        number bigint primary key,
        previous_hash text not null,
        data_hash text not null,
        hash text not null,
        tx_count integer not null,
        config text,
        committed_at timestamptz not null default now()
      );
      create table if not exists ${s}.transactions (
        block_number bigint not null references ${s}.blocks (number),
        tx_index integer not null,
        tx_id text not null,
        channel text not null,
        fn text not null,
        args text not null,
        creator_msp text not null,
        creator_role text not null,
        creator_user text not null,
        ts timestamptz not null,
        rwset text not null,
        event_name text,
        event_payload bytea,
        response bytea,
        validation_code text not null,
        primary key (block_number, tx_index)
      );
      -- The tx id index behind receipts: one non-duplicate occurrence per id.
      create unique index if not exists transactions_tx_id on ${s}.transactions (tx_id)
        where validation_code <> 'DUPLICATE_TXID';
      create index if not exists transactions_events on ${s}.transactions (block_number, tx_index)
        where validation_code = 'VALID' and event_name is not null;
      create table if not exists ${s}.state (
        key bytea primary key,
        value bytea not null,
        block_number bigint not null,
        tx_index integer not null
      );
      create table if not exists ${s}.history (
        key bytea not null,
        block_number bigint not null,
        tx_index integer not null,
        tx_id text not null,
        is_delete boolean not null,
        value bytea,
        ts timestamptz not null,
        primary key (key, block_number, tx_index)
      );
    `);
  }

  /**
   * Takes a session advisory lock so two processes never extend the same chain (they would fork
   * it). Held on a reserved connection until {@link unlock}.
   */
  async lock(): Promise<boolean> {
    const conn = await this.sql.reserve();
    const [row] = await conn<Array<{ ok: boolean }>>`select pg_try_advisory_lock(hashtext(${`rtl.embedded-ledger.${this.schema}`})) as ok`;
    if (!row?.ok) {
      conn.release();
      return false;
    }
    this.lockConnection = conn;
    return true;
  }

  async unlock(): Promise<void> {
    const conn = this.lockConnection;
    this.lockConnection = undefined;
    if (!conn) return;
    try {
      await conn`select pg_advisory_unlock(hashtext(${`rtl.embedded-ledger.${this.schema}`}))`;
    } finally {
      conn.release();
    }
  }

  // ORDER BY a bare name binds to the output alias (here text), an expression to the table's column:
  // hence `number::bigint` wherever a text alias shadows the column.
  /** The last block's header, or undefined for an empty ledger. */
  async head(): Promise<(BlockHeader & { config: string | null }) | undefined> {
    const [row] = await this.sql<Array<{ number: string; previous_hash: string; data_hash: string; hash: string }>>`
      select number::text as number, previous_hash, data_hash, hash from ${this.t('blocks')} order by number::bigint desc limit 1`;
    if (!row) return undefined;
    const [genesis] = await this.sql<Array<{ config: string | null }>>`select config from ${this.t('blocks')} where number = 0`;
    return {
      number: BigInt(row.number),
      previousHash: row.previous_hash,
      dataHash: row.data_hash,
      hash: row.hash,
      config: genesis?.config ?? null,
    };
  }

  /** Hash of a stored block, or undefined when it is absent. */
  async blockHashAt(number: bigint): Promise<string | undefined> {
    const [row] = await this.sql<Array<{ hash: string }>>`select hash from ${this.t('blocks')} where number = ${number.toString()}`;
    return row?.hash;
  }

  /** Committed state, in key order, streamed in pages. */
  async *loadState(pageSize = 10_000): AsyncGenerator<[string, StateEntry]> {
    const cursor = this.sql<Array<{ key: Buffer; value: Buffer; block_number: string; tx_index: number }>>`
      select key, value, block_number::text as block_number, tx_index from ${this.t('state')} order by key`.cursor(pageSize);
    for await (const rows of cursor) {
      for (const r of rows) yield [keyFromBytes(r.key), { value: r.value, block: Number(r.block_number), tx: r.tx_index }];
    }
  }

  /** Which of these tx ids already occur in the ledger. */
  async existingTxIds(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.sql<Array<{ tx_id: string }>>`
      select tx_id from ${this.t('transactions')} where tx_id in ${this.sql(ids as string[])}`;
    return new Set(rows.map((r) => r.tx_id));
  }

  /**
   * Writes a block, its transactions, its state changes and history atomically. Each table gets
   * one `unnest` statement of column arrays: the statement text never changes with the row count
   * (so one prepared statement serves every block) and there is no bind-parameter limit.
   */
  async writeBlock(block: BlockWrite): Promise<void> {
    const sql = this.sql;
    const n = block.header.number.toString();
    const txs = block.txs;
    const upsertKeys: Buffer[] = [];
    const upsertValues: Buffer[] = [];
    const upsertTx: number[] = [];
    const deletes: Buffer[] = [];
    for (const c of block.changes) {
      const key = keyToBytes(c.key);
      if (c.value === null) deletes.push(key);
      else {
        upsertKeys.push(key);
        upsertValues.push(c.value);
        upsertTx.push(c.tx);
      }
    }
    const h = block.history;

    await sql.begin((tx) => {
      const queries: postgres.PendingQuery<postgres.Row[]>[] = [
        tx`insert into ${this.t('blocks')} (number, previous_hash, data_hash, hash, tx_count, config)
           values (${n}, ${block.header.previousHash}, ${block.header.dataHash}, ${block.header.hash}, ${txs.length}, ${block.config})`,
      ];
      if (txs.length > 0) {
        queries.push(tx`
          insert into ${this.t('transactions')} (block_number, tx_index, tx_id, channel, fn, args, creator_msp, creator_role,
            creator_user, ts, rwset, event_name, event_payload, response, validation_code)
          select ${n}::bigint, u.* from unnest(
            ${sql.array(txs.map((_, i) => i), INT4_ARRAY)}::int4[],
            ${sql.array(txs.map((t) => t.txId), TEXT_ARRAY)}::text[],
            ${sql.array(txs.map((t) => t.channel), TEXT_ARRAY)}::text[],
            ${sql.array(txs.map((t) => t.fn), TEXT_ARRAY)}::text[],
            ${sql.array(txs.map((t) => t.args), TEXT_ARRAY)}::text[],
            ${sql.array(txs.map((t) => t.mspId), TEXT_ARRAY)}::text[],
            ${sql.array(txs.map((t) => t.role), TEXT_ARRAY)}::text[],
            ${sql.array(txs.map((t) => t.user), TEXT_ARRAY)}::text[],
            ${sql.array(txs.map((t) => t.timestamp.toISOString()), TEXT_ARRAY)}::timestamptz[],
            ${sql.array(txs.map((t) => t.rwset), TEXT_ARRAY)}::text[],
            ${sql.array(txs.map((t) => t.eventName), TEXT_ARRAY)}::text[],
            ${sql.array(txs.map((t) => t.eventPayload), BYTEA_ARRAY)}::bytea[],
            ${sql.array(txs.map((t) => t.response), BYTEA_ARRAY)}::bytea[],
            ${sql.array(txs.map((t) => t.validationCode), TEXT_ARRAY)}::text[]
          ) as u`);
      }
      if (deletes.length > 0) {
        queries.push(tx`delete from ${this.t('state')} where key = any(${sql.array(deletes, BYTEA_ARRAY)}::bytea[])`);
      }
      if (upsertKeys.length > 0) {
        queries.push(tx`
          insert into ${this.t('state')} (key, value, block_number, tx_index)
          select u.key, u.value, ${n}::bigint, u.tx_index from unnest(
            ${sql.array(upsertKeys, BYTEA_ARRAY)}::bytea[],
            ${sql.array(upsertValues, BYTEA_ARRAY)}::bytea[],
            ${sql.array(upsertTx, INT4_ARRAY)}::int4[]
          ) as u(key, value, tx_index)
          on conflict (key) do update
            set value = excluded.value, block_number = excluded.block_number, tx_index = excluded.tx_index`);
      }
      if (h.length > 0) {
        queries.push(tx`
          insert into ${this.t('history')} (key, block_number, tx_index, tx_id, is_delete, value, ts)
          select u.key, ${n}::bigint, u.tx_index, u.tx_id, u.value is null, u.value, u.ts from unnest(
            ${sql.array(h.map((w) => keyToBytes(w.key)), BYTEA_ARRAY)}::bytea[],
            ${sql.array(h.map((w) => w.tx), INT4_ARRAY)}::int4[],
            ${sql.array(h.map((w) => w.txId), TEXT_ARRAY)}::text[],
            ${sql.array(h.map((w) => w.value), BYTEA_ARRAY)}::bytea[],
            ${sql.array(h.map((w) => w.timestamp.toISOString()), TEXT_ARRAY)}::timestamptz[]
          ) as u(key, tx_index, tx_id, value, ts)`);
      }
      // Returning the array pipelines the statements inside the one transaction.
      return queries;
    });
  }

  /** A key's committed history below `height` (blocks `< height`), newest first. */
  async history(key: string, height: number): Promise<KeyModification[]> {
    const rows = await this.sql<Array<{ tx_id: string; ts: Date; is_delete: boolean; value: Buffer | null }>>`
      select tx_id, ts, is_delete, value from ${this.t('history')}
      where key = ${keyToBytes(key)} and block_number < ${height}
      order by block_number desc, tx_index desc`;
    return rows.map((r) => {
      const ms = r.ts.getTime();
      return {
        txId: r.tx_id,
        timestamp: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 },
        isDelete: r.is_delete,
        value: r.value ?? Buffer.alloc(0),
      };
    });
  }

  /** Receipt data of a transaction (its non-duplicate occurrence). */
  async receipt(txId: string): Promise<StoredReceipt | undefined> {
    const [row] = await this.sql<Array<{ block_number: string; hash: string; tx_index: number; validation_code: string; ts: Date }>>`
      select t.block_number::text as block_number, b.hash, t.tx_index, t.validation_code, t.ts
      from ${this.t('transactions')} t join ${this.t('blocks')} b on b.number = t.block_number
      where t.tx_id = ${txId} and t.validation_code <> 'DUPLICATE_TXID'`;
    if (!row) return undefined;
    return {
      txId,
      blockNumber: BigInt(row.block_number),
      blockHash: row.hash,
      txIndex: row.tx_index,
      validationCode: row.validation_code,
      timestamp: row.ts,
    };
  }

  /** Events of valid transactions after (block, tx) up to block `through`, in order. */
  async events(afterBlock: bigint, afterTx: number, through: bigint, limit: number): Promise<LedgerEvent[]> {
    const rows = await this.sql<Array<{ block_number: string; tx_index: number; tx_id: string; event_name: string; event_payload: Buffer | null }>>`
      select block_number::text as block_number, tx_index, tx_id, event_name, event_payload
      from ${this.t('transactions')}
      where validation_code = 'VALID' and event_name is not null
        and (block_number, tx_index) > (${afterBlock.toString()}::bigint, ${afterTx}::integer)
        and block_number <= ${through.toString()}
      order by block_number::bigint, tx_index
      limit ${limit}`;
    return rows.map((r) => ({
      blockNumber: BigInt(r.block_number),
      txIndex: r.tx_index,
      txId: r.tx_id,
      name: r.event_name,
      payload: parseEventPayload(r.event_payload),
    }));
  }

  /** Blocks `from <= number < from + limit` with their transactions, in order. */
  async blocks(from: bigint, limit: number): Promise<StoredBlock[]> {
    const to = from + BigInt(limit);
    const blocks = await this.sql<Array<{ number: string; previous_hash: string; data_hash: string; hash: string; config: string | null }>>`
      select number::text as number, previous_hash, data_hash, hash, config from ${this.t('blocks')}
      where number >= ${from.toString()} and number < ${to.toString()} order by number::bigint`;
    const txs = await this.sql<TxRow[]>`
      select block_number::text as block_number, tx_index, tx_id, channel, fn, args, creator_msp, creator_role,
             creator_user, ts, rwset, event_name, event_payload, response, validation_code
      from ${this.t('transactions')}
      where block_number >= ${from.toString()} and block_number < ${to.toString()}
      order by block_number::bigint, tx_index`;
    const byBlock = new Map<string, StoredBlock>();
    const out = blocks.map((b) => {
      const block: StoredBlock = {
        number: BigInt(b.number),
        previousHash: b.previous_hash,
        dataHash: b.data_hash,
        hash: b.hash,
        config: b.config,
        txs: [],
      };
      byBlock.set(b.number, block);
      return block;
    });
    for (const row of txs) {
      const { blockNumber: _b, ...tx } = txFromRow(row);
      byBlock.get(String(row.block_number))?.txs.push(tx);
    }
    return out;
  }

  /** Stored state rows in key order (for verification). */
  async *storedState(pageSize = 10_000): AsyncGenerator<[string, StateEntry]> {
    yield* this.loadState(pageSize);
  }

  /** Number of stored blocks. */
  async count(): Promise<bigint> {
    const [row] = await this.sql<Array<{ n: string }>>`select count(*)::text as n from ${this.t('blocks')}`;
    return toBigInt(row?.n ?? 0);
  }
}
