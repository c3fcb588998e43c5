/** Shapes of the regulator API's answers (see `/openapi.json`, tag `regulator`). */

/** A pool's distribution deadline. */
export interface Deadline {
  rightType: string;
  useType: string;
  period: string;
  account: string;
  currency: string;
  collectionYear: number;
  undistributed: string;
  deadline: string;
  daysLeft: number;
  status: 'ok' | 'due_soon' | 'late';
}

/** A ratio with its operands. */
export interface Ratio {
  currency: string;
  gross: string;
  managementFee: string;
  ratio: string | null;
}

/** The dashboard of one collective. */
export interface CollectiveDashboard {
  collectiveId: string;
  name: string;
  feeRatio: {
    overall: Ratio[];
    pools: (Ratio & { rightType: string; useType: string; period: string; runs: number })[];
    trend: { rightType: string; useType: string; currency: string; points: { period: string; ratio: string | null; change: string | null; direction: 'up' | 'down' | 'flat' | null }[] }[];
  };
  undistributedByAge: { currency: string; total: string; buckets: { bucket: string; amount: string }[] }[];
  suspenseByAge: { currency: string; total: string; buckets: { bucket: string; amount: string }[] }[];
  deadlines: Deadline[];
}

/** The dashboard. */
export interface Dashboard {
  asOf: string;
  deadlineRule: string;
  deadlineSummary: { ok: number; due_soon: number; late: number };
  collectives: CollectiveDashboard[];
}

/** A collective's totals. */
export interface CollectiveSummary {
  id: string;
  name: string;
  mspId: string;
  country: string;
  members: number;
  licensees: number;
  works: number;
  totals: { currency: string; collected: string; distributed: string; fees: string; undistributed: string }[];
}

/** A posting behind a figure. */
export interface FigurePosting {
  entryId: string;
  kind: string;
  ref: string | null;
  account: string;
  currency: string;
  amount: string;
  contribution: string;
  at: string;
  receipt: { txId: string; blockNumber: string | null; txIndex: number | null; href: string };
}

/** A complaint. */
export interface Complaint {
  id: string;
  collectiveId: string;
  category: string;
  subject: string;
  status: 'open' | 'investigating' | 'closed';
  filedAt: string;
  dueBy: string;
  complainantId: string;
  complainantKind: 'member' | 'licensee';
  daysLeft: number | null;
  overdue: boolean;
  closedLate: boolean | null;
  textHash: string;
  finding: { outcome: string; summary: string; at: string; txId: string } | null;
  txId?: string;
  text?: string | null;
  textMatchesLedger?: boolean | null;
}
