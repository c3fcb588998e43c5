/**
 * The ledger port: everything above it (HTTP routers, projector, jobs, seeding) talks to the
 * ledger only through this interface. Two adapters implement it: `embedded` (in-process, the
 * default) and `fabric` (a real Hyperledger Fabric network through @hyperledger/fabric-gateway).
 * One contract suite (`port.contract-suite.ts`) runs against every adapter.
 */

/** Who is acting: the organisation (MSP id) and the role inside it. */
export interface LedgerIdentity {
  /** MSP id of the caller's organisation, e.g. `MusicCmoMSP`, `RegulatorMSP`. */
  mspId: string;
  /** Role attribute carried by the identity: `operator`, `regulator`, `member`, `licensee`. */
  role: string;
  /** Stable user name inside the organisation (for audit), e.g. `operator1`. */
  user: string;
}

/** A chaincode function: `contract:function`, e.g. `income:postIncome`. */
export type LedgerFunction = `${string}:${string}`;

/** What a committed transaction returned. */
export interface SubmitResult<T = unknown> {
  txId: string;
  blockNumber: bigint;
  /** The chaincode's JSON response, parsed. */
  result: T;
}

/** Proof that a transaction was committed: where, and the hash of the block holding it. */
export interface Receipt {
  txId: string;
  blockNumber: bigint;
  /** Hex SHA-256 of the block header. */
  blockHash: string;
  /** Position of the transaction in its block. */
  txIndex: number;
  /** `VALID`, or the Fabric validation code that rejected it, e.g. `MVCC_READ_CONFLICT`. */
  validationCode: string;
  /** ISO-8601 time the client stamped on the proposal. */
  timestamp: string;
}

/** Where an event stream resumes: the next event after (blockNumber, txIndex). */
export interface Checkpoint {
  blockNumber: bigint;
  /** Index of the last transaction already consumed in that block; -1 when none. */
  txIndex: number;
}

/** One chaincode event of one valid transaction (a transaction emits at most one). */
export interface LedgerEvent {
  blockNumber: bigint;
  txIndex: number;
  txId: string;
  /** Event name set by the chaincode. */
  name: string;
  /** Event payload, parsed from its JSON bytes. */
  payload: unknown;
}

/** Height and head of the chain. */
export interface LedgerInfo {
  /** Number of blocks, genesis included. */
  height: bigint;
  /** Hex hash of the last block. */
  lastBlockHash: string;
}

/** Outcome of recomputing the hash chain. */
export interface ChainVerification {
  ok: boolean;
  height: bigint;
  /** First block whose stored contents do not match its hashes or its successor's link. */
  firstBadBlock?: bigint;
  reason?: string;
}

/** An event stream that can be stopped. */
export interface EventSubscription extends AsyncIterable<LedgerEvent> {
  close(): void;
}

/** The ledger as every caller sees it. */
export interface LedgerPort {
  /** Endorses, orders and commits a transaction; resolves once it is committed as valid. */
  submit<T = unknown>(identity: LedgerIdentity, fn: LedgerFunction, args: unknown): Promise<SubmitResult<T>>;
  /** Runs a read-only query against committed state; nothing is ordered. */
  evaluate<T = unknown>(identity: LedgerIdentity, fn: LedgerFunction, args: unknown): Promise<T>;
  /** Chaincode events of committed valid transactions after `after` (from the start when absent). */
  events(after?: Checkpoint): EventSubscription;
  /** The receipt of a committed transaction; throws `NOT_FOUND` when unknown. */
  receipt(txId: string): Promise<Receipt>;
  info(): Promise<LedgerInfo>;
  close(): Promise<void>;
}
