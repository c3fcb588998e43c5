/**
 * One distribution run end to end: parameters → repertoire → streaming usage pass → allocation.
 * A large DSR is parsed on a worker thread from the start, so its parse overlaps the repertoire load.
 * Statement lines, their Merkle tree and the anchor plan are derived from the result
 * (`statements/`, `anchor-plan.ts`).
 */
import type { MatchResult } from '../matching/index';
import type { ParseOptions, ParseSummary } from '../parsers/common';
import type { UsageLine } from '../parsers/usage';
import { aggregateUsage, startUsageParse, type AggregateOptions, type UsageAggregates } from './aggregate';
import { computeDistribution, type DistributionResult } from './compute';
import type { UsageFormat, WorksFormat } from './input-file';
import { resolveParameters, type DistributionParameters } from './parameters';
import { loadRepertoire, type EngineRepertoire } from './repertoire';

/** What a run reads. */
export interface RunInputs {
  /** Repertoire file: CWR 2.x or works.csv. */
  works: string;
  worksFormat?: WorksFormat;
  /** Usage file: DDEX DSR flat file or usage.csv. */
  usage: string;
  usageFormat?: UsageFormat;
  /** Name of the usage source on statement lines; default the usage file's base name. */
  usageLabel?: string;
  parameters: DistributionParameters;
}

/** Options of {@link runDistribution}. */
export interface RunOptions extends ParseOptions {
  onProgress?: (phase: 'repertoire' | 'usage' | 'allocation', count: number) => void;
  onMatch?: (u: UsageLine, m: MatchResult, source: number) => void;
}

/** A run's result plus what the inputs looked like. */
export interface RunOutcome {
  result: DistributionResult;
  repertoire: EngineRepertoire;
  usage: UsageAggregates;
  /** Issues of the repertoire file and of the usage file. */
  repertoireSummary: ParseSummary;
  usageSummary: ParseSummary;
}

/**
 * Runs a distribution.
 * @throws z.ZodError for bad parameters; ParseError (fail mode) or InputError for bad files; EngineError.
 */
export async function runDistribution(inputs: RunInputs, options: RunOptions = {}): Promise<RunOutcome> {
  const rp = resolveParameters(inputs.parameters);
  const { onProgress, onMatch, ...parse } = options;
  const usageOptions: AggregateOptions = {
    ...parse,
    ...(inputs.usageFormat ? { format: inputs.usageFormat } : {}),
    ...(inputs.usageLabel ? { label: inputs.usageLabel } : {}),
    ...(onMatch ? { onMatch } : {}),
    ...(onProgress ? { onProgress: (n: number) => onProgress('usage', n) } : {}),
  };
  // A large DSR starts parsing on its worker now, while the repertoire loads here.
  const started = await startUsageParse(inputs.usage, rp, usageOptions);
  let repertoire: EngineRepertoire;
  try {
    repertoire = await loadRepertoire({ path: inputs.works, ...(inputs.worksFormat ? { format: inputs.worksFormat } : {}) }, rp.params.right, parse);
  } catch (e) {
    await started.cancel();
    throw e;
  }
  onProgress?.('repertoire', repertoire.size);
  const usage = await aggregateUsage(inputs.usage, repertoire, rp, { ...usageOptions, started });
  const result = computeDistribution(usage, repertoire, rp);
  onProgress?.('allocation', result.holders.length);
  return { result, repertoire, usage, repertoireSummary: repertoire.summary, usageSummary: usage.summary };
}
