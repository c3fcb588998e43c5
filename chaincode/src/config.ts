/**
 * Chaincode configuration, parsed once from the environment. The regulator's organisation is fixed
 * here, not registered on the ledger, so that no collective can appoint its own supervisor.
 */
import { z } from 'zod';

const envSchema = z.object({
  REGULATOR_MSP_ID: z.string().regex(/^[A-Za-z][A-Za-z0-9.-]{1,63}$/).default('RegulatorMSP'),
});

/** Parsed chaincode configuration. */
export interface ChaincodeConfig {
  regulatorMspId: string;
}

let cached: ChaincodeConfig | undefined;

/** The chaincode configuration (fails fast on a malformed environment). */
export function chaincodeConfig(): ChaincodeConfig {
  if (!cached) {
    const env = envSchema.parse({ REGULATOR_MSP_ID: process.env.REGULATOR_MSP_ID || undefined });
    cached = { regulatorMspId: env.REGULATOR_MSP_ID };
  }
  return cached;
}
