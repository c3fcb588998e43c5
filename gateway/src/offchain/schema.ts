/**
 * Off-chain detail (schema `offchain`): what the collective holds besides the ledger — uploaded
 * usage reports, distribution runs with their line-level statements, suspense and carried-forward
 * releases, and claims. The ledger holds the totals, digests and Merkle roots these rows are
 * verified against. Unlike the read model (`rm`), these rows are not derived from ledger events, so
 * a projector rebuild never touches them.
 */
import type postgres from 'postgres';
import { migrate, type MigrationOutcome } from '../db/migrate';

/** Ordered migrations of the `offchain` schema. */
export const OFFCHAIN_MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'usage reports, distribution runs, statements, suspense, claims',
    sql: `
create table offchain.usage_reports (
  id text primary key,
  collective_id text not null,
  licensee_id text not null,
  licence_id text,
  format text not null check (format in ('dsr', 'csv')),
  period text not null,
  file_path text not null,
  sha256 text not null,
  lines int not null,
  accepted int not null,
  rejected int not null,
  total_plays bigint not null,
  report jsonb not null,
  uploaded_by text not null,
  created_at timestamptz not null default now()
);
create index usage_reports_licensee on offchain.usage_reports (licensee_id, created_at desc);
create index usage_reports_collective on offchain.usage_reports (collective_id, period);
create table offchain.distribution_runs (
  id text primary key,
  collective_id text not null,
  right_type text not null,
  use_type text not null,
  period text not null,
  status text not null check (status in ('queued', 'running', 'anchoring', 'done', 'failed')),
  progress numeric not null default 0,
  stage text not null default 'queued',
  parameters jsonb not null,
  summary jsonb,
  error jsonb,
  usage_report_ids text[] not null,
  anchor_tx_ids text[] not null default '{}',
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index distribution_runs_collective on offchain.distribution_runs (collective_id, created_at desc);
create table offchain.statement_lines (
  run_id text not null references offchain.distribution_runs (id),
  line_index int not null,
  party_id text not null,
  work_id text not null,
  usage_source text not null,
  usage_report_id text,
  licensee_id text,
  period text not null,
  plays bigint not null,
  share text not null,
  gross numeric not null,
  management_fee numeric not null,
  deductions numeric not null,
  net numeric not null,
  currency text not null,
  leaf text not null,
  primary key (run_id, line_index)
);
create index statement_lines_party on offchain.statement_lines (party_id, run_id, line_index);
create table offchain.suspense_lines (
  run_id text not null references offchain.distribution_runs (id),
  idx int not null,
  reason text not null,
  work_id text,
  title text,
  iswc text,
  isrc text,
  creators text,
  usage_source text,
  plays bigint not null,
  amount numeric not null,
  currency text not null,
  primary key (run_id, idx)
);
create index suspense_lines_reason on offchain.suspense_lines (reason, run_id);
create table offchain.claims (
  id text primary key,
  collective_id text not null,
  claimant_id text not null,
  run_id text not null,
  suspense_idx int not null,
  amount numeric not null,
  currency text not null,
  evidence text not null,
  status text not null check (status in ('submitted', 'accepted', 'rejected')),
  decided_by text,
  decision_note text,
  release_tx_id text,
  created_at timestamptz not null default now(),
  decided_at timestamptz
);
create index claims_claimant on offchain.claims (claimant_id, created_at desc);
create index claims_collective on offchain.claims (collective_id, status, created_at desc);
create table offchain.complaint_texts (
  complaint_id text primary key,
  complainant_id text not null,
  text text not null,
  sha256 text not null,
  created_at timestamptz not null default now()
);
`,
  },
  {
    version: 2,
    name: 'private party data (contact, bank account) kept off the ledger; CWR import reports',
    sql: `
create table offchain.party_private (
  party_id text primary key,
  collective_id text not null,
  contact jsonb not null,
  salt text not null,
  sha256 text not null,
  created_by text not null,
  created_at timestamptz not null default now()
);
create index party_private_collective on offchain.party_private (collective_id, party_id);
create table offchain.cwr_imports (
  id text primary key,
  collective_id text not null,
  status text not null check (status in ('running', 'done', 'failed')),
  progress numeric not null default 0,
  sha256 text not null,
  options jsonb not null,
  report jsonb,
  error jsonb,
  created_by text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index cwr_imports_collective on offchain.cwr_imports (collective_id, created_at desc);
create unique index distribution_runs_active_pool on offchain.distribution_runs (collective_id, right_type, use_type, period)
  where status in ('queued', 'running', 'anchoring');
`,
  },
  {
    version: 3,
    name: 'carried-forward releases of distribution runs',
    sql: `
create table offchain.carried_releases (
  run_id text not null references offchain.distribution_runs (id),
  party_id text not null,
  collective_id text not null,
  currency text not null,
  amount numeric not null check (amount > 0),
  threshold numeric not null check (threshold >= 0),
  command_id text not null,
  status text not null check (status in ('planned', 'released')),
  tx_id text,
  block_number bigint,
  planned_at timestamptz not null default now(),
  released_at timestamptz,
  primary key (run_id, party_id)
);
create index carried_releases_party on offchain.carried_releases (party_id, run_id);
`,
  },
];

/** Creates or upgrades the off-chain tables. */
export function migrateOffchain(sql: postgres.Sql): Promise<MigrationOutcome> {
  return migrate(sql, 'offchain', OFFCHAIN_MIGRATIONS);
}
