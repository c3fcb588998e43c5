/** Statement lines, their Merkle tree and proofs, and the output files of a run. */
export { formatMinor, statementLine, statementLineJson, statementLineJsonAt, suspenseOutputLine, type StatementLine, type SuspenseOutputLine } from './line';
export { buildStatementTree, holderStatement, suspenseRoot, type HolderStatement, type ProvenLine } from './proofs';
export { STATEMENT_COLUMNS, SUSPENSE_COLUMNS, writeOutputs, type WriteOptions, type WrittenOutputs } from './write';
