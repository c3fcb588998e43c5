/**
 * Account names of the double-entry ledger. Accounts are paths; balances are derived by summing
 * one key per posting, so no account has a running-balance key that concurrent writes fight over.
 *
 * Normal sides: `bank:*` and `licensee:*:receivable` are assets (debit-normal); every other account
 * holds money owed to someone (credit-normal). `bank:*` stands for the outside world and is the only
 * kind of account whose balance is never guarded against going negative.
 */
import type { PoolRef } from './records';

const poolPath = (collectiveId: string, pool: PoolRef): string => `${collectiveId}:${pool.rightType}:${pool.useType}:${pool.period}`;

/** Builders for every account name the chaincode posts to. */
export const account = {
  bank: (collectiveId: string) => `bank:${collectiveId}`,
  receivable: (licenseeId: string) => `licensee:${licenseeId}:receivable`,
  billed: (collectiveId: string, pool: PoolRef) => `billed:${poolPath(collectiveId, pool)}`,
  pool: (collectiveId: string, pool: PoolRef) => `pool:${poolPath(collectiveId, pool)}`,
  suspense: (collectiveId: string, pool: PoolRef) => `suspense:${poolPath(collectiveId, pool)}`,
  fees: (collectiveId: string) => `cmo:${collectiveId}:fees`,
  deductions: (collectiveId: string) => `cmo:${collectiveId}:deductions`,
  rounding: (collectiveId: string) => `cmo:${collectiveId}:rounding`,
  clearing: (runId: string) => `dist:${runId}:clearing`,
  payable: (memberId: string) => `member:${memberId}:payable`,
  carried: (memberId: string) => `member:${memberId}:carried`,
  payoutPending: (memberId: string) => `member:${memberId}:payout-pending`,
} as const;

/** True for asset accounts, whose balance is debits minus credits. */
export function isDebitNormal(name: string): boolean {
  return name.startsWith('bank:') || (name.startsWith('licensee:') && name.endsWith(':receivable'));
}

/** True for the accounts that stand for the outside world (may go negative). */
export function isOutsideWorld(name: string): boolean {
  return name.startsWith('bank:');
}

/** Account name grammar: colon-separated segments of safe characters. */
export const ACCOUNT_PATTERN = /^(bank|licensee|billed|pool|suspense|cmo|dist|member):[A-Za-z0-9._:-]{1,200}$/;
