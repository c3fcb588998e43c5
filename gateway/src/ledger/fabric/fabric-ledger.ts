/**
 * The Fabric adapter of the ledger port: `@hyperledger/fabric-gateway` over `@grpc/grpc-js`,
 * one TLS connection and gateway per organisation (the caller's `mspId` picks it), a deadline per
 * phase, and the chaincode's error codes carried through to the caller.
 *
 * Writes retry only when Fabric invalidated them for a read conflict (MVCC or phantom): the same
 * command goes again as a new transaction, which is safe because commands are idempotent by
 * `commandId`. Every other failure is reported at once.
 */
import { LedgerError } from '@rtl/chaincode';
import { readConnectionProfile, type ConnectionProfile } from '@rtl/fabric-network/profile';
import { decodeBlockBytes, validationCodeName } from './block-decoder';
import { closeOrg, connectOrg, type OrgConnection } from './connections';
import { openEventStream, type FabricEventSubscription } from './event-stream';
import { isUnreachable, toLedgerError } from './fabric-errors';
import { fabricLedgerOptionsSchema, type Deadlines, type FabricLedgerOptionsInput } from './options';
import { common } from './protos';
import type { Checkpoint, LedgerFunction, LedgerIdentity, LedgerInfo, LedgerPort, Receipt, SubmitResult } from '../port';

/** Per-call options beyond the port. */
export interface FabricCallOptions {
  /**
   * Organisations whose peers must endorse (or evaluate) this call, instead of the set service
   * discovery picks to satisfy the endorsement policy. For tests and operations.
   */
  endorsingOrganizations?: string[];
}

const conflictCodes: ReadonlySet<string> = new Set(['MVCC_READ_CONFLICT', 'PHANTOM_READ_CONFLICT']);
const txIdPattern = /^[0-9a-f]{64}$/;

/** The chaincode's argument: one string, the JSON of the args (non-objects too, so the chaincode validates them). */
function encodeArgs(args: unknown): string {
  return JSON.stringify(args) ?? 'null';
}

function parseResult<T>(bytes: Uint8Array): T {
  if (bytes.length === 0) return undefined as T;
  const text = Buffer.from(bytes).toString('utf8');
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new LedgerError('INTERNAL', 'the chaincode returned a result that is not JSON', { result: text.slice(0, 200) });
  }
}

const deadline = (ms: number) => ({ deadline: Date.now() + ms });
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The ledger port on a Hyperledger Fabric network. */
export class FabricLedger implements LedgerPort {
  /** Counters for benchmarks and operations. */
  readonly stats = {
    /** Transactions invalidated by an MVCC or phantom read conflict (each one was retried or reported). */
    readConflicts: 0,
  };
  private readonly subscriptions = new Set<FabricEventSubscription>();
  private closed = false;
  /** Height the chain has at least, after the writes this adapter has seen committed. */
  private committedHeight = 0n;
  /** Height each organisation's peer was last seen to have. */
  private readonly knownHeight = new Map<string, bigint>();
  /** One chain-info request in flight per organisation, shared by everyone waiting on it. */
  private readonly heightRequests = new Map<string, Promise<bigint>>();

  private constructor(
    /** The connection profile the adapter was opened with. */
    readonly profile: ConnectionProfile,
    private readonly connections: ReadonlyMap<string, OrgConnection>,
    private readonly reader: OrgConnection,
    private readonly deadlines: Deadlines,
    private readonly settings: { mvccRetries: number; mvccRetryJitterMs: number; eventsInitialBackoffMs: number; eventsMaxBackoffMs: number },
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Connects to every organisation of the connection profile. gRPC connects lazily, so this does
   * not wait for the peers; the first call that cannot reach one raises `LEDGER.UNAVAILABLE`.
   */
  static open(input: FabricLedgerOptionsInput): FabricLedger {
    const { log = () => {}, ...rest } = input;
    const o = fabricLedgerOptionsSchema.parse(rest);
    const profile = readConnectionProfile(o.profilePath);
    const connections = new Map<string, OrgConnection>();
    try {
      for (const mspId of Object.keys(profile.organizations)) connections.set(mspId, connectOrg(profile, mspId));
    } catch (e) {
      for (const c of connections.values()) closeOrg(c);
      throw e;
    }
    const readerMspId = o.readerMspId ?? profile.regulatorMspId;
    const reader = connections.get(readerMspId);
    if (!reader) throw new Error(`readerMspId ${readerMspId} is not an organisation of the connection profile`);
    return new FabricLedger(profile, connections, reader, o.deadlines, o, log);
  }

  /** The organisations this adapter can act for (MSP ids). */
  get organisations(): string[] {
    return [...this.connections.keys()];
  }

  private connectionOf(identity: Pick<LedgerIdentity, 'mspId'>): OrgConnection {
    if (this.closed) throw new LedgerError('LEDGER.UNAVAILABLE', 'the Fabric ledger adapter is closed', {});
    const c = this.connections.get(identity.mspId);
    if (!c) throw new LedgerError('ACCESS.DENIED', `no Fabric identity for organisation ${identity.mspId}`, { field: 'mspId', mspId: identity.mspId });
    return c;
  }

  private noteHeight(mspId: string, height: bigint): void {
    if (height > (this.knownHeight.get(mspId) ?? 0n)) this.knownHeight.set(mspId, height);
  }

  private peerHeight(conn: OrgConnection): Promise<bigint> {
    let request = this.heightRequests.get(conn.mspId);
    if (!request) {
      request = this.chainInfo(conn)
        .then((info) => {
          this.noteHeight(conn.mspId, info.height);
          return info.height;
        })
        .finally(() => this.heightRequests.delete(conn.mspId));
      this.heightRequests.set(conn.mspId, request);
    }
    return request;
  }

  /**
   * Read-your-writes across organisations: each organisation's peer commits a block on its own
   * schedule, so before a call runs on a peer, wait until that peer holds every block this adapter
   * has seen its own writes committed in (the regulator's peer may still be a block behind the
   * collective's when the collective's write returns). Free when the peer is known to be current.
   */
  private async caughtUp(conn: OrgConnection, deadlineMs: number): Promise<void> {
    const target = this.committedHeight;
    if ((this.knownHeight.get(conn.mspId) ?? 0n) >= target) return;
    const until = Date.now() + deadlineMs;
    for (;;) {
      let height = -1n;
      try {
        height = await this.peerHeight(conn);
      } catch (e) {
        // A peer that is restarting (or a connection still backing off) may answer in a moment.
        if (!isUnreachable(e) || Date.now() > until) throw e;
      }
      if (height >= target) return;
      if (Date.now() > until) {
        throw new LedgerError('LEDGER.UNAVAILABLE', `the peer of ${conn.mspId} has not caught up to block ${target - 1n}`, { mspId: conn.mspId, height: String(height), target: String(target) });
      }
      await sleep(height < 0n ? 200 : 20);
    }
  }

  /** The connections a call will run on: the given organisations', or the caller's and the regulator's. */
  private peersOf(own: OrgConnection, organisations: string[] | undefined, withRegulator: boolean): OrgConnection[] {
    const ids = organisations ?? (withRegulator ? [own.mspId, this.profile.regulatorMspId] : [own.mspId]);
    return [...new Set(ids)].flatMap((id) => this.connections.get(id) ?? []);
  }

  private contractOf(identity: Pick<LedgerIdentity, 'mspId'>) {
    return this.connectionOf(identity).network.getContract(this.profile.chaincode.name);
  }

  /**
   * Endorses, orders and commits; resolves when the caller's peer has committed it as valid.
   * The identity's organisation signs (cryptogen gives each organisation one client identity, so
   * `role` and `user` are not carried on Fabric).
   */
  async submit<T = unknown>(identity: LedgerIdentity, fn: LedgerFunction, args: unknown, options: FabricCallOptions = {}): Promise<SubmitResult<T>> {
    const own = this.connectionOf(identity);
    const contract = this.contractOf(identity);
    const argument = encodeArgs(args);
    for (let attempt = 1; ; attempt++) {
      await Promise.all(this.peersOf(own, options.endorsingOrganizations, true).map((c) => this.caughtUp(c, this.deadlines.endorse)));
      const proposal = contract.newProposal(fn, { arguments: [argument], ...(options.endorsingOrganizations && { endorsingOrganizations: options.endorsingOrganizations }) });
      const txId = proposal.getTransactionId();
      const context = { fn, txId, mspId: identity.mspId };
      const transaction = await proposal.endorse(deadline(this.deadlines.endorse)).catch((e: unknown) => {
        throw toLedgerError(e, 'endorse', context);
      });
      const submitted = await transaction.submit(deadline(this.deadlines.submit)).catch((e: unknown) => {
        throw toLedgerError(e, 'submit', context);
      });
      const status = await submitted.getStatus(deadline(this.deadlines.commitStatus)).catch((e: unknown) => {
        throw toLedgerError(e, 'commitStatus', context);
      });
      // The caller's peer reported the commit, so it holds this block.
      this.noteHeight(identity.mspId, status.blockNumber + 1n);
      if (status.blockNumber + 1n > this.committedHeight) this.committedHeight = status.blockNumber + 1n;
      if (status.successful) return { txId, blockNumber: status.blockNumber, result: parseResult<T>(transaction.getResult()) };
      const validationCode = validationCodeName(status.code);
      if (!conflictCodes.has(validationCode)) {
        throw new LedgerError('LEDGER.ENDORSEMENT_FAILED', `transaction ${txId} was invalidated at commit: ${validationCode}`, { validationCode, txId, blockNumber: String(status.blockNumber) });
      }
      this.stats.readConflicts++;
      if (attempt > this.settings.mvccRetries) {
        throw new LedgerError('LEDGER.MVCC_CONFLICT', `transaction ${txId} hit a read conflict ${attempt} times`, { validationCode, txId, attempts: attempt });
      }
      this.log(`fabric: ${fn} ${txId} invalidated (${validationCode}); retry ${attempt}/${this.settings.mvccRetries}`);
      await sleep(Math.random() * this.settings.mvccRetryJitterMs * attempt);
    }
  }

  /**
   * Waits until every organisation's gateway can collect the endorsements a write needs: a peer
   * that has just started (or restarted) learns the other organisations' peers through gossip over
   * a few seconds, and until then service discovery finds no set of peers that satisfies the
   * policy. Probes by endorsing a read-only query and never submitting it, so nothing is written.
   */
  async waitUntilEndorsable(timeoutMs = 120_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (const conn of this.connections.values()) {
      const contract = conn.network.getContract(this.profile.chaincode.name);
      for (;;) {
        try {
          await contract.newProposal('queries:getBalance', { arguments: [encodeArgs({ account: 'bank:readiness-probe' })] }).endorse(deadline(this.deadlines.endorse));
          break;
        } catch (e) {
          const error = toLedgerError(e, 'endorse', { mspId: conn.mspId });
          if (error.code !== 'LEDGER.UNAVAILABLE' || Date.now() > until) throw error;
          await sleep(500);
        }
      }
    }
  }

  /** Runs a query on the caller's organisation's peer; nothing is ordered. */
  async evaluate<T = unknown>(identity: LedgerIdentity, fn: LedgerFunction, args: unknown, options: FabricCallOptions = {}): Promise<T> {
    const own = this.connectionOf(identity);
    await Promise.all(this.peersOf(own, options.endorsingOrganizations, false).map((c) => this.caughtUp(c, this.deadlines.evaluate)));
    const contract = this.contractOf(identity);
    const proposal = contract.newProposal(fn, { arguments: [encodeArgs(args)], ...(options.endorsingOrganizations && { endorsingOrganizations: options.endorsingOrganizations }) });
    const bytes = await proposal.evaluate(deadline(this.deadlines.evaluate)).catch((e: unknown) => {
      throw toLedgerError(e, 'evaluate', { fn, mspId: identity.mspId });
    });
    return parseResult<T>(bytes);
  }

  /** Calls the peer's ledger query system chaincode (qscc) through one organisation's gateway. */
  private async qscc(conn: OrgConnection, fn: string, ...args: string[]): Promise<Uint8Array> {
    const proposal = conn.network.getContract('qscc').newProposal(fn, { arguments: [this.profile.channel, ...args], endorsingOrganizations: [conn.mspId] });
    return proposal.evaluate(deadline(this.deadlines.evaluate));
  }

  /**
   * The receipt of a committed transaction, from the reader's peer, or from another organisation's
   * peer when the reader's has not committed that block yet (or cannot be reached).
   */
  async receipt(txId: string): Promise<Receipt> {
    if (!txIdPattern.test(txId)) throw new LedgerError('NOT_FOUND', `no transaction ${txId}`, { field: 'txId', txId });
    let unreachable: unknown;
    for (const conn of [this.reader, ...[...this.connections.values()].filter((c) => c !== this.reader)]) {
      let bytes: Uint8Array;
      try {
        bytes = await this.qscc(conn, 'GetBlockByTxID', txId);
      } catch (e) {
        // The peer answered with a qscc error: it does not hold the transaction.
        if (isUnreachable(e)) unreachable ??= e;
        continue;
      }
      const block = decodeBlockBytes(bytes);
      const tx = block.transactions.find((t) => t.txId === txId);
      if (!tx) continue;
      return { txId, blockNumber: block.number, blockHash: block.hash, txIndex: tx.txIndex, validationCode: tx.validationCode, timestamp: tx.timestamp };
    }
    if (unreachable) throw toLedgerError(unreachable, 'query', { txId });
    throw new LedgerError('NOT_FOUND', `no transaction ${txId}`, { field: 'txId', txId });
  }

  /** Height and current block hash of the chain, as one organisation's peer reports it (the reader's by default). */
  async info(mspId?: string): Promise<LedgerInfo> {
    const conn = mspId === undefined ? this.reader : this.connectionOf({ mspId });
    const info = await this.chainInfo(conn);
    this.noteHeight(conn.mspId, info.height);
    return info;
  }

  private async chainInfo(conn: OrgConnection): Promise<LedgerInfo> {
    const bytes = await this.qscc(conn, 'GetChainInfo').catch((e: unknown) => {
      throw toLedgerError(e, 'query', { mspId: conn.mspId });
    });
    const chain = common.BlockchainInfo.deserializeBinary(bytes);
    return { height: BigInt(chain.getHeight()), lastBlockHash: Buffer.from(chain.getCurrentblockhash_asU8()).toString('hex') };
  }

  /**
   * Chaincode events of valid transactions after `after`, from the reader's peer (or the given
   * organisation's); reconnects by itself when the stream breaks.
   */
  events(after?: Checkpoint, mspId?: string): FabricEventSubscription {
    const conn = mspId === undefined ? this.reader : this.connectionOf({ mspId });
    const sub = openEventStream(conn, after, {
      chaincodeName: this.profile.chaincode.name,
      initialBackoffMs: this.settings.eventsInitialBackoffMs,
      maxBackoffMs: this.settings.eventsMaxBackoffMs,
      log: this.log,
    });
    this.subscriptions.add(sub);
    return {
      get reopened() {
        return sub.reopened;
      },
      [Symbol.asyncIterator]: () => sub[Symbol.asyncIterator](),
      close: () => {
        this.subscriptions.delete(sub);
        sub.close();
      },
    };
  }

  /** Closes every event stream and connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.subscriptions) s.close();
    this.subscriptions.clear();
    for (const c of this.connections.values()) closeOrg(c);
  }
}
