/** Shapes of the licensee API's answers (see `/openapi.json`, tag `licensee`). */
import type { Receipt } from '../public/types';

/** A licence of the caller. */
export interface Licence {
  id: string;
  code: string;
  collectiveId: string;
  tariffId: string;
  tariffName: string | null;
  useType: string | null;
  validFrom: string;
  validTo: string;
  territory: string;
  scope: string;
  fee: string;
  currency: string;
  status: 'active' | 'expired' | 'revoked' | 'not_yet_valid';
  asOf: string;
  revoked: { at: string; reasonCode: string; txId: string } | null;
}

/** A licence certificate. */
export interface Certificate {
  licence: Licence;
  licensee: { id: string; name: string };
  collective: { id: string; name: string };
  tariff: { id: string; name: string; useType: string; reasoning: string; effectiveFrom: string; effectiveTo: string | null };
  term: { validFrom: string; validTo: string };
  territory: string;
  scope: string;
  fee: string;
  currency: string;
  status: Licence['status'];
  verification: { code: string; url: string };
  issuedBy: Receipt;
}

/** An invoice of the caller. */
export interface Invoice {
  id: string;
  collectiveId: string;
  licenceId: string | null;
  pool: { rightType: string; useType: string; period: string };
  amount: string;
  paid: string;
  outstanding: string;
  currency: string;
  status: 'open' | 'paid' | 'cancelled';
  dueDate: string | null;
  description: string | null;
  issuedAt: string;
}

/** A usage report as listed. */
export interface UsageReportSummary {
  id: string;
  period: string;
  format: 'dsr' | 'csv';
  licenceId: string | null;
  sha256: string;
  lines: number;
  accepted: number;
  rejected: number;
  totalPlays: string;
  createdAt: string;
}

/** The validation report of an upload. */
export interface ValidationReport {
  format: 'dsr' | 'csv';
  lines: number;
  accepted: number;
  rejected: number;
  errorCount: number;
  warningCount: number;
  rejects: { line: number; field: string | null; code: string; message: string }[];
  rejectsTruncated: boolean;
  matched: { lines: number; plays: string; byMethod: Record<string, number | string> };
  unmatched: { lines: number; plays: string; byReason: Record<string, number | string> };
  totalPlays: string;
}

/** The coverage of a playlist. */
export interface Coverage {
  collectiveId: string;
  format: 'csv' | 'list';
  total: number;
  matched: number;
  coveragePercent: string;
  managed: { line: number; query: { title: string | null; creators: string[] }; workId: string; iswc: string | null; title: string; method: string }[];
  notManaged: { line: number; query: { title: string | null; creators: string[] }; reason: string }[];
  rejected: { line: number; field: string | null; code: string; message: string }[];
}
