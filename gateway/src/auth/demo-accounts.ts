/**
 * Demo accounts, one or more per role, for the local demo only: their passwords are published
 * here and in the README, so they must never exist on a gateway holding real data. They are
 * seeded together with the demo ledger data (`SEED_DEMO`), and refer to parties the demo data
 * registers (`gateway/src/demo/demo-data.ts`).
 */
import type { Role } from './identity';
import type { AuthService } from './service';

/** One demo account. */
export interface DemoAccount {
  username: string;
  /** Published demo password: local demo only. */
  password: string;
  role: Role;
  /** Operators: the collective operated; members and licensees: the hosting collective. */
  collectiveId?: string;
  /** Members and licensees: the party on the ledger. */
  partyId?: string;
  displayName: string;
}

/** The demo accounts (local demo only; the passwords are public). */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = Object.freeze([
  { username: 'music-operator', password: 'music-operator-demo', role: 'operator', collectiveId: 'MCSC', displayName: 'MCSC operator (demo)' },
  { username: 'av-operator', password: 'av-operator-demo', role: 'operator', collectiveId: 'CAVCA', displayName: 'CAVCA operator (demo)' },
  { username: 'regulator', password: 'regulator-demo', role: 'regulator', displayName: 'Copyright administration supervisor (demo)' },
  { username: 'member-MCSC-M001', password: 'member-demo-M001', role: 'member', collectiveId: 'MCSC', partyId: 'MCSC-M001', displayName: 'MCSC member M001 (demo)' },
  { username: 'member-MCSC-M002', password: 'member-demo-M002', role: 'member', collectiveId: 'MCSC', partyId: 'MCSC-M002', displayName: 'MCSC member M002 (demo)' },
  { username: 'member-CAVCA-M001', password: 'member-demo-CAVCA-M001', role: 'member', collectiveId: 'CAVCA', partyId: 'CAVCA-M001', displayName: 'CAVCA member M001 (demo)' },
  { username: 'licensee-MCSC-L001', password: 'licensee-demo-L001', role: 'licensee', collectiveId: 'MCSC', partyId: 'MCSC-L001', displayName: 'MCSC licensee L001, a KTV (demo)' },
  { username: 'licensee-MCSC-L014', password: 'licensee-demo-L014', role: 'licensee', collectiveId: 'MCSC', partyId: 'MCSC-L014', displayName: 'MCSC licensee L014, a streaming service (demo)' },
  { username: 'licensee-CAVCA-L017', password: 'licensee-demo-L017', role: 'licensee', collectiveId: 'CAVCA', partyId: 'CAVCA-L017', displayName: 'CAVCA licensee L017, a KTV (demo)' },
] satisfies DemoAccount[]);

/** What seeding did. */
export interface DemoUsersOutcome {
  created: string[];
  existing: string[];
}

/**
 * Creates the demo accounts that do not exist yet; existing ones are left as they are (a changed
 * password or a disabled demo account stays so). Safe to run on every start.
 */
export async function seedDemoUsers(auth: AuthService): Promise<DemoUsersOutcome> {
  const created: string[] = [];
  const existing: string[] = [];
  for (const { password, ...account } of DEMO_ACCOUNTS) {
    if (await auth.users.findByUsername(account.username)) {
      existing.push(account.username);
      continue;
    }
    try {
      await auth.createUser({ ...account, password });
      created.push(account.username);
    } catch (e) {
      // Another gateway created it between our check and our insert.
      if ((e as { code?: unknown }).code !== 'ALREADY_EXISTS') throw e;
      existing.push(account.username);
    }
  }
  return { created, existing };
}
