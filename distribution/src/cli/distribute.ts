/**
 * `npm run distribute -- …`: one distribution run from files to output files. See `--help`.
 * Exit status: 0 done, 2 bad flags, 1 bad input or a run that cannot be computed.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { EngineError } from '../engine/compute';
import { InputError } from '../engine/input-file';
import { resolveParameters } from '../engine/parameters';
import { runDistribution } from '../engine/run';
import { MoneyError } from '../money';
import { JsonLinesRejectSink, ParseError } from '../parsers/common';
import { writeOutputs } from '../statements/write';
import { FlagError, HELP, parametersFromFlags, parseFlags } from './flags';

/** Where the CLI writes; injectable for tests. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const defaultIo: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** Runs the CLI with `argv` (without node and script) and returns the exit status. */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let flags;
  try {
    const f = parseFlags(argv);
    if (f === 'help') {
      io.out(HELP + '\n');
      return 0;
    }
    flags = f;
  } catch (e) {
    if (e instanceof FlagError) {
      io.err(`distribute: ${e.message}\nRun with --help for usage.\n`);
      return 2;
    }
    throw e;
  }
  const parameters = parametersFromFlags(flags);
  try {
    resolveParameters(parameters);
  } catch (e) {
    if (e instanceof z.ZodError) {
      const i = e.issues[0]!;
      const names: Record<string, string> = { gross: '--pool', managementFeeRate: '--fee-rate', deductionRate: '--deduction-rate', threshold: '--threshold', defaultWeight: '--default-weight', useTypeWeights: '--weights' };
      io.err(`distribute: ${names[String(i.path[0])] ?? String(i.path[0] ?? 'parameters')}: ${i.message}\nRun with --help for usage.\n`);
      return 2;
    }
    throw e;
  }

  const started = Date.now();
  let lastProgress = started;
  const progress = (phase: string, n: number) => {
    const now = Date.now();
    if (flags.quiet || now - lastProgress < 1000) return;
    lastProgress = now;
    io.err(`distribute: ${phase}: ${n.toLocaleString('en')} lines, ${((now - started) / 1000).toFixed(0)} s\n`);
  };
  let sink: JsonLinesRejectSink | undefined;
  try {
    await mkdir(flags.out, { recursive: true });
    const quarantine = flags['on-error'] === 'quarantine';
    const rejectsPath = flags.rejects ?? join(flags.out, 'rejects.jsonl');
    if (quarantine) sink = new JsonLinesRejectSink(rejectsPath);
    const { result, repertoireSummary, usageSummary } = await runDistribution(
      { works: flags.works, usage: flags.usage, parameters },
      { onError: flags['on-error'], ...(sink ? { rejects: sink } : {}), onProgress: progress },
    );
    const rejected = repertoireSummary.rejected + usageSummary.rejected;
    const written = await writeOutputs(result, flags.out, {
      ...(flags['run-id'] ? { runId: flags['run-id'] } : {}),
      proofs: !flags['no-proofs'],
      extra: {
        repertoire_issues: { rejected: repertoireSummary.rejected, errors: repertoireSummary.errorCount, warnings: repertoireSummary.warningCount },
        usage_issues: { rejected: usageSummary.rejected, errors: usageSummary.errorCount, warnings: usageSummary.warningCount },
      },
    });
    if (!flags.quiet) {
      const s = written.summary;
      io.err(
        `distribute: ${result.usageLines.toLocaleString('en')} usage lines (${result.unmatchedLines.toLocaleString('en')} unmatched), ` +
          `${result.holders.length} rights holders, ${result.lines.count} statement lines in ${((Date.now() - started) / 1000).toFixed(1)} s\n` +
          `distribute: gross ${String(s.gross)} = fee ${String(s.management_fee)} + deductions ${String(s.deductions)} + allocated ${String(s.allocated)} + suspense ${String(s.suspense)} + carried ${String(s.carried_forward)} + rounding ${String(s.rounding)}\n` +
          (rejected > 0 ? `distribute: ${rejected} bad lines quarantined in ${rejectsPath}\n` : ''),
      );
    }
    return 0;
  } catch (e) {
    if (e instanceof ParseError) io.err(`distribute: bad input: ${e.code}: ${e.message}\n(use --on-error quarantine to set bad lines aside)\n`);
    else if (e instanceof InputError || e instanceof EngineError || e instanceof MoneyError) io.err(`distribute: ${e.code}: ${e.message}\n`);
    else if (e instanceof Error && (e as NodeJS.ErrnoException).code === 'ENOENT') io.err(`distribute: ${e.message}\n`);
    else throw e;
    return 1;
  } finally {
    await sink?.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
