/**
 * Benchmark: income postings through the ledger port into the embedded ledger (persisted in
 * PostgreSQL). Prints committed transactions per second and p50/p99 submit-to-commit latency at
 * several concurrency levels, plus the MVCC conflicts seen (the target is zero: income is blind).
 *
 *   npm run bench:ledger-embedded [-- --tx 4000 --concurrency 1,16,64,256]
 */
import { contractInstances, isLedgerError } from '@rtl/chaincode';
import { z } from 'zod';
import { parseFlags } from './flags';
import { startPostgres } from '../gateway/src/db/postgres-server';
import { EmbeddedLedger } from '../gateway/src/ledger/embedded/embedded-ledger';
import { MSP, operatorOf } from '../gateway/src/ledger/organisations';
import type { LedgerPort } from '../gateway/src/ledger/port';

const argsSchema = z.object({
  tx: z.coerce.number().int().min(10).max(1_000_000).default(4000),
  concurrency: z.string().regex(/^\d+(,\d+)*$/).default('1,16,64,256'),
});

function parseArgs(argv: string[]): z.infer<typeof argsSchema> {
  return parseFlags(argsSchema, argv);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Result of one benchmark round. */
export interface RoundResult {
  concurrency: number;
  committed: number;
  conflicts: number;
  seconds: number;
  tps: number;
  p50ms: number;
  p99ms: number;
}

/** Submits `count` income postings into one pool with `concurrency` in flight; measures them. */
export async function incomeRound(port: LedgerPort, label: string, count: number, concurrency: number): Promise<RoundResult> {
  const who = operatorOf(MSP.music, 'bench');
  const latencies: number[] = [];
  let conflicts = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      try {
        await port.submit(who, 'income:postIncome', {
          commandId: `bench-${label}-${concurrency}-${i}`,
          incomeId: `bench-${label}-${concurrency}-${i}`,
          collectiveId: 'BENCH',
          pool: { rightType: 'performing', useType: 'ktv', period: '2026Q4' },
          amount: `${(i % 997) + 1}.${String(i % 100).padStart(2, '0')}`,
          currency: 'CNY',
          source: { kind: 'other', reference: `bench ${i}` },
        });
        latencies.push(performance.now() - t0);
      } catch (e) {
        if (isLedgerError(e) && e.code === 'LEDGER.MVCC_CONFLICT') conflicts++;
        else throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { concurrency, committed: latencies.length, conflicts, seconds, tps: latencies.length / seconds, p50ms: percentile(latencies, 50), p99ms: percentile(latencies, 99) };
}

/** Registers the benchmark's collective (idempotent). */
export async function prepareBench(port: LedgerPort): Promise<void> {
  await port.submit(operatorOf(MSP.music, 'bench'), 'parties:registerCollective', { commandId: 'bench-collective', collectiveId: 'BENCH', name: 'Benchmark collective', country: 'CN' });
}

/** Prints one round as a table row. */
export function printRound(adapter: string, r: RoundResult): void {
  console.log(
    `${adapter.padEnd(9)} c=${String(r.concurrency).padStart(4)}  committed ${String(r.committed).padStart(6)}  conflicts ${r.conflicts}  ` +
      `${r.tps.toFixed(0).padStart(6)} tx/s  p50 ${r.p50ms.toFixed(1).padStart(7)} ms  p99 ${r.p99ms.toFixed(1).padStart(7)} ms`,
  );
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  console.log(`bench ledger-embedded: ${args.tx} income postings per round, node ${process.version}`);
  const pg = await startPostgres({ databaseUrl: process.env.DATABASE_URL, ephemeral: true, log: () => {} });
  const ledger = await EmbeddedLedger.open({ databaseUrl: pg.url, contracts: contractInstances(), log: () => {} });
  try {
    await prepareBench(ledger);
    for (const c of args.concurrency.split(',').map(Number)) {
      const r = await incomeRound(ledger, 'emb', c === 1 ? Math.min(args.tx, 500) : args.tx, c);
      printRound('embedded', r);
    }
    const info = await ledger.info();
    console.log(`ledger height ${info.height}; verify: ${JSON.stringify(await ledger.verify(), (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`);
  } finally {
    await ledger.close();
    await pg.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
