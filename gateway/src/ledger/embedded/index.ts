/** The embedded ledger adapter: in-process chaincode, Fabric-like validation, PostgreSQL storage. */
export { EmbeddedLedger, type EmbeddedLedgerOptions, type BlockView, type TransactionView } from './embedded-ledger';
export type { EmbeddedChainVerification } from './verify';
export type { BatchOptions } from './block-cutter';
export type { ValidationCode } from './validator';
export { compareKeys, createCompositeKey, splitCompositeKey } from './keys';
