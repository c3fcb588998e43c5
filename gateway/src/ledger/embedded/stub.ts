/**
 * An in-process `ChaincodeStub`: the subset of fabric-shim's stub that contracts use, with the
 * peer's simulation semantics. Reads come from one committed snapshot and never see the
 * transaction's own writes (as on a peer); every read, range scan and write is recorded in the
 * read/write set for validation at commit.
 */
import type { LedgerIdentity } from '../port';
import { identityBytes } from './client-identity';
import {
  EMPTY_KEY_SUBSTITUTE,
  MAX_UNICODE_RUNE,
  assertSimpleKey,
  assertValidKey,
  createCompositeKey,
  splitCompositeKey,
} from './keys';
import { QueryIterator, asyncIterablePromise, type KV, type KeyModification } from './iterators';
import { emptyRwSet, type RangeQueryInfo, type RwSet } from './rwset';
import { scanRange, type StateTree } from './world-state';

/** A transaction proposal: everything the client fixes before simulation. */
export interface Proposal {
  txId: string;
  channel: string;
  /** `contract:function`. */
  fn: string;
  /** The single JSON argument passed to the function. */
  args: string;
  identity: LedgerIdentity;
  /** Taken once from the clock when the proposal is made; millisecond precision. */
  timestamp: Date;
}

/** Reads a key's committed history, newest first (Fabric 2.x order). */
export type HistoryReader = (key: string) => Promise<KeyModification[]>;

/** A chaincode event; a transaction carries at most one. */
export interface ChaincodeEvent {
  name: string;
  payload: Buffer;
}

/**
 * Minimal stand-in for the `Long` fabric-shim returns as `seconds` (unsigned 64-bit); it carries
 * `low`/`high` and the conversions contracts call.
 */
export class LongLike {
  readonly low: number;
  readonly high: number;
  readonly unsigned = true;

  constructor(value: number) {
    this.low = value % 0x1_0000_0000 | 0;
    this.high = Math.floor(value / 0x1_0000_0000) | 0;
  }

  toNumber(): number {
    return (this.high >>> 0) * 0x1_0000_0000 + (this.low >>> 0);
  }

  toInt(): number {
    return this.low;
  }

  toString(): string {
    return String(this.toNumber());
  }

  toJSON(): string {
    return this.toString();
  }
}

const toBuffer = (value: Uint8Array | string): Buffer =>
  // Copies, so the contract cannot change recorded bytes afterwards.
  typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);

/** The stub one simulation runs with. */
export class EmbeddedStub {
  /** Reads, range scans and writes of this simulation. */
  readonly rwset: RwSet = emptyRwSet();
  /** The last event set (a later `setEvent` replaces an earlier one, as on Fabric). */
  event: ChaincodeEvent | undefined;
  private finished = false;

  constructor(
    private readonly proposal: Proposal,
    private readonly state: StateTree,
    private readonly history: HistoryReader,
    private readonly peerMspId: string,
  ) {}

  /** Ends the simulation: later calls (e.g. from a leaked iterator) fail instead of recording. */
  finish(): void {
    this.finished = true;
  }

  private readonly guard = (): void => {
    if (this.finished) throw new Error(`transaction ${this.proposal.txId} has already completed`);
  };

  async getState(key: string): Promise<Buffer> {
    this.guard();
    assertValidKey(key);
    const entry = this.state.get(key);
    // The first read fixes the version; the snapshot cannot change under us, so later reads agree.
    if (!this.rwset.reads.has(key)) this.rwset.reads.set(key, entry ? { block: entry.block, tx: entry.tx } : null);
    return entry ? Buffer.from(entry.value) : Buffer.alloc(0);
  }

  async putState(key: string, value: Uint8Array | string): Promise<void> {
    this.guard();
    assertValidKey(key);
    if (value === undefined || value === null) throw new Error(`value for key [${key}] must not be null`);
    const bytes = toBuffer(value);
    // The peer records a write with an empty value as a delete (KVWrite.IsDelete = len(value) == 0).
    this.rwset.writes.set(key, bytes.length === 0 ? null : bytes);
  }

  async deleteState(key: string): Promise<void> {
    this.guard();
    assertValidKey(key);
    this.rwset.writes.set(key, null);
  }

  getStateByRange(startKey: string, endKey: string): Promise<QueryIterator<KV>> & AsyncIterable<KV> {
    return asyncIterablePromise(
      Promise.resolve().then(() => {
        this.guard();
        const start = startKey || EMPTY_KEY_SUBSTITUTE;
        const end = endKey || '';
        assertSimpleKey(start);
        assertSimpleKey(end);
        return this.rangeIterator(start, end);
      }),
    );
  }

  getStateByPartialCompositeKey(objectType: string, attributes: string[]): Promise<QueryIterator<KV>> & AsyncIterable<KV> {
    return asyncIterablePromise(
      Promise.resolve().then(() => {
        this.guard();
        const start = createCompositeKey(objectType, attributes);
        return this.rangeIterator(start, start + MAX_UNICODE_RUNE);
      }),
    );
  }

  private rangeIterator(start: string, end: string): QueryIterator<KV> {
    const info: RangeQueryInfo = { start, end, exhausted: false, results: [] };
    this.rwset.ranges.push(info);
    const source = scanRange(this.state, start, end);
    const results = (function* () {
      for (const [key, e] of source) {
        info.results.push({ key, version: { block: e.block, tx: e.tx } });
        yield { namespace: '', key, value: Buffer.from(e.value) } satisfies KV;
      }
    })();
    return new QueryIterator(results, this.guard, () => {
      info.exhausted = true;
    });
  }

  getHistoryForKey(key: string): Promise<QueryIterator<KeyModification>> & AsyncIterable<KeyModification> {
    return asyncIterablePromise(
      Promise.resolve().then(async () => {
        this.guard();
        assertValidKey(key);
        const mods = await this.history(key);
        return new QueryIterator(mods[Symbol.iterator](), this.guard);
      }),
    );
  }

  setEvent(name: string, payload: Uint8Array | string): void {
    this.guard();
    if (typeof name !== 'string' || name === '') throw new Error('Event name must be a non-empty string');
    if (name.includes('\u0000')) throw new Error('Event name must not contain a null character');
    this.event = { name, payload: payload === undefined || payload === null ? Buffer.alloc(0) : toBuffer(payload) };
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    return createCompositeKey(objectType, attributes);
  }

  splitCompositeKey(compositeKey: string): { objectType: string | null; attributes: string[] } {
    return splitCompositeKey(compositeKey);
  }

  getTxID(): string {
    return this.proposal.txId;
  }

  getChannelID(): string {
    return this.proposal.channel;
  }

  /** `{ seconds: Long, nanos }` like fabric-shim; the same value for every call in the transaction. */
  getTxTimestamp(): { seconds: LongLike; nanos: number } {
    const ms = this.proposal.timestamp.getTime();
    return { seconds: new LongLike(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
  }

  getDateTimestamp(): Date {
    return new Date(this.proposal.timestamp.getTime());
  }

  getCreator(): { mspid: string; idBytes: Uint8Array } {
    return { mspid: this.proposal.identity.mspId, idBytes: identityBytes(this.proposal.identity) };
  }

  /** The endorsing peer's organisation (on Fabric this differs per peer: never write it to state). */
  getMspID(): string {
    return this.peerMspId;
  }

  getFunctionAndParameters(): { fcn: string; params: string[] } {
    return { fcn: this.proposal.fn, params: [this.proposal.args] };
  }

  getArgs(): string[] {
    return [this.proposal.fn, this.proposal.args];
  }

  getStringArgs(): string[] {
    return this.getArgs();
  }

  getBufferArgs(): Buffer[] {
    return this.getArgs().map((a) => Buffer.from(a, 'utf8'));
  }

  getTransient(): Map<string, Uint8Array> {
    return new Map();
  }

  getQueryResult(): never {
    // LevelDB, the state database this ledger mirrors, has no rich queries either.
    throw new Error('ExecuteQuery not supported for leveldb');
  }

  invokeChaincode(): never {
    throw new Error('chaincode-to-chaincode calls are not supported by the embedded ledger');
  }
}
