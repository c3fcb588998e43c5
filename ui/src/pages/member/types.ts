/** Shapes of the member API's answers (see `/openapi.json`, tag `member`). */

/** The ledger's anchor of a run. */
export interface Anchor {
  merkleRoot: string;
  treeSize: number;
  txId: string;
  blockNumber: string | null;
  status: string;
}

/** A run in which the member has statement lines. */
export interface StatementRun {
  runId: string;
  collectiveId: string;
  pool: { rightType: string; useType: string; period: string };
  status: string;
  currency: string;
  lines: number;
  gross: string;
  fee: string;
  deductions: string;
  net: string;
  anchor: Anchor | null;
}

/** A statement line with its proof. */
export interface StatementLine {
  index: number;
  workId: string;
  title: string | null;
  iswc: string | null;
  usageSource: string;
  usageReportId: string | null;
  licensee: { id: string; name: string | null } | null;
  licenceId: string | null;
  tariff: { id: string; name: string | null } | null;
  period: string;
  plays: string;
  share: string;
  currency: string;
  gross: string;
  fee: string;
  deductions: string;
  net: string;
  leaf: string;
  proof: string[];
}

/** A statement page. */
export interface Statement {
  run: StatementRun;
  computedRoot: string;
  rootMatches: boolean;
  lines: { items: StatementLine[]; nextCursor: string | null };
}

/** The proof of one line. */
export interface LineProof {
  runId: string;
  index: number;
  leaf: string;
  leafHash: string;
  proof: string[];
  treeSize: number;
  computedRoot: string;
  anchor: Anchor | null;
}

/** Balances per currency. */
export interface MemberBalance {
  memberId: string;
  balances: { currency: string; payable: string; carriedForward: string; payoutPending: string }[];
}

/** A payout. */
export interface MemberPayout {
  id: string;
  amount: string;
  currency: string;
  status: 'pending' | 'paid' | 'voided';
  requestedAt: string;
  requestTxId: string;
  completedAt: string | null;
  completionTxId: string | null;
  bankReference: string | null;
  reasonCode: string | null;
}

/** One of the member's works. */
export interface MemberWork {
  id: string;
  title: string;
  iswc: string | null;
  creators: { name: string; role: string; partyId: string | null }[];
  shares: { rightType: string; share: string; effectiveFrom: string; unclaimed: string }[];
}

/** A suspense line of the member's collective. */
export interface SuspenseLine {
  runId: string;
  idx: number;
  pool: { rightType: string; useType: string; period: string };
  reason: string;
  workId: string | null;
  title: string | null;
  iswc: string | null;
  isrc: string | null;
  creators: string | null;
  usageSource: string | null;
  plays: string;
  amount: string;
  accepted: string;
  currency: string;
}

/** A claim on suspense. */
export interface Claim {
  id: string;
  runId: string;
  suspenseIdx: number;
  amount: string;
  currency: string;
  evidence: string;
  status: 'submitted' | 'accepted' | 'rejected';
  decisionNote: string | null;
  releaseTxId: string | null;
  createdAt: string;
  decidedAt: string | null;
}

/** A movement on one of the member's accounts (`GET /api/member/transactions`). */
export interface MemberMovement {
  entryId: string;
  kind: string;
  ref: string | null;
  account: 'payable' | 'carried' | 'payoutPending';
  currency: string;
  amount: string;
  at: string;
  release: { runId: string; threshold: string; carriedBefore: string } | null;
  receipt: { txId: string; blockNumber: string | null; txIndex: number | null; href: string };
}
