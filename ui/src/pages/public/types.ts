/** Shapes of the public API's answers (see `/openapi.json`, tag `public`). */

/** A tariff formula. */
export type Formula =
  | { kind: 'flat'; currency: string; ratePerUnit: string; unit: string; period: string }
  | { kind: 'per_use_capped'; currency: string; baseFeePerDay: string; includedUsesPerDay: number; feePerExtraUse: string; dailyCap: string }
  | { kind: 'revenue_share'; currency: string; rate: string; minimum: string; period: string };

/** A published tariff. */
export interface Tariff {
  id: string;
  collectiveId: string;
  name: string;
  useType: string;
  rightTypes: string[];
  reasoning: string;
  formula: Formula;
  effectiveFrom: string;
  effectiveTo: string | null;
  publishedAt: string;
  txId: string;
}

/** A fee quote. */
export interface Quote {
  tariffId: string;
  currency: string;
  total: string;
  lines: { label: string; amount: string }[];
}

/** A work in search results. */
export interface WorkSummary {
  id: string;
  collectiveId: string;
  iswc: string | null;
  title: string;
  alternateTitles: string[];
  creators: { name: string; role: string; partyId: string | null; ipiNameNumber: string | null }[];
}

/** A work's public page. */
export interface PublicWork extends WorkSummary {
  asOf: string;
  shares: { rightType: string; effectiveFrom: string; unclaimed: string; holders: { partyId: string; name: string | null; share: string }[] }[];
  recordings: { id?: string; isrc?: string | null; title?: string; artist?: string | null }[];
  registeredAt: string;
  txId: string;
}

/** A ledger receipt. */
export interface Receipt {
  txId: string;
  blockNumber: string;
  blockHash: string;
  txIndex: number;
  validationCode: string;
  timestamp: string;
  fn?: string;
  changeCount?: number;
}

/** The answer of licence verification. */
export interface LicenceVerification {
  code: string;
  status: 'valid' | 'expired' | 'revoked' | 'not_yet_valid';
  asOf: string;
  licenceId: string;
  collectiveId: string;
  licensee: { id: string; name: string | null };
  tariff: { id: string; name: string | null; useType: string | null };
  validFrom: string;
  validTo: string;
  territory: string;
  scope: string;
  revocation: { at: string; reasonCode: string; txId: string } | null;
  receipt: Receipt | null;
}

/** Transparency figures of one pool. */
export interface PoolFigures {
  collectiveId: string;
  rightType: string;
  useType: string;
  period: string;
  currency: string;
  collected: string;
  distributionGross: string;
  distributed: string;
  managementFee: string;
  deductions: string;
  suspense: string;
  managementFeeRatio: string | null;
  undistributed: string;
  distributionRuns: number;
}

/** Undistributed money by age, per collective. */
export interface UndistributedByAge {
  asOf: string;
  items: { collectiveId: string; currency: string; total: string; buckets: { age: string; pools: string; suspense: string; total: string }[] }[];
}

/** An unidentified work held in suspense. */
export interface SuspenseWork {
  collectiveId: string;
  title: string | null;
  iswc: string | null;
  isrc: string | null;
  creators: string[];
  plays: string;
  amount: string;
  currency: string;
  lines: number;
  runs: string[];
  reasons: string[];
}

/** The chain's status. */
export interface ChainStatus {
  height: string;
  headHash: string;
  verification: { ok: boolean; checkedHeight: string; firstBadBlock: string | null; reason: string | null; checkedAt: string } | null;
}

/** A block with its transactions. */
export interface Block {
  number: string;
  hash: string | null;
  previousHash: string | null;
  transactions: { txId: string; index: number; fn: string; mspId: string | null; timestamp: string; validationCode: string }[];
}
