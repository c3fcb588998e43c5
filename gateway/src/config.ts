/**
 * The gateway's configuration, parsed once from the environment with zod; a bad value stops the
 * process at start with the variable named.
 */
import { z } from 'zod';

const boolFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  PG_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  LEDGER: z.enum(['embedded', 'fabric']).default('embedded'),
  // LEDGER=fabric: the connection profile `npm run fabric:up` writes (or one for your own network).
  FABRIC_PROFILE: z.string().min(1).default('.fabric/network/connection-profile.json'),
  SEED_DEMO: boolFromEnv.default(true),
  BLOCK_MAX_TX: z.coerce.number().int().min(1).max(10_000).default(500),
  BLOCK_TIMEOUT_MS: z.coerce.number().int().min(0).max(10_000).default(5),
  // Accounts and access (gateway/src/auth): session lifetime and login rate limits.
  AUTH_SESSION_TTL_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(480),
  AUTH_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  AUTH_LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).max(100_000).default(20),
  AUTH_LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(15),
  // Take the client IP from X-Forwarded-For: only behind a reverse proxy that sets it.
  AUTH_TRUST_PROXY: boolFromEnv.default(false),
});

/** Parsed gateway configuration. */
export type GatewayConfig = z.infer<typeof envSchema>;

/** Parses the environment; throws an error naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  return parsed.data;
}
