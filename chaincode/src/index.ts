/**
 * The ledger chaincode: the contract classes that a Fabric peer serves as a chaincode service and
 * the embedded ledger runs in process. Nothing else implements ledger rules.
 */
import { CorrectionsContract } from './contracts/corrections';
import { DistributionContract } from './contracts/distribution';
import { IncomeContract } from './contracts/income';
import { LicensingContract } from './contracts/licensing';
import { PartiesContract } from './contracts/parties';
import { PayoutsContract } from './contracts/payouts';
import { QueriesContract } from './contracts/queries';
import { RepertoireContract } from './contracts/repertoire';
import { SupervisionContract } from './contracts/supervision';

/** Every contract class of the chaincode, in the form fabric-shim expects. */
export const contracts = [
  PartiesContract,
  RepertoireContract,
  LicensingContract,
  IncomeContract,
  DistributionContract,
  PayoutsContract,
  CorrectionsContract,
  SupervisionContract,
  QueriesContract,
];

/** One instance of each contract, for in-process execution. */
export function contractInstances(): InstanceType<(typeof contracts)[number]>[] {
  return contracts.map((C) => new C());
}

export { LEDGER_EVENT, type LedgerEventPayload } from './base-contract';
export { batchDigest, MAX_BATCH_LINES, type BatchLine } from '@rtl/distribution/anchor';
export { licenceStatus, type LicenceStatus } from './contracts/licensing';
export { INVESTIGATION_DAYS, type ComplaintRecord } from './contracts/supervision';
export { account } from './accounts';
export * from './errors';
export type * from './records';
