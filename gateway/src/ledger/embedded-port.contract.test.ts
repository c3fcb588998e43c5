import { contractInstances } from '@rtl/chaincode';
import { createTestDatabase } from '../testing/test-database';
import { EmbeddedLedger } from './embedded/embedded-ledger';
import { ledgerPortContractSuite } from './port.contract-suite';

ledgerPortContractSuite('embedded', async () => {
  const db = await createTestDatabase();
  const ledger = await EmbeddedLedger.open({ sql: db.sql, contracts: contractInstances(), log: () => {} });
  return {
    port: ledger,
    roleAttributes: true,
    concurrentPostings: 200,
    cleanup: async () => {
      await ledger.close();
      await db.drop();
    },
  };
});
