/**
 * The read model's tables (schema `rm`), as ordered migrations. Money is `numeric` (exact; it
 * leaves PostgreSQL as text) and every row keeps the ledger record it came from in `data`, so an
 * API answer can always show the record and the transaction behind a figure.
 */

/** Ordered migrations of the `rm` schema; a migration never changes once released. */
export const READ_MODEL_MIGRATIONS: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'initial tables',
    sql: `
create table rm.checkpoint (
  id int primary key default 1 check (id = 1),
  block_number bigint not null,
  tx_index int not null,
  tx_id text,
  updated_at timestamptz not null default now()
);
create table rm.transactions (
  tx_id text primary key,
  block_number bigint not null,
  tx_index int not null,
  fn text not null,
  at timestamptz not null,
  change_count int not null
);
create index transactions_block on rm.transactions (block_number desc, tx_index desc);
create table rm.parties (
  id text primary key,
  kind text not null,
  name text not null,
  collective_id text not null,
  member_type text,
  licensee_type text,
  ipi_name_number text,
  data jsonb not null,
  tx_id text not null,
  at timestamptz not null
);
create index parties_collective on rm.parties (collective_id, kind, id);
create table rm.works (
  id text primary key,
  collective_id text not null,
  iswc text,
  title text not null,
  search_text text not null,
  data jsonb not null,
  tx_id text not null,
  at timestamptz not null
);
create index works_iswc on rm.works (iswc);
create index works_collective on rm.works (collective_id, id);
create table rm.work_creators (
  work_id text not null,
  position int not null,
  name text not null,
  role text not null,
  party_id text,
  primary key (work_id, position)
);
create index work_creators_party on rm.work_creators (party_id);
create table rm.shares (
  work_id text not null,
  right_type text not null,
  effective_from date not null,
  unclaimed numeric not null,
  data jsonb not null,
  tx_id text not null,
  primary key (work_id, right_type, effective_from)
);
create table rm.share_holders (
  work_id text not null,
  right_type text not null,
  effective_from date not null,
  party_id text not null,
  share numeric not null,
  primary key (work_id, right_type, effective_from, party_id)
);
create index share_holders_party on rm.share_holders (party_id, work_id);
create table rm.recordings (
  isrc text primary key,
  work_id text not null,
  collective_id text not null,
  title text not null,
  data jsonb not null,
  tx_id text not null
);
create index recordings_work on rm.recordings (work_id);
create table rm.tariffs (
  id text primary key,
  collective_id text not null,
  use_type text not null,
  effective_from date not null,
  effective_to date,
  data jsonb not null,
  tx_id text not null
);
create table rm.licences (
  id text primary key,
  code text not null unique,
  collective_id text not null,
  licensee_id text not null,
  tariff_id text not null,
  valid_from date not null,
  valid_to date not null,
  revoked boolean not null,
  fee numeric not null,
  currency text not null,
  data jsonb not null,
  tx_id text not null
);
create index licences_licensee on rm.licences (licensee_id, id);
create table rm.invoices (
  id text primary key,
  collective_id text not null,
  licensee_id text not null,
  right_type text not null,
  use_type text not null,
  period text not null,
  amount numeric not null,
  paid numeric not null,
  currency text not null,
  status text not null,
  data jsonb not null,
  tx_id text not null,
  at timestamptz not null
);
create index invoices_licensee on rm.invoices (licensee_id, id);
create index invoices_pool on rm.invoices (collective_id, right_type, use_type, period);
create table rm.payments (
  id text primary key,
  invoice_id text not null,
  collective_id text not null,
  licensee_id text not null,
  amount numeric not null,
  currency text not null,
  data jsonb not null,
  tx_id text not null,
  at timestamptz not null
);
create index payments_invoice on rm.payments (invoice_id);
create table rm.income (
  id text primary key,
  collective_id text not null,
  right_type text not null,
  use_type text not null,
  period text not null,
  amount numeric not null,
  currency text not null,
  data jsonb not null,
  tx_id text not null,
  at timestamptz not null
);
create table rm.entries (
  id text primary key,
  kind text not null,
  collective_id text not null,
  ref text,
  reversal_of text,
  adjustment_of text,
  reason_code text,
  at timestamptz not null,
  data jsonb not null
);
create index entries_collective on rm.entries (collective_id, at desc);
create index entries_ref on rm.entries (ref);
create table rm.postings (
  entry_id text not null,
  idx int not null,
  account text not null,
  account_kind text not null,
  collective_id text not null,
  currency text not null,
  amount numeric not null,
  entry_kind text not null,
  at timestamptz not null,
  primary key (entry_id, idx)
);
create index postings_account on rm.postings (account, at, entry_id, idx);
create index postings_kind on rm.postings (collective_id, account_kind);
create table rm.distributions (
  id text primary key,
  collective_id text not null,
  right_type text not null,
  use_type text not null,
  period text not null,
  status text not null,
  currency text not null,
  gross numeric not null,
  management_fee numeric not null,
  deductions numeric not null,
  allocated numeric not null,
  suspense numeric not null,
  carried_forward numeric not null,
  rounding numeric not null,
  merkle_root text not null,
  data jsonb not null,
  tx_id text not null,
  at timestamptz not null
);
create table rm.distribution_batches (
  run_id text not null,
  batch_no int not null,
  data jsonb not null,
  tx_id text not null,
  primary key (run_id, batch_no)
);
create table rm.payouts (
  id text primary key,
  collective_id text not null,
  member_id text not null,
  amount numeric not null,
  currency text not null,
  status text not null,
  data jsonb not null,
  tx_id text not null,
  at timestamptz not null
);
create index payouts_member on rm.payouts (member_id, id);
create table rm.records (
  type text not null,
  id text not null,
  data jsonb not null,
  tx_id text not null,
  primary key (type, id)
);
`,
  },
  {
    version: 2,
    name: 'trigram search over works, when pg_trgm is available',
    sql: `
do $$
begin
  create extension if not exists pg_trgm;
  execute 'create index works_search_trgm on rm.works using gin (search_text gin_trgm_ops)';
exception when others then
  raise notice 'pg_trgm unavailable (%): repertoire search falls back to sequential matching', sqlerrm;
end $$;
`,
  },
];

/** Tables the projector fills, in a stable order (for rebuild comparisons and truncation). */
export const READ_MODEL_TABLES = [
  'transactions', 'parties', 'works', 'work_creators', 'shares', 'share_holders', 'recordings', 'tariffs', 'licences',
  'invoices', 'payments', 'income', 'entries', 'postings', 'distributions', 'distribution_batches', 'payouts', 'records',
] as const;
