/** Command-line flags of `distribute`, validated with zod, and the help text. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { currencySchema, decimalAmountSchema, rateSchema } from '../money';
import type { DistributionParameters } from '../engine/parameters';

/** Help text printed by `--help`. */
export const HELP = `Usage: npm run distribute -- --works FILE --usage FILE --pool AMOUNT --currency CNY --out DIR [options]

Runs a royalty distribution: matches the usage to the repertoire, allocates the pool exactly, and writes
payouts.csv, statements.csv, suspense.csv, proofs/ and summary.json to DIR.

Inputs (formats are detected from content):
  --works FILE            repertoire: CWR 2.x file or works.csv
  --usage FILE            usage: DDEX DSR flat file (tab-separated) or usage.csv
Parameters:
  --pool AMOUNT           pool gross amount as a decimal string (e.g. 100000.00); required for --method points;
                          optional for --method per-line (then it must equal the sum of the line amounts)
  --currency CODE         CNY, EUR, GBP, HKD, JPY or USD
  --right TYPE            performing | mechanical (which share set applies; default performing)
  --fee-rate FRACTION     management fee as a fraction of the gross (e.g. 0.15; default 0)
  --deduction-rate FRAC   social/cultural deduction as a fraction of the gross (e.g. 0.05; default 0)
  --threshold AMOUNT      minimum payout; smaller amounts are carried forward (default 0)
  --method METHOD         points (pro rata by plays × weight) | per-line (each line carries its amount); default points
  --weights LIST          weight per use type, e.g. OnDemandStream=1,Download=3 (default weight 1)
  --default-weight W      weight of use types not listed (default 1)
  --period TEXT           period shown on statement lines when the usage file states none (usage.csv)
Outputs:
  --out DIR               output folder (created)
  --run-id ID             also write anchor-plan.json for this ledger run id
  --no-proofs             skip proofs/ (one file per rights holder)
Errors:
  --on-error MODE         fail (default: stop at the first bad line) | quarantine (set bad lines aside and go on)
  --rejects FILE          where quarantined lines go (JSON lines; default DIR/rejects.jsonl)
  --quiet                 no progress on stderr
  --help                  this text

Exit status: 0 done; 2 bad flags; 1 bad input file or a run that cannot be computed.`;

const idRe = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const flagsSchema = z
  .object({
    works: z.string({ error: '--works FILE is required' }).min(1),
    usage: z.string({ error: '--usage FILE is required' }).min(1),
    out: z.string({ error: '--out DIR is required' }).min(1),
    pool: decimalAmountSchema.optional(),
    currency: currencySchema,
    right: z.enum(['performing', 'mechanical']).default('performing'),
    'fee-rate': rateSchema.default('0'),
    'deduction-rate': rateSchema.default('0'),
    threshold: decimalAmountSchema.default('0'),
    method: z.enum(['points', 'per-line', 'pro_rata_points', 'per_line_amounts']).default('points'),
    weights: z.string().regex(/^[^=,]+=\d+(\.\d+)?(,[^=,]+=\d+(\.\d+)?)*$/, { error: 'must look like UseType=1,Other=2.5' }).optional(),
    'default-weight': z.string().optional(),
    period: z.string().optional(),
    'run-id': z.string().regex(idRe, { error: 'must be a ledger id (letters, digits, ".", "_", "-"; at most 64)' }).optional(),
    'no-proofs': z.boolean().default(false),
    'on-error': z.enum(['fail', 'quarantine']).default('fail'),
    rejects: z.string().min(1).optional(),
    quiet: z.boolean().default(false),
  })
  .strict();

/** Validated flags. */
export type Flags = z.output<typeof flagsSchema>;

/** A command-line mistake: printed with the help hint, exit status 2. */
export class FlagError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlagError';
  }
}

/** Parses argv (without node and script); `'help'` when help was asked for. */
export function parseFlags(argv: readonly string[]): Flags | 'help' {
  let values: Record<string, unknown>;
  try {
    const parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        works: { type: 'string' }, usage: { type: 'string' }, out: { type: 'string' }, pool: { type: 'string' },
        currency: { type: 'string' }, right: { type: 'string' }, 'fee-rate': { type: 'string' }, 'deduction-rate': { type: 'string' },
        threshold: { type: 'string' }, method: { type: 'string' }, weights: { type: 'string' }, 'default-weight': { type: 'string' },
        period: { type: 'string' }, 'run-id': { type: 'string' }, 'no-proofs': { type: 'boolean' }, 'on-error': { type: 'string' },
        rejects: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    });
    values = parsed.values as Record<string, unknown>;
  } catch (e) {
    throw new FlagError(e instanceof Error ? e.message : String(e));
  }
  if (values.help) return 'help';
  const r = flagsSchema.safeParse(values);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const flag = issue.path.length ? `--${String(issue.path[0])}` : 'flags';
    throw new FlagError(issue.message.startsWith('--') ? issue.message : `${flag}: ${issue.message}`);
  }
  return r.data;
}

/** The engine parameters the flags stand for (validated again by the engine's own schema). */
export function parametersFromFlags(f: Flags): DistributionParameters {
  const useTypeWeights: Record<string, string> = {};
  for (const pair of f.weights ? f.weights.split(',') : []) {
    const [k, v] = pair.split('=') as [string, string];
    useTypeWeights[k.trim()] = v;
  }
  return {
    currency: f.currency,
    ...(f.pool !== undefined ? { gross: f.pool } : {}),
    right: f.right,
    method: f.method === 'points' || f.method === 'pro_rata_points' ? 'pro_rata_points' : 'per_line_amounts',
    managementFeeRate: f['fee-rate'],
    deductionRate: f['deduction-rate'],
    threshold: f.threshold,
    useTypeWeights,
    ...(f['default-weight'] !== undefined ? { defaultWeight: f['default-weight'] } : {}),
    ...(f.period !== undefined ? { period: f.period } : {}),
  };
}
