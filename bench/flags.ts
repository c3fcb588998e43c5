/**
 * Command-line flags of the benchmarks: `--name value` pairs, validated by each benchmark's zod
 * schema (unknown or malformed values stop it with the flag named).
 */
import type { z } from 'zod';

/** Parses `--name value` pairs from `argv` with `schema`. */
export function parseFlags<S extends z.ZodType>(schema: S, argv: readonly string[]): z.infer<S> {
  const raw: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i]?.replace(/^--/, '');
    if (k && argv[i + 1] !== undefined) raw[k] = argv[i + 1]!;
  }
  return schema.parse(raw);
}
