/**
 * Benchmark: the same workload of income postings through the ledger port into the embedded ledger
 * and into the local Fabric network, in one run. Prints committed tx/s and p50/p99 latency for
 * each and their ratio, then 200 concurrent postings into one pool on each with the MVCC conflicts
 * seen (the target is zero: an income posting writes blind, one key per posting).
 *
 * Uses a running network (`npm run fabric:up`) when there is one; otherwise starts one and stops
 * it at the end. The network must be fresh or one this benchmark set up (its collective BENCH is
 * bound to MusicCmoMSP).
 *
 *   npm run bench:ledger-throughput [-- --tx 2000 --concurrency 64 --pool 200]
 */
import { contractInstances } from '@rtl/chaincode';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseFlags } from './flags';
import { fabricInstalled, goRequirementProblem, networkDown, networkRunning, networkUp, profilePath } from '../fabric-network/src/control';
import { startPostgres } from '../gateway/src/db/postgres-server';
import { EmbeddedLedger } from '../gateway/src/ledger/embedded/embedded-ledger';
import { FabricLedger } from '../gateway/src/ledger/fabric/fabric-ledger';
import type { LedgerPort } from '../gateway/src/ledger/port';
import { incomeRound, prepareBench, printRound, type RoundResult } from './ledger-embedded';

const argsSchema = z.object({
  tx: z.coerce.number().int().min(10).max(100_000).default(2000),
  concurrency: z.coerce.number().int().min(1).max(1000).default(64),
  pool: z.coerce.number().int().min(1).max(2000).default(200),
});

function parseArgs(argv: string[]): z.infer<typeof argsSchema> {
  return parseFlags(argsSchema, argv);
}

interface AdapterFigures {
  workload: RoundResult;
  onePool: RoundResult;
}

/** Runs the workload and the one-pool burst on one adapter; labels keep command ids unique per run. */
async function measure(name: string, port: LedgerPort, args: z.infer<typeof argsSchema>, run: string): Promise<AdapterFigures> {
  await prepareBench(port);
  // A short warm-up (connections, chaincode servers, JIT), not counted.
  await incomeRound(port, `${name}${run}w`, Math.min(50, args.tx), Math.min(10, args.concurrency));
  const workload = await incomeRound(port, `${name}${run}`, args.tx, args.concurrency);
  printRound(name, workload);
  const onePool = await incomeRound(port, `${name}${run}p`, args.pool, args.pool);
  printRound(name, onePool);
  return { workload, onePool };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const run = randomBytes(3).toString('hex');
  console.log(`bench ledger-throughput: ${args.tx} income postings at concurrency ${args.concurrency}, then ${args.pool} at once into one pool; node ${process.version}`);

  const pg = await startPostgres({ databaseUrl: process.env.DATABASE_URL, ephemeral: true, log: () => {} });
  let embedded: AdapterFigures;
  try {
    const ledger = await EmbeddedLedger.open({ databaseUrl: pg.url, contracts: contractInstances(), log: () => {} });
    try {
      embedded = await measure('embedded', ledger, args, run);
    } finally {
      await ledger.close();
    }
  } finally {
    await pg.stop();
  }

  let startedHere = false;
  if (!networkRunning()) {
    const problem = fabricInstalled() ? undefined : goRequirementProblem();
    if (problem) throw new Error(`cannot start the Fabric network: ${problem}`);
    console.log('starting the Fabric network (npm run fabric:up)…');
    startedHere = true;
    await networkUp();
  } else {
    console.log('using the running Fabric network');
  }
  let fabric: AdapterFigures;
  let readConflicts = 0;
  try {
    const ledger = FabricLedger.open({ profilePath: profilePath() });
    try {
      await ledger.waitUntilEndorsable();
      fabric = await measure('fabric', ledger, args, run);
      readConflicts = ledger.stats.readConflicts;
    } finally {
      await ledger.close();
    }
  } finally {
    if (startedHere) await networkDown();
  }

  const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : (a / b).toFixed(2));
  console.log('');
  console.log(`throughput  fabric/embedded = ${ratio(fabric.workload.tps, embedded.workload.tps)}  (${fabric.workload.tps.toFixed(0)} vs ${embedded.workload.tps.toFixed(0)} tx/s)`);
  console.log(`p50 latency fabric/embedded = ${ratio(fabric.workload.p50ms, embedded.workload.p50ms)}  (${fabric.workload.p50ms.toFixed(1)} vs ${embedded.workload.p50ms.toFixed(1)} ms)`);
  console.log(`p99 latency fabric/embedded = ${ratio(fabric.workload.p99ms, embedded.workload.p99ms)}  (${fabric.workload.p99ms.toFixed(1)} vs ${embedded.workload.p99ms.toFixed(1)} ms)`);
  console.log(`one pool, ${args.pool} concurrent: MVCC conflicts surfaced embedded ${embedded.onePool.conflicts}, fabric ${fabric.onePool.conflicts}; ` +
    `Fabric transactions invalidated by read conflicts (retried) over the whole run: ${readConflicts}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
