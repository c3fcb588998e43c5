/**
 * Vitest global setup of `npm run test:fabric`: brings the local Fabric network up for the run
 * and tears it down afterwards, even when tests fail. A network that is already running is used
 * as it is and left running. Outside CI, a missing or old Go skips the Fabric tests with the
 * reason printed; under CI=true it is an error.
 */
import type { TestProject } from 'vitest/node';
import { FabricLedger } from '../fabric-ledger';
import { goRequirementProblem, networkDown, networkRunning, networkUp, profilePath } from '../../../../../fabric-network/src/control';

let startedHere = false;

export async function setup(project: TestProject): Promise<void> {
  const problem = goRequirementProblem();
  if (problem) {
    if (process.env.CI === 'true') throw new Error(`CI=true and the Fabric tests cannot run: ${problem}`);
    console.warn(`\n[test:fabric] skipping the Fabric tests: ${problem}\n`);
    project.provide('fabric', { skip: problem, profilePath: '' });
    return;
  }
  if (networkRunning()) {
    console.warn('[test:fabric] using the Fabric network that is already running (it stays up)');
  } else {
    startedHere = true;
    try {
      await networkUp();
    } catch (e) {
      await networkDown().catch(() => {});
      startedHere = false;
      throw e;
    }
  }
  try {
    const ledger = FabricLedger.open({ profilePath: profilePath() });
    try {
      await ledger.waitUntilEndorsable();
    } finally {
      await ledger.close();
    }
  } catch (e) {
    if (startedHere) await networkDown().catch(() => {});
    startedHere = false;
    throw e;
  }
  project.provide('fabric', { skip: '', profilePath: profilePath() });
}

export async function teardown(): Promise<void> {
  if (startedHere) await networkDown();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** `skip` holds the reason the Fabric tests cannot run ('' when they can). */
    fabric: { skip: string; profilePath: string };
  }
}
