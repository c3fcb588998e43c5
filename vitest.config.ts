import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{distribution,chaincode,gateway,ui,fabric-network}/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.fabric.test.ts'],
    globalSetup: ['gateway/src/testing/global-postgres.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
