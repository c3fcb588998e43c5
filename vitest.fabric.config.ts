/**
 * `npm run test:fabric`: the tests that need a real Fabric network (`*.fabric.test.ts`), one file
 * at a time against one network that the global setup brings up and tears down.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{gateway,fabric-network}/src/**/*.fabric.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['gateway/src/ledger/fabric/testing/fabric-global-setup.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
