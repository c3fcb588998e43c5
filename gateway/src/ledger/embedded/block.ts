/**
 * Blocks and transactions as stored, and how their hashes are computed from exactly the stored
 * fields, so `verify` can recompute them from PostgreSQL alone.
 */
import { DataHasher, ZERO_HASH, blockHash, sha256Hex } from './hashing';
import type { ValidationCode } from './validator';

/** A transaction as committed in a block, valid or not (invalid ones stay, as on Fabric). */
export interface TxRecord {
  txId: string;
  channel: string;
  fn: string;
  args: string;
  mspId: string;
  role: string;
  user: string;
  /** Proposal time (millisecond precision). */
  timestamp: Date;
  /** Canonical read/write set (see `rwset.ts`). */
  rwset: string;
  eventName: string | null;
  eventPayload: Buffer | null;
  /** The function's response bytes (UTF-8 of the returned string). */
  response: Buffer | null;
  validationCode: ValidationCode | string;
}

/** A block header. */
export interface BlockHeader {
  number: bigint;
  previousHash: string;
  dataHash: string;
  hash: string;
}

/** Genesis (config) block contents: block 0 names the channel and the chaincode. */
export interface GenesisConfig {
  type: 'genesis';
  channel: string;
  chaincode: string;
  /** Version of the block format, for later migrations. */
  format: 1;
}

/** The canonical line a transaction contributes to its block's data hash. */
export function canonicalTx(tx: TxRecord): string {
  return JSON.stringify([
    tx.txId,
    tx.channel,
    tx.fn,
    tx.args,
    tx.mspId,
    tx.role,
    tx.user,
    tx.timestamp.toISOString(),
    tx.rwset,
    tx.eventName,
    tx.eventPayload ? tx.eventPayload.toString('base64') : null,
    tx.response ? tx.response.toString('base64') : null,
    tx.validationCode,
  ]);
}

/** SHA-256 over the block's transactions in order. */
export function dataHashOf(txs: readonly TxRecord[]): string {
  const h = new DataHasher();
  for (const tx of txs) h.add(canonicalTx(tx));
  return h.digest();
}

/** Canonical text of a genesis config (fixed member order). */
export function genesisConfigText(config: GenesisConfig): string {
  return JSON.stringify({ type: config.type, channel: config.channel, chaincode: config.chaincode, format: config.format });
}

/** Header of a regular block. */
export function makeHeader(number: bigint, previousHash: string, txs: readonly TxRecord[]): BlockHeader {
  const dataHash = dataHashOf(txs);
  return { number, previousHash, dataHash, hash: blockHash(number, previousHash, dataHash) };
}

/** Header of block 0, whose data is its config. */
export function genesisHeader(configText: string): BlockHeader {
  const dataHash = sha256Hex(configText);
  const previousHash = ZERO_HASH;
  return { number: 0n, previousHash, dataHash, hash: blockHash(0n, previousHash, dataHash) };
}
