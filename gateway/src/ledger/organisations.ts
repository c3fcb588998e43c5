/**
 * The organisations of the demo network and the ledger identities the gateway acts with. The same
 * MSP ids are used by the embedded ledger and by the Fabric network scripts.
 */
import type { LedgerIdentity } from './port';

/** MSP ids of the channel's organisations. */
export const MSP = {
  music: 'MusicCmoMSP',
  av: 'AvCmoMSP',
  regulator: 'RegulatorMSP',
} as const;

/** The operator identity of an organisation. */
export function operatorOf(mspId: string, user = 'operator1'): LedgerIdentity {
  return { mspId, role: 'operator', user };
}

/** The regulator's identity. */
export function regulatorIdentity(user = 'supervisor1'): LedgerIdentity {
  return { mspId: MSP.regulator, role: 'regulator', user };
}
