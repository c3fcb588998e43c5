/**
 * The embedded ledger: the project's contracts run in-process with Fabric's execute-order-validate
 * flow (simulate against committed state into a read/write set, order into blocks, validate MVCC
 * and phantoms at commit, append to a hash chain) persisted in PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { Contract } from 'fabric-contract-api';
import { LedgerError } from '@rtl/chaincode/errors';
import type {
  Checkpoint,
  EventSubscription,
  LedgerEvent,
  LedgerFunction,
  LedgerIdentity,
  LedgerInfo,
  LedgerPort,
  Receipt,
  SubmitResult,
} from '../port';
import { genesisConfigText, genesisHeader, makeHeader, type BlockHeader, type GenesisConfig, type TxRecord } from './block';
import { BlockCutter, type BatchOptions } from './block-cutter';
import { BlockStore, parseEventPayload, type HistoryWrite, type StoredBlock } from './block-store';
import { ChaincodeRuntime } from './chaincode-runtime';
import { identityBytes } from './client-identity';
import { canonicalJson, sha256Hex } from './hashing';
import { parseRwSet, serializeRwSet, type RwSet } from './rwset';
import type { HistoryReader, Proposal } from './stub';
import { validateBlock } from './validator';
import { verifyChain, type EmbeddedChainVerification } from './verify';
import { EventStream } from './event-stream';
import { WorldState, newStateTree, type StateTree } from './world-state';

/** How to open an embedded ledger. */
export interface EmbeddedLedgerOptions {
  /** A postgres.js client to use (it stays open on `close()`); needs at least 2 connections. */
  sql?: postgres.Sql;
  /** Or a URL to connect to (the ledger then owns and closes its client). */
  databaseUrl?: string;
  /** The installed contract instances. */
  contracts: readonly Contract[];
  /** Channel name recorded in the genesis block (default `royalty`). */
  channel?: string;
  /** Chaincode name recorded in the genesis block (default `royalty`). */
  chaincode?: string;
  /** PostgreSQL schema holding the chain (default `ledger`). */
  schema?: string;
  /** Block cutting: max transactions per block and batch timeout. */
  batch?: BatchOptions;
  /** What `stub.getMspID()` returns (the endorsing peer's org); defaults to the caller's MSP. */
  peerMspId?: string;
  /** Clock for proposal timestamps (tests pin it). */
  clock?: () => Date;
  /** Number of recent blocks whose events stay in memory for live subscribers (default 256). */
  recentBlocks?: number;
  log?: (line: string) => void;
}

/** A block with decoded transactions, for an explorer. */
export interface BlockView {
  number: bigint;
  hash: string;
  previousHash: string;
  dataHash: string;
  /** The config of the genesis block; undefined for other blocks. */
  config?: unknown;
  transactions: TransactionView[];
}

/** A transaction of a {@link BlockView}. */
export interface TransactionView {
  txId: string;
  index: number;
  fn: string;
  args: unknown;
  creator: LedgerIdentity;
  timestamp: string;
  validationCode: string;
  event: { name: string; payload: unknown } | null;
  response: unknown;
  reads: Array<{ key: string; version: { block: number; tx: number } | null }>;
  rangeQueries: Array<{ start: string; end: string; exhausted: boolean; keys: string[] }>;
  writes: Array<{ key: string; isDelete: boolean; value: string | null }>;
}

interface PendingTx {
  record: TxRecord;
  rwset: RwSet;
  response: string | undefined;
  resolve(result: SubmitResult): void;
  reject(error: LedgerError): void;
}

interface RecentBlock {
  number: bigint;
  events: LedgerEvent[];
}

const NUL = '\u0000';

function parseJsonOrText(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function assertIdentity(identity: LedgerIdentity): void {
  for (const field of ['mspId', 'role', 'user'] as const) {
    const v: unknown = identity?.[field];
    if (typeof v !== 'string' || v === '' || v.includes(NUL)) {
      throw new LedgerError('VALIDATION.INVALID_ARGUMENT', `identity.${field} must be a non-empty string`, { field: `identity.${field}` });
    }
  }
}

function assertFunction(fn: string): void {
  if (typeof fn !== 'string' || fn.includes(NUL) || !/^[^:]+:[^:]+$/.test(fn)) {
    throw new LedgerError('LEDGER.UNKNOWN_FUNCTION', `not a contract:function name: ${String(fn)}`, { fn });
  }
}

/** The in-process ledger; implements {@link LedgerPort}. */
export class EmbeddedLedger implements LedgerPort {
  private readonly state: WorldState;
  private readonly cutter: BlockCutter<PendingTx>;
  private readonly streams = new Set<EventStream>();
  private readonly recentBlocks: RecentBlock[] = [];
  private commitSignal!: Promise<void>;
  private signalCommit!: () => void;
  private closing: Promise<void> | undefined;
  /** A block whose write failed in a way that may still have committed; settled before the next. */
  private uncertain: { number: bigint; hash: string; working: StateTree; txs: TxRecord[] } | undefined;

  private constructor(
    private readonly store: BlockStore,
    private readonly runtime: ChaincodeRuntime,
    private readonly opts: Required<Pick<EmbeddedLedgerOptions, 'channel' | 'chaincode' | 'clock' | 'log' | 'recentBlocks'>> &
      Pick<EmbeddedLedgerOptions, 'peerMspId'>,
    private readonly ownedSql: postgres.Sql | undefined,
    tree: StateTree,
    private height: bigint,
    private lastHash: string,
    batch: BatchOptions,
  ) {
    this.state = new WorldState(tree);
    this.cutter = new BlockCutter(batch, (txs) => this.commitBlock(txs));
    this.renewCommitSignal();
  }

  /**
   * Opens (creating when new) the ledger in PostgreSQL: migrates the schema, takes the
   * single-writer lock, writes the genesis block or checks it, and loads the state into memory.
   */
  static async open(options: EmbeddedLedgerOptions): Promise<EmbeddedLedger> {
    const log = options.log ?? (() => {});
    if (!options.sql && !options.databaseUrl) throw new TypeError('EmbeddedLedger.open needs sql or databaseUrl');
    const ownedSql = options.sql ? undefined : postgres(options.databaseUrl!, { max: 8, onnotice: () => {} });
    const sql = options.sql ?? ownedSql!;
    const store = new BlockStore(sql, options.schema ?? 'ledger');
    try {
      const runtime = new ChaincodeRuntime(options.contracts, log);
      await store.migrate();
      if (!(await store.lock())) {
        throw new LedgerError('LEDGER.UNAVAILABLE', `the ledger in schema ${store.schema} is open in another process`);
      }
      const config: GenesisConfig = {
        type: 'genesis',
        channel: options.channel ?? 'royalty',
        chaincode: options.chaincode ?? 'royalty',
        format: 1,
      };
      let head = await store.head();
      if (!head) {
        const configText = genesisConfigText(config);
        const header = genesisHeader(configText);
        await store.writeBlock({ header, config: configText, txs: [], changes: [], history: [] });
        log(`ledger: created channel ${config.channel} (genesis ${header.hash.slice(0, 12)})`);
        head = { ...header, config: configText };
      } else {
        const stored = JSON.parse(head.config ?? '{}') as Partial<GenesisConfig>;
        if (stored.channel !== config.channel || stored.chaincode !== config.chaincode) {
          throw new LedgerError(
            'LEDGER.UNAVAILABLE',
            `schema ${store.schema} holds channel ${stored.channel}/${stored.chaincode}, not ${config.channel}/${config.chaincode}`,
          );
        }
      }
      const tree = newStateTree();
      for await (const [key, entry] of store.loadState()) tree.set(key, entry);
      log(`ledger: height ${head.number + 1n}, ${tree.size} keys loaded`);
      return new EmbeddedLedger(
        store,
        runtime,
        {
          channel: config.channel,
          chaincode: config.chaincode,
          clock: options.clock ?? (() => new Date()),
          log,
          recentBlocks: options.recentBlocks ?? 256,
          peerMspId: options.peerMspId,
        },
        ownedSql,
        tree,
        head.number + 1n,
        head.hash,
        options.batch ?? {},
      );
    } catch (err) {
      await store.unlock().catch(() => {});
      await ownedSql?.end();
      throw err;
    }
  }

  // ---- LedgerPort ----

  async submit<T = unknown>(identity: LedgerIdentity, fn: LedgerFunction, args: unknown): Promise<SubmitResult<T>> {
    this.assertOpen();
    const proposal = this.propose(identity, fn, args);
    const sim = await this.simulate(proposal);
    this.assertOpen();
    const record: TxRecord = {
      txId: proposal.txId,
      channel: proposal.channel,
      fn: proposal.fn,
      args: proposal.args,
      mspId: identity.mspId,
      role: identity.role,
      user: identity.user,
      timestamp: proposal.timestamp,
      rwset: serializeRwSet(sim.rwset),
      eventName: sim.event?.name ?? null,
      eventPayload: sim.event?.payload ?? null,
      response: sim.response === undefined ? null : Buffer.from(sim.response, 'utf8'),
      validationCode: 'VALID',
    };
    return new Promise<SubmitResult<T>>((resolve, reject) => {
      this.cutter.enqueue({
        record,
        rwset: sim.rwset,
        response: sim.response,
        resolve: resolve as (r: SubmitResult) => void,
        reject,
      });
    });
  }

  async evaluate<T = unknown>(identity: LedgerIdentity, fn: LedgerFunction, args: unknown): Promise<T> {
    this.assertOpen();
    const sim = await this.simulate(this.propose(identity, fn, args));
    // The write set is simply dropped: nothing is ordered.
    return parseJsonOrText(sim.response) as T;
  }

  events(after?: Checkpoint): EventSubscription {
    const stream = new EventStream(
      {
        height: () => this.height,
        recent: (from) => this.recentEvents(from),
        fetch: (b, t, through, limit) => this.store.events(b, t, through, limit),
        nextCommit: () => this.commitSignal,
      },
      after,
      (s) => this.streams.delete(s),
    );
    this.streams.add(stream);
    if (this.closing) stream.close();
    return stream;
  }

  async receipt(txId: string): Promise<Receipt> {
    const r = await this.store.receipt(txId);
    if (!r) throw new LedgerError('NOT_FOUND', `transaction ${txId} is not in the ledger`, { txId });
    return { ...r, timestamp: r.timestamp.toISOString() };
  }

  async info(): Promise<LedgerInfo> {
    return { height: this.height, lastBlockHash: this.lastHash };
  }

  /** Stops accepting proposals, commits what is queued, ends subscriptions, releases the lock. */
  async close(): Promise<void> {
    this.closing ??= (async () => {
      await this.cutter.drain();
      for (const s of [...this.streams]) s.close();
      await this.store.unlock().catch((e: unknown) => this.opts.log(`ledger: unlock failed: ${String(e)}`));
      await this.ownedSql?.end();
    })();
    await this.closing;
  }

  // ---- beyond the port ----

  /** Recomputes every hash and link from PostgreSQL and checks the stored state against a replay. */
  async verify(): Promise<EmbeddedChainVerification> {
    const result = await verifyChain(this.store, { height: this.height, lastHash: this.lastHash });
    if (result.ok && result.stateHash !== this.stateHash()) {
      return { ok: false, height: result.height, reason: 'in-memory state differs from the replayed state' };
    }
    return result;
  }

  /** Hash over the sorted committed state (keys, values, versions). */
  stateHash(): string {
    return this.state.hash();
  }

  /** Blocks `from .. from+limit-1` with their transactions decoded. */
  async blocks(from: bigint, limit: number): Promise<BlockView[]> {
    const stored = await this.store.blocks(from, Math.max(0, Math.min(limit, 1000)));
    return stored.map((b) => this.blockView(b));
  }

  // ---- internals ----

  private assertOpen(): void {
    if (this.closing) throw new LedgerError('LEDGER.UNAVAILABLE', 'the ledger is closed');
  }

  private propose(identity: LedgerIdentity, fn: LedgerFunction, args: unknown): Proposal {
    assertIdentity(identity);
    assertFunction(fn);
    let argsJson: string;
    try {
      argsJson = args === undefined ? '{}' : canonicalJson(args);
    } catch (err) {
      throw new LedgerError('VALIDATION.INVALID_ARGUMENT', `arguments are not JSON: ${(err as Error).message}`, { field: 'args' });
    }
    // As on Fabric: the id is the hash of a fresh nonce and the creator.
    const txId = sha256Hex(Buffer.concat([randomBytes(24), Buffer.from(identity.mspId), identityBytes(identity)]));
    const now = this.opts.clock();
    return {
      txId,
      channel: this.opts.channel,
      fn,
      args: argsJson,
      identity: { mspId: identity.mspId, role: identity.role, user: identity.user },
      timestamp: new Date(now.getTime()),
    };
  }

  private simulate(proposal: Proposal) {
    // Snapshot and height are taken together, so history reads agree with state reads.
    const tree = this.state.snapshot();
    const height = this.height;
    const history: HistoryReader = (key) => this.store.history(key, Number(height));
    return this.runtime.simulate(proposal, tree, history, this.opts.peerMspId ?? proposal.identity.mspId);
  }

  private renewCommitSignal(): void {
    this.commitSignal = new Promise((resolve) => (this.signalCommit = resolve));
  }

  private recentEvents(from: bigint): LedgerEvent[] | undefined {
    const first = this.recentBlocks[0];
    if (!first || first.number > from) return undefined;
    const out: LedgerEvent[] = [];
    for (let i = Number(from - first.number); i < this.recentBlocks.length; i++) out.push(...this.recentBlocks[i]!.events);
    return out;
  }

  /** Makes a durable block visible: state, head, recent events, subscribers. */
  private publish(number: bigint, hash: string, working: StateTree, txs: readonly TxRecord[]): void {
    this.state.publish(working);
    this.height = number + 1n;
    this.lastHash = hash;
    const events: LedgerEvent[] = [];
    txs.forEach((tx, txIndex) => {
      if (tx.validationCode === 'VALID' && tx.eventName !== null) {
        events.push({ blockNumber: number, txIndex, txId: tx.txId, name: tx.eventName, payload: parseEventPayload(tx.eventPayload) });
      }
    });
    this.recentBlocks.push({ number, events });
    if (this.recentBlocks.length > this.opts.recentBlocks) this.recentBlocks.shift();
    const signal = this.signalCommit;
    this.renewCommitSignal();
    signal();
  }

  /** Settles a block whose write outcome was unknown: adopt it if PostgreSQL has it. */
  private async settleUncertain(): Promise<void> {
    const u = this.uncertain;
    if (!u) return;
    const stored = await this.store.blockHashAt(u.number);
    this.uncertain = undefined;
    if (stored === u.hash) {
      this.opts.log(`ledger: block ${u.number} turned out to be committed`);
      this.publish(u.number, u.hash, u.working, u.txs);
    }
  }

  /** Validates, persists and publishes one block; settles every submitter in it. */
  private async commitBlock(batch: PendingTx[]): Promise<void> {
    const unavailable = (err: unknown, p: PendingTx, maybeCommitted: boolean) =>
      new LedgerError('LEDGER.UNAVAILABLE', `block commit failed: ${err instanceof Error ? err.message : String(err)}`, {
        txId: p.record.txId,
        commitStatusUnknown: maybeCommitted,
      });
    let number = this.height;
    let header: BlockHeader | undefined;
    let working: StateTree | undefined;
    let txs: TxRecord[] = [];
    try {
      await this.settleUncertain();
      number = this.height;
      const existing = await this.store.existingTxIds(batch.map((p) => p.record.txId));
      working = this.state.workingCopy();
      const { codes, changes } = validateBlock(
        Number(number),
        batch.map((p) => ({ txId: p.record.txId, rwset: p.rwset })),
        working,
        existing,
      );
      txs = batch.map((p, i) => ({ ...p.record, validationCode: codes[i]! }));
      const history: HistoryWrite[] = [];
      batch.forEach((p, i) => {
        if (codes[i] !== 'VALID') return;
        for (const [key, value] of p.rwset.writes) history.push({ key, tx: i, txId: p.record.txId, value, timestamp: p.record.timestamp });
      });
      header = makeHeader(number, this.lastHash, txs);
      await this.store.writeBlock({ header, config: null, txs, changes: changes.values(), history });
    } catch (err) {
      if (header && working) {
        // The COMMIT may have reached PostgreSQL before the error: look before deciding.
        const stored = await this.store.blockHashAt(number).then(
          (h) => h,
          () => null,
        );
        if (stored === null) this.uncertain = { number, hash: header.hash, working, txs };
        if (stored !== header.hash) {
          this.opts.log(`ledger: block ${number} not committed: ${String(err)}`);
          for (const p of batch) p.reject(unavailable(err, p, stored === null));
          return;
        }
      } else {
        for (const p of batch) p.reject(unavailable(err, p, false));
        return;
      }
    }
    this.publish(number, header!.hash, working!, txs);
    txs.forEach((tx, i) => {
      const p = batch[i]!;
      if (tx.validationCode === 'VALID') {
        p.resolve({ txId: tx.txId, blockNumber: number, result: parseJsonOrText(p.response) });
      } else {
        p.reject(
          new LedgerError('LEDGER.MVCC_CONFLICT', `transaction ${tx.txId} was invalidated: ${tx.validationCode}`, {
            validationCode: tx.validationCode,
            txId: tx.txId,
            blockNumber: number.toString(),
          }),
        );
      }
    });
  }

  private blockView(b: StoredBlock): BlockView {
    return {
      number: b.number,
      hash: b.hash,
      previousHash: b.previousHash,
      dataHash: b.dataHash,
      ...(b.config !== null ? { config: JSON.parse(b.config) as unknown } : {}),
      transactions: b.txs.map((tx) => {
        const rw = parseRwSet(tx.rwset);
        return {
          txId: tx.txId,
          index: tx.index,
          fn: tx.fn,
          args: parseJsonOrText(tx.args),
          creator: { mspId: tx.mspId, role: tx.role, user: tx.user },
          timestamp: tx.timestamp.toISOString(),
          validationCode: tx.validationCode,
          event: tx.eventName === null ? null : { name: tx.eventName, payload: parseEventPayload(tx.eventPayload) },
          response: parseJsonOrText(tx.response?.toString('utf8')),
          reads: [...rw.reads].map(([key, version]) => ({ key, version })),
          rangeQueries: rw.ranges.map((q) => ({ start: q.start, end: q.end, exhausted: q.exhausted, keys: q.results.map((r) => r.key) })),
          writes: [...rw.writes].map(([key, v]) => ({ key, isDelete: v === null, value: v === null ? null : v.toString('base64') })),
        };
      }),
    };
  }
}
