/**
 * The record model: what the ledger stores under each composite key type. Money is a decimal
 * string with its currency; dates are `YYYY-MM-DD`; times ISO-8601 from the transaction.
 */
import type { TariffFormula } from '@rtl/distribution/tariff';

/** A right type a share or a pool is for. */
export type RightType = 'performing' | 'mechanical';

/** Common fields of every record a command creates. */
export interface Stamped {
  /** Transaction that created (or last changed) the record. */
  txId: string;
  /** Transaction timestamp. */
  at: string;
}

/** A collective (CMO); its organisation's MSP is bound to it. */
export interface CollectiveRecord extends Stamped {
  id: string;
  kind: 'collective';
  name: string;
  mspId: string;
  country: string;
  collectiveId: string;
}

/** A member (rights holder) or licensee. Only public or shared data: no contact details. */
export interface PartyRecord extends Stamped {
  id: string;
  kind: 'member' | 'licensee' | 'collective';
  name: string;
  collectiveId: string;
  /** Members: author, composer, publisher… */
  memberType?: string;
  /** IPI name number (11 digits), public in the industry. */
  ipiNameNumber?: string;
  /** Licensees: ktv, background_music, broadcaster, streaming, live, other. */
  licenseeType?: string;
  /** SHA-256 of personal data held off-chain (contact, bank account), for later proof. */
  personalDataHash?: string;
}

/** One rights holder's share in a work for one right type. */
export interface ShareLine {
  partyId: string;
  /** Percentage as a decimal string, e.g. `33.3333`. */
  share: string;
}

/** A version of a work's shares for a right type, effective from a date. */
export interface ShareVersion extends Stamped {
  workId: string;
  rightType: RightType;
  effectiveFrom: string;
  shares: ShareLine[];
  /** Percentage no party claims (100 minus the sum of shares). */
  unclaimed: string;
}

/** A creator credit on a work (public). */
export interface Creator {
  name: string;
  role: string;
  partyId?: string;
  ipiNameNumber?: string;
}

/** A musical or audiovisual work. */
export interface WorkRecord extends Stamped {
  id: string;
  collectiveId: string;
  iswc?: string;
  title: string;
  alternateTitles: string[];
  creators: Creator[];
}

/** A recording linked to a work. */
export interface RecordingRecord extends Stamped {
  isrc: string;
  workId: string;
  collectiveId: string;
  title: string;
  artist?: string;
}

/** A published tariff. */
export interface TariffRecord extends Stamped {
  id: string;
  collectiveId: string;
  name: string;
  useType: string;
  rightTypes: RightType[];
  reasoning: string;
  formula: TariffFormula;
  effectiveFrom: string;
  effectiveTo?: string;
  supersedes?: string;
}

/** A licence issued to a licensee under a tariff. */
export interface LicenceRecord extends Stamped {
  id: string;
  code: string;
  collectiveId: string;
  licenseeId: string;
  tariffId: string;
  validFrom: string;
  validTo: string;
  territory: string;
  scope: string;
  fee: string;
  currency: string;
  revoked?: { at: string; txId: string; reasonCode: string; note?: string };
}

/** Key of an income pool: right type × use type × period of one collective. */
export interface PoolRef {
  rightType: RightType;
  useType: string;
  period: string;
}

/** An invoice to a licensee. */
export interface InvoiceRecord extends Stamped {
  id: string;
  collectiveId: string;
  licenseeId: string;
  licenceId?: string;
  pool: PoolRef;
  amount: string;
  currency: string;
  paid: string;
  status: 'open' | 'paid' | 'cancelled';
  dueDate?: string;
  description?: string;
  entryId: string;
}

/** One posting: a signed amount (debit positive, credit negative) on a named account. */
export interface Posting {
  account: string;
  currency: string;
  amount: string;
}

/** A journal entry: one balanced set of postings made by one transaction. */
export interface EntryRecord extends Stamped {
  id: string;
  kind: string;
  collectiveId: string;
  postings: Posting[];
  /** The record the entry belongs to, e.g. `invoice/INV-1`. */
  ref?: string;
  reversalOf?: string;
  adjustmentOf?: string;
  reasonCode?: string;
  note?: string;
}

/** A distribution run anchored on the ledger. */
export interface DistributionRecord extends Stamped {
  id: string;
  collectiveId: string;
  pool: PoolRef;
  currency: string;
  method: string;
  gross: string;
  managementFee: string;
  deductions: string;
  allocated: string;
  suspense: string;
  carriedForward: string;
  rounding: string;
  holderCount: number;
  statementLineCount: number;
  merkleRoot: string;
  inputs: { usageDigest: string; repertoireDigest: string; parametersDigest: string };
  batches: Array<{ batchNo: number; lineCount: number; total: string; digest: string }>;
  batchesPosted: number;
  status: 'open' | 'sealed';
  openEntryId: string;
  sealedAt?: string;
  sealTxId?: string;
}

/** Money moved from a member's carried-forward account to its payable account after a run. */
export interface CarriedReleaseRecord extends Stamped {
  /** The sealed run whose threshold the member's accumulated balance reached. */
  runId: string;
  collectiveId: string;
  memberId: string;
  amount: string;
  currency: string;
  /** The payment threshold applied (the run's). */
  threshold: string;
  /** The carried-forward balance before the release. */
  carriedBefore: string;
  entryId: string;
}

/** A payout to a member, in two phases. */
export interface PayoutRecord extends Stamped {
  id: string;
  collectiveId: string;
  memberId: string;
  amount: string;
  currency: string;
  status: 'pending' | 'paid' | 'voided';
  requestEntryId: string;
  completion?: { txId: string; at: string; entryId: string; bankReference?: string; reasonCode?: string };
}
