/** The ledger-port contract suite against the Fabric adapter on the local Fabric network. */
import { describe, inject, it } from 'vitest';
import { ledgerPortContractSuite } from '../port.contract-suite';
import { FabricLedger } from './fabric-ledger';

const fabric = inject('fabric');

if (fabric.skip) {
  describe.skip(`ledger port contract: fabric (${fabric.skip})`, () => {
    it('needs the Fabric network', () => {});
  });
} else {
  ledgerPortContractSuite('fabric', async () => {
    const ledger = FabricLedger.open({ profilePath: fabric.profilePath });
    return {
      port: ledger,
      // cryptogen's client certificates carry no role attribute.
      roleAttributes: false,
      concurrentPostings: 200,
      cleanup: () => ledger.close(),
    };
  });
}
